"""The register: groups, agencies and their contacts (imported from the shipped YAML or a force's file)."""

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from models.definitions import AgencyDefinition, RegisterDefinition
from models.rules.errors import ActionedError, NotFound
from models.rules.recipients import (
    build_alias_table,
)
from models.rules.vocabulary import ContactRole
from models.store.tables import (
    Agency,
    Contact,
    Group,
    GroupMember,
)


@dataclass
class RegisterSummary:
    groups: int = 0
    agencies_added: int = 0
    agencies_updated: int = 0
    contacts_added: int = 0
    contacts_updated: int = 0
    contacts_removed: int = 0


def import_register(
    session: Session,
    *,
    register: RegisterDefinition,
    source: str,
    replace_contacts: bool = False,
    keep_local: bool = False,
) -> RegisterSummary:
    """Upsert groups, agencies, memberships and contacts. Unknown agency or group ids are errors naming ``source``.

    ``replace_contacts``: each agency in the file ends with exactly the contacts the file gives it (others removed).
    ``keep_local`` (``actioned init`` on an existing database): only what the database lacks is added (agencies,
    groups, an agency's place in a group new to the database, a contact for a role the agency has none in); an agency
    already there keeps its name, kind, groups and contacts as they were edited locally.
    """
    summary = RegisterSummary()
    groups = {g.id: g for g in session.exec(select(Group))}
    agencies = {a.id: a for a in session.exec(select(Agency))}
    known_groups, known_agencies = set(groups), set(agencies)
    for g in register.groups:
        group = groups.get(g.id) or Group(id=g.id, name=g.name)
        group.name, group.description, group.aliases = g.name, g.description, list(g.aliases)
        session.add(group)
        groups[g.id] = group
        summary.groups += 1
    session.flush()
    for a in register.agencies:
        row = agencies.get(a.id)
        if keep_local and row is not None:
            continue
        agencies[a.id] = _upsert_agency(session, agency=a, row=row, source=source, summary=summary)
    session.flush()
    for a in register.agencies:
        if a.oversees is not None and a.oversees not in agencies:
            raise NotFound(f"{source}: agency {a.id!r} oversees {a.oversees!r}, which is not registered")
        if a.groups is not None:
            local = keep_local and a.id in known_agencies
            _place_in_groups(session, agency=a, groups=groups, source=source, keep=known_groups if local else None)
        _import_contacts(session, agency=a, summary=summary, replace=replace_contacts, keep_local=keep_local)
    session.flush()
    return summary


def _upsert_agency(
    session: Session, *, agency: AgencyDefinition, row: Agency | None, source: str, summary: RegisterSummary
) -> Agency:
    """The agency's row, added or updated from what the file gives (an entry with only contacts changes nothing)."""
    if row is None:
        if agency.name is None or agency.kind is None:
            raise NotFound(f"{source}: agency {agency.id!r} is not registered (give its name and kind to add it)")
        row = Agency(id=agency.id, name=agency.name, kind=agency.kind)
        summary.agencies_added += 1
    elif agency.name is not None:
        summary.agencies_updated += 1
    if agency.name is not None and agency.kind is not None:
        row.name, row.kind = agency.name, agency.kind
    if agency.oversees is not None:
        row.oversees = agency.oversees
    if agency.aliases:
        row.aliases = list(agency.aliases)
    if agency.apprise_urls is not None:
        row.apprise_urls = list(agency.apprise_urls)
    session.add(row)
    return row


def _place_in_groups(
    session: Session, *, agency: AgencyDefinition, groups: dict[str, Group], source: str, keep: set[str] | None
) -> None:
    """The agency's memberships become the groups the file lists. ``keep``: the groups the database held before the
    import, for an agency kept as edited locally: its memberships stay, and it joins only groups new to the database.
    """
    wanted = agency.groups or []
    unknown = [g for g in wanted if g not in groups]
    if unknown:
        raise NotFound(
            f"{source}: agency {agency.id!r}: unknown group {unknown[0]!r} (known: {', '.join(sorted(groups))})"
        )
    if keep is None:
        session.execute(GroupMember.__table__.delete().where(GroupMember.agency_id == agency.id))  # type: ignore[attr-defined]
    for group_id in wanted:
        if keep is None or group_id not in keep:
            session.add(GroupMember(group_id=group_id, agency_id=agency.id))


def _import_contacts(
    session: Session, *, agency: AgencyDefinition, summary: RegisterSummary, replace: bool, keep_local: bool
) -> None:
    current = list(session.exec(select(Contact).where(Contact.agency_id == agency.id)))
    roles_held = {c.role for c in current}
    by_key = {(c.role, c.email): c for c in current}
    for c in agency.contacts:
        existing = by_key.pop((c.role, c.email), None)
        if existing is None:
            if keep_local and c.role in roles_held:
                continue  # someone is recorded in this role locally: keep them
            session.add(Contact(agency_id=agency.id, role=c.role, name=c.name, email=c.email, title=c.title))
            summary.contacts_added += 1
        elif not keep_local:
            existing.name, existing.title = c.name, c.title
            summary.contacts_updated += 1
    if replace:
        for stale in by_key.values():
            session.delete(stale)
            summary.contacts_removed += 1


def remove_contact(session: Session, *, agency_id: str, email: str, role: str | None = None) -> list[Contact]:
    """Remove the agency's contact(s) with ``email`` (in ``role`` only, when given); NotFound when none matches."""
    get_agency(session, agency_id=agency_id)
    query = select(Contact).where(Contact.agency_id == agency_id, func.lower(Contact.email) == email.strip().lower())
    if role:
        if role not in {r.value for r in ContactRole}:
            roles = ", ".join(r.value for r in ContactRole)
            raise ActionedError(f"{role!r} is not a contact role (expected one of: {roles})", field="--role")
        query = query.where(Contact.role == role)
    found = list(session.exec(query))
    if not found:
        held = ", ".join(sorted({f"{c.email} ({c.role})" for c in contacts_of(session, agency_id=agency_id)}))
        raise NotFound(
            f"{agency_id} has no contact {email!r}{f' as {role}' if role else ''} (contacts: {held or 'none'})"
        )
    for contact in found:
        session.delete(contact)
    session.flush()
    return found


def alias_table(session: Session) -> dict[str, str]:
    """Every name and alias a report may use for a group or an agency -> its id (columns only: the import's review
    reads it on every visit: whole rows built an object per agency for three of its fields).
    """
    groups = [
        {"id": i, "name": n, "aliases": a} for i, n, a in session.exec(select(Group.id, Group.name, Group.aliases))
    ]
    agencies = [
        {"id": i, "name": n, "aliases": a} for i, n, a in session.exec(select(Agency.id, Agency.name, Agency.aliases))
    ]
    return build_alias_table(groups, agencies)


def group_members(session: Session) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for group_id, agency_id in session.exec(select(GroupMember.group_id, GroupMember.agency_id)).all():
        members[group_id].add(agency_id)
    return dict(members)


def get_agency(session: Session, *, agency_id: str) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id!r} is not registered (see actioned actions list)")
    return agency


def agency_names(session: Session) -> dict[str, str]:
    """Agency id -> name, for every registered agency."""
    return dict(session.exec(select(Agency.id, Agency.name)).all())


def default_owners(session: Session) -> dict[str, tuple[str, str]]:
    """Agency id -> (email, name) of its first owner contact."""
    owners: dict[str, tuple[str, str]] = {}
    rows = session.exec(
        select(Contact.agency_id, Contact.email, Contact.name)
        .where(Contact.role == ContactRole.OWNER)
        .order_by(col(Contact.id))
    ).all()
    for agency_id, email, name in rows:
        owners.setdefault(agency_id, (email, name))
    return owners


def contacts_of(session: Session, *, agency_id: str, role: str | None = None) -> list[Contact]:
    query = select(Contact).where(Contact.agency_id == agency_id)
    if role:
        query = query.where(Contact.role == role)
    return list(session.exec(query.order_by(col(Contact.id))))
