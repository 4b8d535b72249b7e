"""Repository functions: keyword-only, each takes the session; the only code that writes the tables.

Every change to an action goes through here and leaves an event. Writes to an action are conditional on its version
(optimistic locking), so two people saving at once cannot silently overwrite each other.
"""

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, and_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from models.definitions import RecommendationDefinition, RegisterDefinition, ReportDefinition
from models.rules.deadlines import action_due, return_due
from models.rules.due_dates import item_due
from models.rules.errors import ActionedError, ConflictError, NotFound, TransitionError, UnknownAddressee
from models.rules.recipients import (
    ALL_RECIPIENTS,
    build_alias_table,
    one_force_targets,
    recipients_by_recommendation,
    resolve_addressee,
)
from models.rules.transitions import can_reassign, closing_asked, decide_move, parse_status
from models.rules.vocabulary import CLOSED, Actor, ContactRole, Status
from models.store.tables import (
    Action,
    Agency,
    Contact,
    Event,
    Group,
    GroupMember,
    Recommendation,
    Report,
    ReturnComments,
    ReturnCommentsChange,
    Task,
)

SYSTEM = "actioned"


# --- the register -------------------------------------------------------------------------------------------------


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
        if row is None:
            if a.name is None or a.kind is None:
                raise NotFound(f"{source}: agency {a.id!r} is not registered (give its name and kind to add it)")
            row = Agency(id=a.id, name=a.name, kind=a.kind)
            summary.agencies_added += 1
        elif a.name is not None:
            summary.agencies_updated += 1
        if a.name is not None and a.kind is not None:
            row.name, row.kind = a.name, a.kind
        if a.oversees is not None:
            row.oversees = a.oversees
        if a.aliases:
            row.aliases = list(a.aliases)
        if a.apprise_urls is not None:
            row.apprise_urls = list(a.apprise_urls)
        session.add(row)
        agencies[a.id] = row
    session.flush()
    for a in register.agencies:
        if a.oversees is not None and a.oversees not in agencies:
            raise NotFound(f"{source}: agency {a.id!r} oversees {a.oversees!r}, which is not registered")
        if a.groups is not None:
            unknown = [g for g in a.groups if g not in groups]
            if unknown:
                raise NotFound(
                    f"{source}: agency {a.id!r}: unknown group {unknown[0]!r} (known: {', '.join(sorted(groups))})"
                )
            local = keep_local and a.id in known_agencies
            if not local:
                session.execute(GroupMember.__table__.delete().where(GroupMember.agency_id == a.id))  # type: ignore[attr-defined]
            for group_id in a.groups:
                if not local or group_id not in known_groups:
                    session.add(GroupMember(group_id=group_id, agency_id=a.id))
        _import_contacts(session, agency=a, summary=summary, replace=replace_contacts, keep_local=keep_local)
    session.flush()
    return summary


def _import_contacts(
    session: Session, *, agency: Any, summary: RegisterSummary, replace: bool, keep_local: bool
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
    groups = [{"id": g.id, "name": g.name, "aliases": g.aliases} for g in session.exec(select(Group))]
    agencies = [{"id": a.id, "name": a.name, "aliases": a.aliases} for a in session.exec(select(Agency))]
    return build_alias_table(groups, agencies)


def group_members(session: Session) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for group_id, agency_id in session.exec(select(GroupMember.group_id, GroupMember.agency_id)).all():
        members[group_id].add(agency_id)
    return dict(members)


# --- reports ------------------------------------------------------------------------------------------------------


@dataclass
class ReportSummary:
    report_id: str
    created: bool
    recommendations_added: list[str] = field(default_factory=list)
    recommendations_updated: list[str] = field(default_factory=list)
    recommendations_kept: list[str] = field(default_factory=list)
    actions_moved: int = 0


def resolve_groups(session: Session, *, definition: ReportDefinition, source: str) -> dict[tuple[str, str], list[str]]:
    """(kind, number) -> group or agency ids, checked against the register before anything is written.

    A report about one force (``about``, a PEEL inspection) addresses only that force and its local policing body.
    """
    aliases = alias_table(session)
    group_ids = list(session.exec(select(Group.id)))
    known = set(aliases.values()) | {ALL_RECIPIENTS}
    resolved: dict[tuple[str, str], list[str]] = {}
    force = session.get(Agency, definition.about) if definition.about else None
    if definition.about and (force is None or force.kind != "force"):
        raise NotFound(f"{source}: about: {definition.about!r} is not a registered force")
    body = session.exec(select(Agency.id).where(Agency.oversees == definition.about)).first() if force else None
    for i, rec in enumerate(definition.recommendations):
        where = f"{source}: recommendations[{i}] (number {rec.number})"
        if force is not None:
            allowed = one_force_targets(rec.addressee, force_id=force.id, body_id=body)
            outside = [g for g in rec.groups or [] if g not in (force.id, body)]
            if outside:
                raise ActionedError(
                    f"{where}: {outside[0]!r}: a report about {force.id} addresses only it and its body"
                )
            resolved[(rec.kind, rec.number)] = list(rec.groups) if rec.groups else allowed
            continue
        if rec.groups:
            unknown = [g for g in rec.groups if g not in known]
            if unknown:
                raise UnknownAddressee(rec.addressee, unknown[0], sorted(known))
            resolved[(rec.kind, rec.number)] = list(rec.groups)
            continue
        try:
            found = resolve_addressee(rec.addressee, aliases, groups=group_ids)
        except UnknownAddressee as exc:
            raise ActionedError(f"{where}: {exc}") from None
        resolved[(rec.kind, rec.number)] = [ALL_RECIPIENTS] if found.all_recipients else list(found.targets)
    return resolved


def import_report(session: Session, *, definition: ReportDefinition, source: str) -> ReportSummary:
    """Create or update a report and its recommendations (matched by kind and number); never duplicates.

    Its settings are checked first (the ladder: one clear line naming the field), so a report that the daily cycle
    could not remind is never registered.
    """
    from models.store.s55 import check_bodies
    from models.store.sweep import ladder_for

    try:
        ladder_for(definition.id, definition.settings)
        check_bodies(session, listed=definition.comments.bodies)
    except ActionedError as exc:
        raise ActionedError(f"{source}: {exc}") from None
    groups = resolve_groups(session, definition=definition, source=source)
    from models.store.due_dates import move_reissued

    now = datetime.now(UTC)
    report = session.get(Report, definition.id)
    summary = ReportSummary(report_id=definition.id, created=report is None)
    old_due = report_due_on(report) if report is not None else None
    if report is None:
        report = Report(id=definition.id, title=definition.title, published_on=definition.published_on)
    report.title = definition.title
    report.publisher = definition.publisher
    report.published_on = definition.published_on
    report.return_address = definition.return_address
    report.return_months = definition.return_months
    report.return_due_on = definition.return_due_on
    report.early_returns = definition.early_returns
    report.comments_required = definition.comments.required
    report.comments_convention = definition.comments.convention
    report.comments_recipients = list(definition.comments.recipients)
    report.comments_bodies = list(definition.comments.bodies)
    report.source_url = definition.source_url
    report.about = definition.about
    report.settings = dict(definition.settings)
    report.updated_at = now
    session.add(report)
    session.flush()
    existing = {
        (r.kind, r.number): r
        for r in session.exec(select(Recommendation).where(Recommendation.report_id == definition.id))
    }
    new_due = report_due_on(report)
    moves: list[tuple[int, date | None, date | None]] = []
    for position, rec in enumerate(definition.recommendations):
        row = existing.pop((rec.kind, rec.number), None)
        if row is not None and row.id is not None:
            before = action_due(own_due_on=row.due_on, report_due_on=old_due)
            own = own_due_on(rec, published_on=definition.published_on)
            moves.append((row.id, before, action_due(own_due_on=own, report_due_on=new_due)))
        if row is None:
            row = Recommendation(
                report_id=definition.id, number=rec.number, kind=rec.kind, addressee=rec.addressee, text=rec.text
            )
            summary.recommendations_added.append(rec.number)
        else:
            summary.recommendations_updated.append(rec.number)
        row.position = position
        row.addressee = rec.addressee
        row.groups = groups[(rec.kind, rec.number)]
        row.text = rec.text
        row.due_on = own_due_on(rec, published_on=definition.published_on)
        row.due_text = rec.due_text
        session.add(row)
    summary.recommendations_kept = sorted(r.number for r in existing.values())
    session.flush()
    for rec_id, before, after in moves:
        if before != after:
            summary.actions_moved += move_reissued(
                session, recommendation_id=rec_id, old_date=before, new_date=after, now=now
            )
    return summary


def own_due_on(rec: RecommendationDefinition, *, published_on: date) -> date | None:
    """An item's own deadline: its ``due_on``, else what its ``due_text`` says, counted from publication
    ("immediately": publication day; "within three months of the date of this report", "within 56 days").
    """
    if rec.due_on is not None or not rec.due_text:
        return rec.due_on
    from models.extraction.deadlines_text import choose_deadline, find_deadlines

    chosen, _ = choose_deadline(find_deadlines(rec.due_text, published_on))
    return item_due(
        own_due_on=chosen.due_on if chosen else None,
        immediately=chosen is not None and chosen.due_text == "immediately",
        published_on=published_on,
        report_due_on=None,
    )


def get_report(session: Session, *, report_id: str) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        known = ", ".join(session.exec(select(Report.id))) or "none registered"
        raise NotFound(f"report {report_id!r} is not registered (known: {known})")
    return report


def list_reports(session: Session) -> list[Report]:
    """The registered reports, oldest first."""
    return list(session.exec(select(Report).order_by(col(Report.published_on), col(Report.id))))


def get_agency(session: Session, *, agency_id: str) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id!r} is not registered (see actioned actions list)")
    return agency


def agency_names(session: Session) -> dict[str, str]:
    """Agency id -> name, for every registered agency."""
    return {a.id: a.name for a in session.exec(select(Agency))}


def first_owned_action(session: Session, *, agency_id: str) -> Action | None:
    """The agency's first action that has an owner (the demo opens it)."""
    return session.exec(
        select(Action)
        .where(Action.agency_id == agency_id, col(Action.owner_email).is_not(None))
        .order_by(col(Action.id))
    ).first()


def report_due_on(report: Report) -> date | None:
    return return_due(report.published_on, months=report.return_months, on=report.return_due_on)


# --- the fan-out --------------------------------------------------------------------------------------------------


@dataclass
class FanOutSummary:
    report_id: str
    created: int
    existing: int
    by_recommendation: dict[str, int]


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


def fan_out(session: Session, *, report_id: str, now: datetime | None = None) -> FanOutSummary:
    """One action per (recommendation, addressed agency), created in sets; existing pairs are left alone.

    Each new action is due on its recommendation's own date or the report's return date, owned by the agency's default
    owner (open) or nobody yet (awaiting allocation), and gets a "created" event.
    """
    now = now or datetime.now(UTC)
    report = get_report(session, report_id=report_id)
    recs = list(
        session.exec(
            select(Recommendation).where(Recommendation.report_id == report_id).order_by(col(Recommendation.position))
        )
    )
    agency_ids = list(session.exec(select(Agency.id)))
    targets = {r.number if r.kind == "recommendation" else f"{r.kind}:{r.number}": r.groups for r in recs}
    recipients = recipients_by_recommendation(targets, group_members(session), agency_ids)
    existing = set(
        session.exec(select(Action.recommendation_id, Action.agency_id).where(Action.report_id == report_id)).all()
    )
    owners = default_owners(session)
    due_default = report_due_on(report)
    rows: list[tuple[object, ...]] = []
    by_rec: dict[str, int] = {}
    for rec, key in zip(recs, targets, strict=True):
        assert rec.id is not None
        agencies = sorted(recipients[key])
        by_rec[rec.number] = len(agencies)
        due_on = action_due(own_due_on=rec.due_on, report_due_on=due_default)
        for agency_id in agencies:
            if (rec.id, agency_id) in existing:
                continue
            owner = owners.get(agency_id)
            status = (Status.OPEN if owner else Status.AWAITING_ALLOCATION).value
            assignment = 1 if owner else 0
            email, name = owner or (None, None)
            rows.append(
                (rec.id, report_id, agency_id, email, name, assignment, due_on, due_on, status, 1, 0, 0, now, now, now)
            )
    if rows:
        created = insert_returning(session, Action.__table__, ACTION_COLUMNS, rows, returning=("id", "status"))  # type: ignore[attr-defined]
        events = [(action_id, now, SYSTEM, "created", status) for action_id, status in created]
        bulk_insert(session, Event.__table__, EVENT_COLUMNS, events)  # type: ignore[attr-defined]
    return FanOutSummary(report_id=report_id, created=len(rows), existing=len(existing), by_recommendation=by_rec)


ACTION_COLUMNS = (
    "recommendation_id",
    "report_id",
    "agency_id",
    "owner_email",
    "owner_name",
    "assignment",
    "due_on",
    "original_due_on",
    "status",
    "version",
    "due_changes",
    "due_round",
    "created_at",
    "updated_at",
    "last_event_at",
)
"""The columns a fan-out writes for each new action, in the order of its rows."""
EVENT_COLUMNS = ("action_id", "at", "actor", "kind", "to_value")
"""The columns of each new action's "created" event."""

INSERT_CHUNK = 1_000
"""Rows per multi-row INSERT ... RETURNING: 12 columns x 1,000 stays far below SQLite's 32,766 bound parameters."""


def _driver_rows(
    session: Session, table: Table, names: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> list[tuple[object, ...]]:
    """The rows in the driver's own form: each column with a bind processor (dates and datetimes on SQLite, for
    instance) converted by its column's type, once per distinct value; the other columns as they are.

    The ORM's bulk insert spends about 150 microseconds a row building parameters (a fan-out of a large report is
    tens of thousands of rows); converting column by column, and only what needs it, keeps the fan-out near bare SQL.
    """
    dialect = session.connection().dialect
    processors = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
    if not any(processors):
        return list(rows)
    columns: list[Sequence[object]] = list(zip(*rows, strict=True))
    for i, process in enumerate(processors):
        if process is None:
            continue
        converted = {value: process(value) for value in set(columns[i]) if value is not None}
        converted[None] = None
        columns[i] = [converted[value] for value in columns[i]]
    return list(zip(*columns, strict=True))


def _insert_into(session: Session, table: Table, names: Sequence[str]) -> tuple[str, str]:
    """``INSERT INTO table (names) VALUES`` and one row's placeholders, in the driver's positional style."""
    dialect = session.connection().dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    head = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(quote(n) for n in names)}) VALUES"
    )
    return head, "(" + ", ".join(mark for _ in names) + ")"


def bulk_insert(session: Session, table: Table, names: Sequence[str], rows: Sequence[tuple[object, ...]]) -> None:
    """Insert many rows (values in the order of ``names``) through the driver's executemany, on the session's
    connection and transaction.
    """
    if not rows:
        return
    head, marks = _insert_into(session, table, names)
    session.connection().exec_driver_sql(f"{head} {marks}", _driver_rows(session, table, names, rows))


def insert_returning(
    session: Session,
    table: Table,
    names: Sequence[str],
    rows: Sequence[tuple[object, ...]],
    *,
    returning: Sequence[str],
) -> list[tuple[Any, ...]]:
    """Insert many rows (values in the order of ``names``) and return the ``returning`` columns of each new row, in
    no particular order.

    Multi-row ``INSERT ... VALUES (...), (...) RETURNING`` in chunks of ``INSERT_CHUNK``: SQLite (3.35 and later) and
    PostgreSQL both hand back what they assigned (the ids), so nothing has to be looked up again afterwards (at a
    million actions on PostgreSQL, selecting the new ones again took about 0.25 s a report).
    """
    if not rows:
        return []
    head, marks = _insert_into(session, table, names)
    back = ", ".join(session.connection().dialect.identifier_preparer.quote(n) for n in returning)
    converted = _driver_rows(session, table, names, rows)
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(converted), INSERT_CHUNK):
        chunk = converted[start : start + INSERT_CHUNK]
        statement = f"{head} {', '.join(marks for _ in chunk)} RETURNING {back}"
        params = tuple(itertools.chain.from_iterable(chunk))
        out.extend(session.connection().exec_driver_sql(statement, params).tuples().all())
    return out


# --- actions ------------------------------------------------------------------------------------------------------


def get_action(session: Session, *, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"action {action_id} does not exist")
    return action


def action_setting(session: Session, action: Action) -> tuple[Recommendation, Report, Agency]:
    """The recommendation, report and agency an action belongs to (each one exists: the action's foreign keys)."""
    rec = session.get(Recommendation, action.recommendation_id)
    report = session.get(Report, action.report_id)
    agency = session.get(Agency, action.agency_id)
    assert rec is not None
    assert report is not None
    assert agency is not None
    return rec, report, agency


def write_action(
    session: Session,
    *,
    action: Action,
    values: dict[str, object],
    events: Sequence[Event],
    expected_version: int | None,
    now: datetime,
) -> Action:
    """Apply ``values`` to the action only if nobody changed it since ``expected_version``; then log ``events``."""
    assert action.id is not None
    version = action.version if expected_version is None else expected_version
    result = session.execute(
        update(Action)
        .where(and_(col(Action.id) == action.id, col(Action.version) == version))
        .values(**values, version=version + 1, updated_at=now, last_event_at=now)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(
            f"action {action.id} was changed by someone else since you opened it "
            f"(your version {version}, now {action.version}): reload it and apply your change again"
        )
    for event in events:
        event.action_id = action.id
        event.at = now
        session.add(event)
    session.flush()
    session.refresh(action)
    return action


def update_action(
    session: Session,
    *,
    action_id: int,
    by: str,
    actor: Actor = Actor.ADMIN,
    status: str | None = None,
    response: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Action:
    """Change an action's status and/or response, under the transition rule, leaving one event per change."""
    now = now or datetime.now(UTC)
    action = get_action(session, action_id=action_id)
    values: dict[str, object] = {}
    events: list[Event] = []
    if response is not None:
        if not response.strip():
            raise ActionedError(
                "give the text that will stand in the progress return", field="response", about=f"action {action_id}"
            )
        if response != action.response:
            values["response"] = response
            events.append(
                Event(action_id=action_id, actor=by, kind="response", from_value=action.response, to_value=response)
            )
    if status is not None:
        requested = parse_status(status)
        try:
            to = decide_move(
                Status(action.status),
                requested,
                actor=actor,
                note=note,
                response=action.response if response is None else response,
                signing=Status(action.closing or Status.COMPLETE),
                tasks_not_done=session.exec(
                    select(func.count()).select_from(Task).where(Task.action_id == action_id, Task.status != "done")
                ).one(),
            )
        except TransitionError as exc:
            raise exc.concerning(f"action {action_id}") from None
        asked = closing_asked(Status(action.status), requested)
        values["closing"] = asked.value if asked else None
        values["status"] = to.value
        values["closed_at"] = now if to in CLOSED else None
        events.append(
            Event(action_id=action_id, actor=by, kind="status", from_value=action.status, to_value=to, note=note)
        )
    elif note:
        events.append(Event(action_id=action_id, actor=by, kind="note", note=note))
    if not events:
        raise ActionedError(f"action {action_id}: nothing to change (give --status, --response or --note)")
    return write_action(
        session, action=action, values=values, events=events, expected_version=expected_version, now=now
    )


def assign_owner(
    session: Session,
    *,
    action_id: int,
    owner_email: str,
    owner_name: str | None = None,
    by: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Action:
    """Give the action a new owner: a new assignment (the ladder restarts, old links die); allocation opens it."""
    from models.definitions import check_email

    now = now or datetime.now(UTC)
    try:
        owner_email = check_email(owner_email)
    except ValueError as exc:
        raise ActionedError(str(exc), field="owner", about=f"action {action_id}") from None
    action = get_action(session, action_id=action_id)
    if not can_reassign(Status(action.status)):
        raise TransitionError(
            f"a {action.status} action cannot be reassigned (reopen it first)",
            field="owner",
            about=f"action {action_id}",
        )
    values: dict[str, object] = {
        "owner_email": owner_email,
        "owner_name": owner_name,
        "assignment": action.assignment + 1,
    }
    events = [Event(action_id=action_id, actor=by, kind="owner", from_value=action.owner_email, to_value=owner_email)]
    if action.status == Status.AWAITING_ALLOCATION:
        values["status"] = Status.OPEN.value
        events.append(
            Event(action_id=action_id, actor=by, kind="status", from_value=action.status, to_value=Status.OPEN)
        )
    return write_action(
        session, action=action, values=values, events=events, expected_version=expected_version, now=now
    )


def events_for(session: Session, *, action_id: int) -> list[Event]:
    return list(session.exec(select(Event).where(Event.action_id == action_id).order_by(col(Event.at), col(Event.id))))


@dataclass(frozen=True)
class ActionRow:
    """An action with what a person needs to read it: the recommendation and the agency."""

    action: Action
    number: str
    addressee: str
    text: str
    agency_name: str


def list_actions(
    session: Session,
    *,
    report_id: str | None = None,
    agency_id: str | None = None,
    status: str | None = None,
    overdue_on: date | None = None,
) -> list[ActionRow]:
    if report_id:
        get_report(session, report_id=report_id)  # a filter naming no report is a mistake, not "0 actions"
    if agency_id:
        get_agency(session, agency_id=agency_id)
    query = (
        sa_select(
            Action,
            col(Recommendation.number),
            col(Recommendation.addressee),
            col(Recommendation.text),
            col(Agency.name),
        )
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .join(Agency, col(Agency.id) == Action.agency_id)
    )
    if report_id:
        query = query.where(col(Action.report_id) == report_id)
    if agency_id:
        query = query.where(col(Action.agency_id) == agency_id)
    if status:
        query = query.where(col(Action.status) == parse_status(status, field="--status").value)
    if overdue_on:
        query = query.where(col(Action.due_on) < overdue_on, col(Action.status).not_in([s.value for s in CLOSED]))
    query = query.order_by(col(Action.report_id), col(Action.agency_id), col(Recommendation.position))
    return [ActionRow(*row) for row in session.execute(query).all()]


def record_response(
    session: Session,
    *,
    report_id: str,
    agency_id: str,
    number: str,
    text: str,
    by: str,
    now: datetime | None = None,
) -> Action:
    """Record an agency's response to a recommendation, found by report, agency and number."""
    action = session.exec(
        select(Action)
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .where(Action.report_id == report_id, Action.agency_id == agency_id, Recommendation.number == number)
    ).one_or_none()
    if action is None:
        raise NotFound(f"{agency_id} has no action for recommendation {number} of {report_id}")
    assert action.id is not None
    return update_action(session, action_id=action.id, by=by, response=text, now=now)


def responses_written(session: Session, *, report_id: str, agency_id: str) -> dict[str, str]:
    """Recommendation number -> the response already recorded in the agency's action (non-empty ones only)."""
    rows = session.exec(
        select(Recommendation.number, Action.response)
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .where(Action.report_id == report_id, Action.agency_id == agency_id)
    )
    return {number: response for number, response in rows if response and response.strip()}


def comments_written(session: Session, *, report_id: str, agency_id: str) -> dict[str, str]:
    """The parts of the agency's return comments that already hold text."""
    row = session.get(ReturnComments, (report_id, agency_id))
    parts = ("chief_officer", "portfolio_lead", "pcc", "lpb_comments")
    return {name: getattr(row, name) for name in parts if row is not None and (getattr(row, name) or "").strip()}


def set_return_comments(
    session: Session,
    *,
    report_id: str,
    agency_id: str,
    by: str,
    chief_officer: str | None = None,
    portfolio_lead: str | None = None,
    pcc: str | None = None,
    lpb_comments: str | None = None,
    signatory: str | None = None,
    sign_off: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ReturnComments:
    """Record the comments that stand around an agency's responses in its return (None leaves a part as it is),
    and who signed the response document and the line it was signed off with, as read from it.

    ``expected_version`` (the page's): someone else saved since raises ConflictError and nothing changes. Every save
    is kept as a row of ``return_comments_changes``.
    """
    get_report(session, report_id=report_id)
    get_agency(session, agency_id=agency_id)
    row = session.get(ReturnComments, (report_id, agency_id), with_for_update=True) or ReturnComments(
        report_id=report_id, agency_id=agency_id
    )
    if expected_version is not None and expected_version != row.version:
        raise ConflictError("someone else saved these comments first", field="version")
    for name, value in (
        ("chief_officer", chief_officer),
        ("portfolio_lead", portfolio_lead),
        ("pcc", pcc),
        ("lpb_comments", lpb_comments),
        ("signatory", signatory),
        ("sign_off", sign_off),
    ):
        if value is not None:
            setattr(row, name, value)
    row.updated_by = by
    row.updated_at = now or datetime.now(UTC)
    row.version += 1
    session.add(row)
    session.add(
        ReturnCommentsChange(
            report_id=report_id,
            agency_id=agency_id,
            version=row.version,
            chief_officer=row.chief_officer,
            portfolio_lead=row.portfolio_lead,
            pcc=row.pcc,
            lpb_comments=row.lpb_comments,
            changed_by=by,
            changed_at=row.updated_at,
        )
    )
    session.flush()
    return row


def record_return_content(session: Session, *, report_id: str, seed: Mapping[str, Any], by: str) -> None:
    """A return's content as an agency wrote it (``responses`` by recommendation number, ``chief_officer`` and
    ``portfolio_lead`` comments): the shipped example return, recorded as its liaison officer would.
    """
    for number, text in seed["responses"].items():
        record_response(session, report_id=report_id, agency_id=seed["agency"], number=number, text=text, by=by)
    set_return_comments(
        session,
        report_id=report_id,
        agency_id=seed["agency"],
        by=by,
        chief_officer=seed["chief_officer"],
        portfolio_lead=seed["portfolio_lead"],
    )


def contacts_of(session: Session, *, agency_id: str, role: str | None = None) -> list[Contact]:
    query = select(Contact).where(Contact.agency_id == agency_id)
    if role:
        query = query.where(Contact.role == role)
    return list(session.exec(query.order_by(col(Contact.id))))


def list_recommendations(session: Session, *, report_id: str) -> list[Recommendation]:
    return list(
        session.exec(
            select(Recommendation).where(Recommendation.report_id == report_id).order_by(col(Recommendation.position))
        )
    )
