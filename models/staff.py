"""The staff file: who may sign in to the staff pages, and as what. An administrator edits it; it is read afresh
whenever it changes, so a grant or a withdrawal takes effect on the person's next page.

    administrators:           {emails: [...], domains: [...], groups: [...]}
    inspectorate:             {domains: [hmicfrs.example.gov.uk]}
    national_coordinators:    # one entry, or a list; each says who and what they see on the national pages
      - {emails: [lead@npcc.example.org], agency_groups: [chief-constables]}
      - {groups: [cps-leads], reports: [safe-to-share], agencies: [home-office]}
    liaison_officers:
      wiltshire-police:       {emails: [liaison@wiltshire.example.org], groups: [...]}

Emails and domains compare without regard to case; groups are the identity provider's group claim values (for
Microsoft Entra ID, the groups' object ids). A coordinator's ``agencies`` and ``agency_groups`` are the register's
agency and group ids (neither: every agency addressed), ``reports`` the reports (none: every report); an entry must
name at least one of them, so no coordinator sees every return by an omission.
"""

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from models.definitions import SLUG, Strict
from models.files import load_yaml
from models.rules.staff import Grant, NationalScope, Who
from models.rules.vocabulary import StaffRole


class WhoDefinition(Strict):
    emails: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        for email in value:
            if "@" not in email or email.startswith("@"):
                raise ValueError(f"{email!r} is not an email address")
        return [email.strip().lower() for email in value]

    @field_validator("domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if "@" in domain or "." not in domain:
                raise ValueError(f"{domain!r} is not a domain (write example.org, not an address)")
        return [domain.strip().lower() for domain in value]

    def who(self) -> Who:
        return Who(emails=frozenset(self.emails), domains=frozenset(self.domains), groups=frozenset(self.groups))


AgencyId = Annotated[str, Field(pattern=SLUG)]


class CoordinatorDefinition(WhoDefinition):
    """A national coordinator: who (as every grant) and what the national pages show them."""

    agencies: list[AgencyId] = Field(default_factory=list)
    agency_groups: list[AgencyId] = Field(default_factory=list)
    reports: list[AgencyId] = Field(default_factory=list)

    @model_validator(mode="after")
    def _scoped(self) -> "CoordinatorDefinition":
        if not (self.agencies or self.agency_groups or self.reports):
            raise ValueError(
                "name what the coordinator sees: agencies, agency_groups (the register's group ids) or reports"
            )
        return self

    def scope(self) -> NationalScope:
        return NationalScope(
            agencies=frozenset(self.agencies),
            agency_groups=frozenset(self.agency_groups),
            reports=frozenset(self.reports) if self.reports else None,
        )


class StaffDefinition(Strict):
    administrators: WhoDefinition = Field(default_factory=WhoDefinition)
    inspectorate: WhoDefinition = Field(default_factory=WhoDefinition)
    national_coordinators: list[CoordinatorDefinition] = Field(default_factory=list)
    liaison_officers: dict[AgencyId, WhoDefinition] = Field(default_factory=dict)

    @field_validator("national_coordinators", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    def grants(self) -> list[Grant]:
        grants = [
            Grant(StaffRole.ADMINISTRATOR, self.administrators.who()),
            Grant(StaffRole.INSPECTORATE, self.inspectorate.who()),
        ]
        grants += [
            Grant(StaffRole.NATIONAL_COORDINATOR, c.who(), national=c.scope()) for c in self.national_coordinators
        ]
        grants += [
            Grant(StaffRole.LIAISON_OFFICER, who.who(), agencies=frozenset({agency}))
            for agency, who in self.liaison_officers.items()
        ]
        return grants


_cache: dict[Path, tuple[float, list[Grant]]] = {}


def load_grants(path: Path) -> list[Grant]:
    """The grants in the staff file at ``path`` (none when there is no file: nobody has a role). Raises
    DefinitionError naming the file, line and field when the file is malformed.
    """
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return []
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    grants = load_yaml(path, StaffDefinition).grants()
    _cache[path] = (mtime, grants)
    return grants
