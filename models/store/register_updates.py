"""The register as the administrators' page shows it, and the shipped register's updates applied on confirmation.

Accepting applies exactly what ``actioned init`` applies on an existing database (``import_register`` with
``keep_local``); an agency a person chose additionally takes the shipped register's name, kind and groups (and
nothing else of it is touched: its contacts stay).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from models.definitions import RegisterDefinition
from models.rules.errors import ActionedError
from models.rules.register_changes import AgencyEntry, RegisterChanges, register_changes
from models.store.register import RegisterSummary, import_register
from models.store.tables import Agency, Contact, Group, GroupMember

SHIPPED_REGISTER = Path(__file__).resolve().parents[1] / "data" / "agencies.yaml"
"""The register Actioned ships (``actioned init`` loads it)."""


@dataclass(frozen=True)
class RegisterRow:
    agency: Agency
    groups: list[Group]
    contacts: list[Contact]


def register_rows(session: Session) -> list[RegisterRow]:
    """Every agency with its groups and contacts, by kind and name."""
    groups = {g.id: g for g in session.exec(select(Group))}
    members: dict[str, list[Group]] = defaultdict(list)
    for group_id, agency_id in session.exec(select(GroupMember.group_id, GroupMember.agency_id)).all():
        members[agency_id].append(groups[group_id])
    contacts: dict[str, list[Contact]] = defaultdict(list)
    for contact in session.exec(select(Contact).order_by(col(Contact.role), col(Contact.name))):
        contacts[contact.agency_id].append(contact)
    agencies = session.exec(select(Agency).order_by(col(Agency.kind), col(Agency.name)))
    return [RegisterRow(a, sorted(members[a.id], key=lambda g: g.name), contacts[a.id]) for a in agencies]


def _local(session: Session) -> tuple[list[str], dict[str, AgencyEntry]]:
    members = defaultdict(set)
    for group_id, agency_id in session.exec(select(GroupMember.group_id, GroupMember.agency_id)).all():
        members[agency_id].add(group_id)
    agencies = {a.id: AgencyEntry(a.id, a.name, a.kind, frozenset(members[a.id])) for a in session.exec(select(Agency))}
    return list(session.exec(select(Group.id))), agencies


def _shipped(register: RegisterDefinition) -> list[AgencyEntry]:
    return [AgencyEntry(a.id, a.name or a.id, a.kind or "", frozenset(a.groups or ())) for a in register.agencies]


def shipped_changes(session: Session, *, register: RegisterDefinition) -> RegisterChanges:
    local_groups, local = _local(session)
    return register_changes(
        shipped_groups=[g.id for g in register.groups],
        shipped=_shipped(register),
        local_groups=local_groups,
        local=local,
    )


def accept(session: Session, *, register: RegisterDefinition, source: str, take: Iterable[str] = ()) -> RegisterSummary:
    """What init applies; then, for each agency in ``take``, the shipped register's name, kind and groups."""
    changes = shipped_changes(session, register=register)
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
