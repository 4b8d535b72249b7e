"""Who a signed-in person is to Actioned: their roles and the agencies they work for, decided from the claims their
identity provider vouched for and the grants an administrator wrote in the staff file (never from code).

A liaison officer sees only the agencies they are granted; administrators, the inspectorate and national
coordinators see every agency. Nobody is anything by default: a person the file does not name has no role and is
shown nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from models.rules.vocabulary import StaffRole

EVERY_AGENCY: frozenset[StaffRole] = frozenset(
    {StaffRole.ADMINISTRATOR, StaffRole.INSPECTORATE, StaffRole.NATIONAL_COORDINATOR}
)
"""Roles that see every agency's reports."""


@dataclass(frozen=True)
class Identity:
    """What the identity provider said about the person (from a validated ID token)."""

    subject: str
    email: str | None = None
    name: str | None = None
    groups: frozenset[str] = frozenset()
    tenant: str | None = None

    @property
    def domain(self) -> str | None:
        if not self.email or "@" not in self.email:
            return None
        return self.email.rsplit("@", 1)[1].lower()


@dataclass(frozen=True)
class Who:
    """The people a grant covers: exact email addresses, whole email domains, or group claims."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()

    def covers(self, identity: Identity) -> bool:
        email = (identity.email or "").lower()
        return (
            (bool(email) and email in self.emails)
            or (identity.domain is not None and identity.domain in self.domains)
            or bool(self.groups & identity.groups)
        )


@dataclass(frozen=True)
class Grant:
    role: StaffRole
    who: Who
    agencies: frozenset[str] = frozenset()
    """For a liaison officer: the agencies they work for (ignored for the roles that see every agency)."""


@dataclass(frozen=True)
class Access:
    """What a signed-in person may see and do."""

    roles: frozenset[StaffRole] = frozenset()
    agencies: frozenset[str] = field(default_factory=frozenset)

    @property
    def every_agency(self) -> bool:
        return bool(self.roles & EVERY_AGENCY)

    @property
    def has_role(self) -> bool:
        return bool(self.roles)

    def may_see(self, agency_id: str) -> bool:
        return self.every_agency or agency_id in self.agencies

    def is_(self, role: StaffRole) -> bool:
        return role in self.roles


def access_for(identity: Identity, grants: Iterable[Grant]) -> Access:
    """The union of every grant that covers ``identity``."""
    roles: set[StaffRole] = set()
    agencies: set[str] = set()
    for grant in grants:
        if not grant.who.covers(identity):
            continue
        roles.add(grant.role)
        if grant.role == StaffRole.LIAISON_OFFICER:
            agencies |= grant.agencies
    return Access(roles=frozenset(roles), agencies=frozenset(agencies))


def tenant_allowed(tenant: str | None, allowed: frozenset[str]) -> bool:
    """With an allow-list (a national service on Microsoft Entra ID), only those tenants' people may sign in: a token
    from any other tenant is refused however its email reads. Without one, any tenant of the configured issuer.
    """
    if not allowed:
        return True
    return tenant is not None and tenant.lower() in allowed


def safe_next(path: str | None) -> str:
    """Where to go back to after signing in: a path on this site only (never ``//host`` or ``https://...``)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
