"""Actions: read, change (under the transition rule, optimistically locked) and list; every change leaves an
event.

Writes to an action are conditional on its version, so two people saving at once cannot silently overwrite each
other.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from models.rules.errors import ActionedError, ConflictError, NotFound, TransitionError
from models.rules.transitions import can_reassign, closing_asked, decide_move, parse_status
from models.rules.vocabulary import CLOSED, Actor, Status
from models.store.register import get_agency
from models.store.reports import get_report
from models.store.tables import (
    Action,
    Agency,
    Event,
    Recommendation,
    Report,
    Task,
)

SYSTEM = "actioned"


def first_owned_action(session: Session, *, agency_id: str) -> Action | None:
    """The agency's first action that has an owner (the demo opens it)."""
    return session.exec(
        select(Action)
        .where(Action.agency_id == agency_id, col(Action.owner_email).is_not(None))
        .order_by(col(Action.id))
    ).first()


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


_EVENTS = select(Event).where(col(Event.action_id) == bindparam("action_id")).order_by(col(Event.at), col(Event.id))
"""Built once: the owner's page reads an action's events on every request, and building a statement cost as much as
running it."""


def events_for(session: Session, *, action_id: int) -> list[Event]:
    """The action's events, oldest first."""
    return list(session.exec(_EVENTS, params={"action_id": action_id}))


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
