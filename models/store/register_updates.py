"""The register as the administrators' page shows it, and the shipped register's updates applied on confirmation.

Accepting applies exactly what ``actioned init`` applies on an existing database (``import_register`` with
``keep_local``); an agency a person chose additionally takes the shipped register's name, kind and groups (and
nothing else of it is touched: its contacts stay).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from sqlmodel import Session, col, select

from models.definitions import RegisterDefinition
from models.files import load_register
from models.rules.errors import ActionedError
from models.rules.register_changes import AgencyEntry, RegisterChanges, register_changes
from models.store.register import RegisterSummary, import_register
from models.store.tables import Agency, Contact, Group, GroupMember

SHIPPED_REGISTER = Path(__file__).resolve().parents[1] / "data" / "agencies.yaml"
"""The register Actioned ships (``actioned init`` loads it)."""


def shipped_register() -> RegisterDefinition:
    """The shipped register, read once for each version of the file on disk.

    The administrators' page compares it with the database on every visit; reading and checking its YAML took most of
    that page's time (about 60 ms of 120). The file changes only when Actioned is upgraded, and the cache is keyed by
    its modification time and size, so an upgrade in place is seen at once. Read only: it is shared between requests.
    """
    stat = SHIPPED_REGISTER.stat()
    return _shipped_version(stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1)
def _shipped_version(_modified_ns: int, _size: int) -> RegisterDefinition:
    return load_register(SHIPPED_REGISTER)


class AgencyLine(NamedTuple):
    id: str
    name: str
    kind: str


class GroupLine(NamedTuple):
    id: str
    name: str


class ContactLine(NamedTuple):
    role: str
    name: str
    email: str


@dataclass(frozen=True)
class RegisterRow:
    agency: AgencyLine
    groups: list[GroupLine]
    contacts: list[ContactLine]


@dataclass(frozen=True)
class RegisterListing:
    """The register as read once for the administrators' page: every group (some may have no member yet), and every
    agency with its groups and contacts.
    """

    groups: dict[str, GroupLine]
    rows: list[RegisterRow]


def register_listing(session: Session) -> RegisterListing:
    """Every group, and every agency with its groups and contacts, by kind and name.

    Read as plain rows, not table objects: the page lists every contact of every agency (hundreds), and building an
    ORM object for each was a third of the administrators' register page's time. Read once per visit: the shipped
    register's comparison (``shipped_changes``) reads the same listing.
    """
    groups = {g.id: g for g in (GroupLine(*row) for row in session.exec(select(Group.id, Group.name)))}
    members: dict[str, list[GroupLine]] = defaultdict(list)
    for group_id, agency_id in session.exec(select(GroupMember.group_id, GroupMember.agency_id)).all():
        members[agency_id].append(groups[group_id])
    contacts: dict[str, list[ContactLine]] = defaultdict(list)
    ordered = select(Contact.agency_id, Contact.role, Contact.name, Contact.email)
    for agency_id, role, name, email in session.exec(ordered.order_by(col(Contact.role), col(Contact.name))):
        contacts[agency_id].append(ContactLine(role, name, email))
    agencies = session.exec(select(Agency.id, Agency.name, Agency.kind).order_by(col(Agency.kind), col(Agency.name)))
    rows = [RegisterRow(AgencyLine(*a), sorted(members[a[0]], key=lambda g: g.name), contacts[a[0]]) for a in agencies]
    return RegisterListing(groups, rows)


def _local(listing: RegisterListing) -> tuple[list[str], dict[str, AgencyEntry]]:
    agencies = {
        r.agency.id: AgencyEntry(r.agency.id, r.agency.name, r.agency.kind, frozenset(g.id for g in r.groups))
        for r in listing.rows
    }
    return list(listing.groups), agencies


def _shipped(register: RegisterDefinition) -> list[AgencyEntry]:
    return [AgencyEntry(a.id, a.name or a.id, a.kind or "", frozenset(a.groups or ())) for a in register.agencies]


def shipped_changes(listing: RegisterListing, *, register: RegisterDefinition) -> RegisterChanges:
    """How the shipped register differs from the database's (``listing``, as ``register_listing`` reads it)."""
    local_groups, local = _local(listing)
    return register_changes(
        shipped_groups=[g.id for g in register.groups],
        shipped=_shipped(register),
        local_groups=local_groups,
        local=local,
    )


def accept(session: Session, *, register: RegisterDefinition, source: str, take: Iterable[str] = ()) -> RegisterSummary:
    """What init applies; then, for each agency in ``take``, the shipped register's name, kind and groups."""
    changes = shipped_changes(register_listing(session), register=register)
    differing = {d.id for d in changes.kept}
    chosen = set(take)
    unknown = sorted(chosen - differing)
    if unknown:
        raise ActionedError(
            f"Choose among the agencies listed: the shipped register has no difference for {unknown[0]!r}", field="take"
        )
    summary = import_register(session, register=register, source=source, keep_local=True)
    if chosen:
        taken = [
            a.model_copy(update={"contacts": [], "aliases": [], "apprise_urls": None, "oversees": None})
            for a in register.agencies
            if a.id in chosen
        ]
        import_register(session, register=RegisterDefinition(groups=register.groups, agencies=taken), source=source)
    return summary
