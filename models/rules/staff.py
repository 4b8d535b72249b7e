"""Who a signed-in person is to Actioned: their roles and the agencies they work for, decided from the claims their
identity provider vouched for and the grants an administrator wrote in the staff file (never from code).

A liaison officer sees only the agencies they are granted; administrators and the inspectorate see every agency. A
national coordinator sees, on the national pages only, what their grant's scope gives them (agencies by id or by the
register's groups, and/or reports: the NPCC lead sees the chief constables' returns). Nobody is anything by default: a
person the file does not name has no role and is shown nothing.
"""

from collections.abc import Iterable, Set
from dataclasses import dataclass, field

from models.rules.vocabulary import StaffRole

EVERY_AGENCY: frozenset[StaffRole] = frozenset({StaffRole.ADMINISTRATOR, StaffRole.INSPECTORATE})
"""Roles that see every agency's reports (a national coordinator sees what their scope gives them)."""


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
class NationalScope:
    """What one grant shows on the national pages: the agencies named or in the register's groups named (neither:
    every agency) on the reports named (None: every report).
    """

    agencies: frozenset[str] = frozenset()
    agency_groups: frozenset[str] = frozenset()
    reports: frozenset[str] | None = None

    @property
    def every_agency(self) -> bool:
        return not self.agencies and not self.agency_groups

    def sees_report(self, report_id: str) -> bool:
        return self.reports is None or report_id in self.reports

    def sees(self, report_id: str, agency_id: str, groups: Set[str]) -> bool:
        """Whether ``agency_id`` (a member of ``groups``) is shown on ``report_id``'s national page."""
        return self.sees_report(report_id) and (
            self.every_agency or agency_id in self.agencies or bool(self.agency_groups & set(groups))
        )


EVERYTHING = NationalScope()
"""The inspectorate's scope: every agency on every report."""


@dataclass(frozen=True)
class Grant:
    role: StaffRole
    who: Who
    agencies: frozenset[str] = frozenset()
    """For a liaison officer: the agencies they work for (ignored for the roles that see every agency)."""
    national: NationalScope | None = None
    """For a national coordinator: what the national pages show them (None: nothing)."""


@dataclass(frozen=True)
class Access:
    """What a signed-in person may see and do."""

    roles: frozenset[StaffRole] = frozenset()
    agencies: frozenset[str] = field(default_factory=frozenset)
    national: tuple[NationalScope, ...] = ()
    """What the national pages show: the inspectorate's EVERYTHING, a coordinator's grants' scopes; else nothing."""

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

    def sees_national_report(self, report_id: str) -> bool:
        """Whether the person may open ``report_id``'s national page (the inspectorate, or a coordinator given it)."""
        return any(scope.sees_report(report_id) for scope in self.national)

    def sees_nationally(self, report_id: str, agency_id: str, groups: Set[str]) -> bool:
        """Whether ``agency_id`` (a member of the register's ``groups``) is shown on the report's national page."""
        return any(scope.sees(report_id, agency_id, groups) for scope in self.national)

    def names_unknown(self, *, agencies: Set[str], groups: Set[str]) -> list[str]:
        """The agency and group ids the person's national scopes name that the register (``agencies``, ``groups``)
        does not have, sorted.

        A mistyped group in the staff file is not an error the file can catch by itself (the register lives in the
        database and changes), and it silently shows a coordinator fewer agencies, or none: the national page names
        it instead, so the person can ask for it to be put right.
        """
        named_agencies, named_groups = self.names
        return sorted((named_agencies - set(agencies)) | (named_groups - set(groups)))

    @property
    def names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The agency ids and group ids the person's national scopes name (none for the inspectorate: every agency)."""
        agencies = frozenset(a for scope in self.national for a in scope.agencies)
        return agencies, frozenset(g for scope in self.national for g in scope.agency_groups)


def access_for(identity: Identity, grants: Iterable[Grant]) -> Access:
    """The union of every grant that covers ``identity``."""
    roles: set[StaffRole] = set()
    agencies: set[str] = set()
    national: list[NationalScope] = []
    for grant in grants:
        if not grant.who.covers(identity):
            continue
        roles.add(grant.role)
        if grant.role == StaffRole.LIAISON_OFFICER:
            agencies |= grant.agencies
        elif grant.role == StaffRole.INSPECTORATE:
            national.append(EVERYTHING)
        elif grant.role == StaffRole.NATIONAL_COORDINATOR and grant.national is not None:
            national.append(grant.national)
    return Access(roles=frozenset(roles), agencies=frozenset(agencies), national=tuple(dict.fromkeys(national)))


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
