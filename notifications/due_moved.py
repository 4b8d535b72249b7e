"""The owner's notice that an action's due date moved (a change approved, or a re-imported report that moved it), with
the calendar update: the same event (its UID names the action) at the new date, with a higher SEQUENCE (the action's
version, which the move raised), so the owner's calendar moves the deadline at once, not with the next reminder.

Decided, logged, then sent, as every message: one per (action, due date), key ``due-moved:<action>:<date>``, so a
rerun decides nothing new, and a second move gets a notice of its own. Decided where a date moves (``actioned action
due-approve``, ``actioned report import``) and again by every daily cycle, which catches a move whose notice was never
decided (a crash between the two, or an import through the library).
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models.links import action_url, max_age_days
from models.rules.vocabulary import CLOSED, ContactRole, EventKind, item_label
from models.settings import Settings, load_settings
from models.store.actions import SYSTEM, action_setting
from models.store.register import contacts_of
from models.store.tables import Action, Delivery, Event
from notifications.delivery import Attachment, Outgoing, dispatch, enqueue
from notifications.headers import for_owner
from notifications.ics import calendar
from notifications.reminders import deadlines_of
from notifications.render import make_message, uk_date

KIND = "due-moved"


def notice_key(action_id: int, due_on: date) -> str:
    """One notice per (action, date): the date it now has is part of what the message is."""
    return f"{KIND}:{action_id}:{due_on.isoformat()}"


def _moved(session: Session, *, action_ids: Sequence[int] | None, report_id: str | None) -> list[Action]:
    """Open, owned, dated actions whose date has moved at least once (``due_round`` counts the moves)."""
    query = select(Action).where(
        col(Action.due_round) > 0,
        col(Action.owner_email).is_not(None),
        col(Action.due_on).is_not(None),
        col(Action.status).not_in(sorted(CLOSED)),
    )
    if action_ids is not None:
        query = query.where(col(Action.id).in_(list(action_ids)))
    if report_id is not None:
        query = query.where(Action.report_id == report_id)
    actions = list(session.exec(query.order_by(col(Action.id))))
    keys = [notice_key(a.id or 0, a.due_on) for a in actions if a.due_on]
    told = set(session.exec(select(Delivery.key).where(col(Delivery.key).in_(keys)))) if keys else set()
    return [a for a in actions if a.due_on and notice_key(a.id or 0, a.due_on) not in told]


def _last_move(session: Session, action: Action) -> Event | None:
    return session.exec(
        select(Event)
        .where(Event.action_id == action.id, Event.kind == EventKind.DUE_ON)
        .order_by(col(Event.id).desc())
        .limit(1)
    ).first()


def _why(event: Event | None) -> str:
    if event is None or event.actor == SYSTEM:
        return "The report's own date changed."
    reason = (event.note or "").strip().rstrip(".")
    return f"{event.actor} approved the change" + (f": {reason}." if reason else ".")


def notice(session: Session, action: Action, *, now: datetime, settings: Settings) -> Outgoing:
    """The notice for ``action`` at its current due date, with the calendar file that moves the deadline."""
    assert action.id is not None
    assert action.due_on is not None
    assert action.owner_email is not None
    rec, report, agency = action_setting(session, action)
    liaisons = contacts_of(session, agency_id=agency.id, role=ContactRole.LIAISON_OFFICER)[:1]
    liaison = {"name": liaisons[0].name, "email": liaisons[0].email} if liaisons else None
    moved = _last_move(session, action)
    was = date.fromisoformat(moved.from_value) if moved and moved.from_value else None
    url = action_url(
        settings.base_url, settings.secret_key(), action_id=action.id, assignment=action.assignment, now=now
    )
    context: dict[str, Any] = {
        "action_id": action.id,
        "report_title": report.title,
        "number": rec.number,
        "kind_label": item_label(rec.kind),
        "text": rec.text,
        "agency_name": agency.name,
        "owner_name": action.owner_name or action.owner_email,
        "due_on": uk_date(action.due_on),
        "was_due_on": uk_date(was, "with no date set"),
        "why": _why(moved),
        "url": url,
        "link_days": max_age_days(),
        "liaison": liaison,
    }
    message = make_message(KIND, context)
    item = {**context, "due_date": action.due_on, "version": action.version}
    deadlines = deadlines_of([item], (liaison["name"], liaison["email"]) if liaison else None)
    return Outgoing(
        key=notice_key(action.id, action.due_on),
        kind=KIND,
        to=action.owner_email,
        subject=message.subject,
        text=message.text,
        html=message.html,
        action_id=action.id,
        attachments=[Attachment("deadline.ics", "text/calendar", calendar(deadlines, stamp=now))],
        headers=for_owner(agency.name, liaison["email"] if liaison else None, unsubscribe=False),
    )


def decide(
    session: Session,
    *,
    action_ids: Sequence[int] | None = None,
    report_id: str | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> list[str]:
    """Decide and log a notice for every moved date not yet told (in the caller's transaction); the keys to send
    after the commit. ``action_ids`` or ``report_id`` narrow the look; without them, every action.
    """
    now = now or datetime.now(UTC)
    settings = settings or load_settings()
    keys: list[str] = []
    for action in _moved(session, action_ids=action_ids, report_id=report_id):
        outgoing = notice(session, action, now=now, settings=settings)
        if enqueue(session, outgoing, now=now) is not None:
            keys.append(outgoing.key)
    return keys


def send(keys: list[str], *, now: datetime | None = None) -> None:
    """Send what was decided, once the deciding transaction has committed; a failure stays for the next sweep."""
    if keys:
        dispatch(keys=keys, now=now)
