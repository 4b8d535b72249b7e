"""The messages a member of staff sends an action's owner from its page (``actioned action send-link`` and
``actioned action chase`` alike): a fresh link, and a chaser now rather than at the ladder's next stage.

Each is decided and logged (a delivery row) in the caller's transaction, then sent after the commit
(``notifications.allocation.send``), as every message is. The key names the action, its assignment and the day, so a
second click the same day decides nothing new and sends nothing twice; a new owner (a new assignment) or the next day
gets a message of its own. A link is only ever sent to the owner, never shown on a page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from models.links import max_age_days
from models.rules.errors import ActionedError
from models.rules.transitions import can_reassign
from models.rules.vocabulary import ContactRole, Status
from models.settings import Settings, load_settings
from models.store.actions import get_action
from models.store.register import contacts_of
from models.store.tables import Action, Delivery
from notifications.allocation import action_item
from notifications.delivery import Attachment, Outgoing, enqueue
from notifications.headers import for_owner
from notifications.ics import calendar
from notifications.reminders import deadlines_of, stage_label, when
from notifications.render import make_message

FRESH_LINK = "fresh-link"
CHASE = "chase-now"


@dataclass(frozen=True)
class Decided:
    """A message decided for the owner: its key, and whether it is new (False: already decided that day)."""

    key: str
    new: bool
    to: str


def key_for(what: str, action: Action, today: date) -> str:
    return f"{what}:{action.id}:{action.assignment}:{today.isoformat()}"


def _owned(session: Session, action_id: int) -> Action:
    action = get_action(session, action_id=action_id)
    about = f"action {action_id}"
    if not action.owner_email:
        raise ActionedError("the action has no owner: give it to someone first", field="owner", about=about)
    if not can_reassign(Status(action.status)):
        raise ActionedError(f"the action is {action.status.replace('_', ' ')}: nothing to chase", about=about)
    return action


def _message(
    session: Session, action: Action, *, what: str, sender: str, today: date, now: datetime, settings: Settings
) -> Outgoing:
    assert action.owner_email is not None
    item = action_item(session, action, today=today, settings=settings, now=now)
    days = (action.due_on - today).days if action.due_on else 0
    silent = (today - action.last_event_at.astimezone(UTC).date()).days
    overdue = action.due_on is not None and days < 0
    if what == CHASE:
        template = "chaser" if overdue else "reminder"
        item["stage_label"] = stage_label("overdue-" if overdue else "before-", days, silent)
    else:
        template = FRESH_LINK
        item["stage_label"] = f"due {when(days)}" if action.due_on else "no due date set"
    liaisons = contacts_of(session, agency_id=action.agency_id, role=ContactRole.LIAISON_OFFICER)
    liaison = liaisons[0] if liaisons else None
    nearest = item["due_on"]
    context = {
        "recipient_name": action.owner_name or action.owner_email,
        "items": [item],
        "copied": [],
        "copies_text": "your seniors",
        "liaison": {"name": liaison.name, "email": liaison.email} if liaison else None,
        "link_days": max_age_days(),
        "subject_title": item["report_short_title"],
        "nearest_due": nearest,
        "headline": (
            f"1 action overdue: due {nearest}"
            if overdue and what == CHASE
            else f"Recommendation {item['number']}: {item['stage_label']}"
        ),
        "has_calendar": action.due_on is not None,
        "sender": sender,
    }
    rendered = make_message(template, context)
    deadlines = deadlines_of([item], (liaison.name, liaison.email) if liaison else None)
    attachments = [Attachment("deadlines.ics", "text/calendar", calendar(deadlines, stamp=now))] if deadlines else []
    return Outgoing(
        key=key_for(what, action, today),
        kind=template if what == CHASE else FRESH_LINK,
        stage=what,
        to=action.owner_email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        attachments=attachments,
        action_id=action.id,
        headers=for_owner(item["agency_name"], liaison.email if liaison else None),
    )


def decide(
    session: Session,
    *,
    action_id: int,
    what: str,
    by: str,
    today: date,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Decided:
    """Decide and log ``what`` (:data:`FRESH_LINK` or :data:`CHASE`) for the action's owner, once a day."""
    now = now or datetime.now(UTC)
    settings = settings or load_settings()
    action = _owned(session, action_id)
    assert action.owner_email is not None
    outgoing = _message(session, action, what=what, sender=by, today=today, now=now, settings=settings)
    new = enqueue(session, outgoing, now=now) is not None
    return Decided(key=outgoing.key, new=new, to=action.owner_email)


def sent_today(session: Session, *, action: Action, whats: Sequence[str], today: date) -> dict[str, Delivery | None]:
    """Per message in ``whats``, the delivery decided for the action's owner on ``today``, if any (the page says
    so), in one query.
    """
    keys = {key_for(what, action, today): what for what in whats}
    found = {d.key: d for d in session.exec(select(Delivery).where(col(Delivery.key).in_(list(keys))))}
    return {what: found.get(key) for key, what in keys.items()}
