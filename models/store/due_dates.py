"""Due-date changes: asked for one action with a reason, approved (or refused) by the agency's portfolio lead or
liaison officer, recorded with both dates; and the dates a re-imported report moves. The rules are
``models.rules.due_dates``; every change leaves an event, and an approved one restarts the ladder from the new date.
"""

from datetime import UTC, date, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from models.rules.due_dates import (
    DueDateError,
    check_approver,
    check_change_request,
    date_changes_allowed,
    moved_by_reissue,
)
from models.rules.vocabulary import ContactRole, DueChangeStatus, EventKind, Status
from models.store.actions import SYSTEM, get_action, write_action
from models.store.tables import Action, Contact, DueDateChange, Event, Report


def waiting_change(session: Session, *, action_id: int) -> DueDateChange | None:
    """The change asked for the action and not yet decided, if any (one at a time)."""
    return _pending(session, action_id)


_PENDING = select(DueDateChange).where(
    col(DueDateChange.action_id) == bindparam("action_id"),
    col(DueDateChange.status) == DueChangeStatus.REQUESTED.value,
)
"""Built once: the owner's and the staff action page ask it on every request."""


def _pending(session: Session, action_id: int) -> DueDateChange | None:
    return session.exec(_PENDING, params={"action_id": action_id}).first()


def changes_made(session: Session, *, action_id: int) -> list[DueDateChange]:
    """Every change asked for the action, oldest first (approved, refused and waiting)."""
    return list(
        session.exec(select(DueDateChange).where(DueDateChange.action_id == action_id).order_by(col(DueDateChange.id)))
    )


def request_change(
    session: Session, *, action_id: int, to_on: date, reason: str | None, by: str, now: datetime | None = None
) -> DueDateChange:
    """Ask for the action's due date to move to ``to_on``; nothing moves until it is approved."""
    now = now or datetime.now(UTC)
    action = get_action(session, action_id=action_id)
    report = session.get(Report, action.report_id)
    assert report is not None
    about = f"action {action_id}"
    try:
        check_change_request(
            status=Status(action.status),
            due_on=action.due_on,
            to_on=to_on,
            reason=reason,
            changes_made=action.due_changes,
            limit=date_changes_allowed(report.settings, report_id=f"report {report.id}"),
            pending=_pending(session, action_id) is not None,
        )
    except DueDateError as exc:
        raise exc if exc.about else exc.concerning(about) from None
    assert reason is not None
    change = DueDateChange(
        action_id=action_id,
        from_on=action.due_on,
        to_on=to_on,
        reason=reason.strip(),
        requested_by=by,
        requested_at=now,
    )
    session.add(change)
    event = Event(
        action_id=action_id,
        actor=by,
        kind=EventKind.DUE_REQUEST,
        from_value=action.due_on.isoformat() if action.due_on else None,
        to_value=to_on.isoformat(),
        note=reason.strip(),
    )
    write_action(session, action=action, values={}, events=[event], expected_version=None, now=now)
    session.refresh(change)
    return change


def approver_role(session: Session, *, agency_id: str, email: str) -> ContactRole | None:
    """The role in which ``email`` may decide a due-date change for the agency, if any."""
    roles = set(
        session.exec(select(Contact.role).where(Contact.agency_id == agency_id, Contact.email == email.strip())).all()
    )
    for role in (ContactRole.PORTFOLIO_LEAD, ContactRole.LIAISON_OFFICER):
        if role.value in roles:
            return role
    return None


def decide_change(
    session: Session,
    *,
    action_id: int,
    approve: bool,
    by: str,
    note: str | None = None,
    now: datetime | None = None,
    role: ContactRole | None = None,
) -> DueDateChange:
    """Approve (the date moves, the ladder restarts from it) or refuse (with a reason) the change waiting.

    ``role``: the role ``by`` decides in when it is known otherwise (a liaison officer signed in to the staff pages,
    whose roles come from the staff file); else it is looked up among the agency's contacts.
    """
    now = now or datetime.now(UTC)
    action = get_action(session, action_id=action_id)
    about = f"action {action_id}"
    change = _pending(session, action_id)
    if change is None:
        raise DueDateError("no due-date change is waiting for a decision", field="due_on", about=about)
    try:
        check_approver(role or approver_role(session, agency_id=action.agency_id, email=by))
    except DueDateError as exc:
        raise exc.concerning(about) from None
    if not approve and not (note and note.strip()):
        raise DueDateError("give the reason for refusing the change", field="reason", about=about)
    change.status = (DueChangeStatus.APPROVED if approve else DueChangeStatus.REFUSED).value
    change.decided_by, change.decided_at, change.decision_note = by, now, (note or "").strip() or None
    session.add(change)
    values: dict[str, object] = {}
    if approve:
        values = {
            "due_on": change.to_on,
            "original_due_on": action.original_due_on or action.due_on,
            "due_changes": action.due_changes + 1,
            "due_round": action.due_round + 1,
        }
        event = Event(
            action_id=action_id,
            actor=by,
            kind=EventKind.DUE_ON,
            from_value=change.from_on.isoformat() if change.from_on else None,
            to_value=change.to_on.isoformat(),
            note=change.reason,
        )
    else:
        event = Event(action_id=action_id, actor=by, kind=EventKind.NOTE, note=f"due-date change refused: {note}")
    write_action(session, action=action, values=values, events=[event], expected_version=None, now=now)
    session.refresh(change)
    return change


def move_reissued(
    session: Session, *, recommendation_id: int, old_date: date | None, new_date: date | None, now: datetime
) -> int:
    """Move the open actions of a recommendation whose date came from the report (re-imported with a new date)."""
    moved = 0
    for action in session.exec(select(Action).where(Action.recommendation_id == recommendation_id)).all():
        to = moved_by_reissue(
            status=Status(action.status),
            due_on=action.due_on,
            due_changes=action.due_changes,
            old_date=old_date,
            new_date=new_date,
        )
        if to is None:
            continue
        event = Event(
            action_id=action.id or 0,
            actor=SYSTEM,
            kind=EventKind.DUE_ON,
            from_value=action.due_on.isoformat() if action.due_on else None,
            to_value=to.isoformat(),
            note="the report's date changed",
        )
        values = {"due_on": to, "original_due_on": to, "due_round": action.due_round + 1}
        write_action(session, action=action, values=values, events=[event], expected_version=None, now=now)
        moved += 1
    return moved
