"""The validated shapes of the files users write: report definitions and agency registers.

Table models do not validate, so every file passes through these first. Unknown keys are errors (a typo in a field
name must not be silently ignored).
"""

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from models.rules.vocabulary import ItemKind

SLUG = r"^[a-z0-9][a-z0-9-]*$"
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
ROLES = ("owner", "portfolio_lead", "chief_officer", "liaison_officer", "pcc_contact")
KINDS = ("force", "local_policing_body", "national_body")


def _as_text(value: Any) -> Any:
    """Numbers written bare in YAML (``number: 7.1``) are still text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Text = Annotated[str, BeforeValidator(_as_text)]


def check_email(value: str) -> str:
    value = value.strip()
    if not EMAIL.match(value):
        raise ValueError(f"{value!r} is not an email address")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CommentsRule(Strict):
    """The statutory comments of local policing bodies (Police Act 1996 s.55) on a report about their force."""

    required: bool = False
    convention: Literal["day_one", "after"] = "day_one"
    recipients: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    """A national report's local policing bodies that owe comments (ids, or "all"); empty: the bodies it addresses.
    A report ``about`` one force ignores it: that force's body owes them."""


class RecommendationDefinition(Strict):
    number: Annotated[Text, Field(pattern=r"^[0-9]+(\.[0-9]+)*[a-z]?$", max_length=20)]
    kind: ItemKind = ItemKind.RECOMMENDATION
    addressee: Annotated[str, Field(min_length=1)]
    groups: list[str] | None = None
    text: Annotated[str, Field(min_length=1)]
    due_on: date | None = None
    due_text: str | None = None


class ReportDefinition(Strict):
    id: Annotated[str, Field(pattern=SLUG, max_length=120)]
    title: Annotated[str, Field(min_length=1)]
    publisher: str = "HMICFRS"
    published_on: date
    return_address: str | None = None
    return_months: Annotated[int, Field(ge=1, le=120)] | None = None
    return_due_on: date | None = None
    early_returns: bool = False
    comments: CommentsRule = Field(default_factory=CommentsRule)
    source_url: str | None = None
    about: Annotated[str, Field(pattern=SLUG, max_length=120)] | None = None
    """The one force the report is about (a PEEL inspection): its items address that force (and its local policing
    body), whatever their addressee line says."""
    settings: dict[str, Any] = Field(default_factory=dict)
    recommendations: Annotated[list[RecommendationDefinition], Field(min_length=1)]

    @field_validator("return_address")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        return None if value is None else check_email(value)

    @model_validator(mode="after")
    def _unique_numbers(self) -> "ReportDefinition":
        seen: set[tuple[str, str]] = set()
        for item in self.recommendations:
            if (item.kind, item.number) in seen:
                raise ValueError(f"{item.kind} {item.number} appears twice")
            seen.add((item.kind, item.number))
        return self


class ContactDefinition(Strict):
    role: Literal["owner", "portfolio_lead", "chief_officer", "liaison_officer", "pcc_contact"]
    name: Annotated[str, Field(min_length=1)]
    email: str
    title: str = ""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return check_email(value)


class GroupDefinition(Strict):
    id: Annotated[str, Field(pattern=SLUG, max_length=120)]
    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    aliases: list[str] = Field(default_factory=list)


class AgencyDefinition(Strict):
    """An agency, or (with only ``id`` and ``contacts``) contacts for an agency already registered."""

    id: Annotated[str, Field(pattern=SLUG, max_length=120)]
    name: str | None = None
    kind: Literal["force", "local_policing_body", "national_body"] | None = None
    groups: list[str] | None = None
    oversees: str | None = None
    aliases: list[str] = Field(default_factory=list)
    apprise_urls: list[str] | None = None
    contacts: list[ContactDefinition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _name_with_kind(self) -> "AgencyDefinition":
        if (self.name is None) != (self.kind is None):
            raise ValueError("a new agency needs both a name and a kind")
        return self


class RegisterDefinition(Strict):
    groups: list[GroupDefinition] = Field(default_factory=list)
    agencies: list[AgencyDefinition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> "RegisterDefinition":
        seen: set[str] = set()
        for item_id in [*(g.id for g in self.groups), *(a.id for a in self.agencies)]:
            if item_id in seen:
                raise ValueError(f"id {item_id!r} appears twice")
            seen.add(item_id)
        return self
