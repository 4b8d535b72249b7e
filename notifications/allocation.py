"""The messages allocation calls for: "you now own these actions" to every newly assigned owner, straight away (not
at the next reminder), and "not mine" to the liaison officer when an owner hands an action back.

As every message: decided and logged (a delivery row with a unique key) in the caller's transaction, then sent after
the commit (``send``). The owner's key names the actions and their assignments, so a rerun decides nothing twice and a
later assignment gets a message of its own.
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from models.links import action_url, max_age_days
from models.rules.vocabulary import ContactRole, Status, item_label, label_of
from models.rules.wording import short_title
from models.settings import Settings, load_settings
from models.store import allocation
from models.store.actions import SYSTEM, action_setting, assign_owner, get_action
from models.store.register import contacts_of
from models.store.tables import Action
from notifications.delivery import Attachment, Outgoing, dispatch, enqueue
from notifications.headers import for_owner
from notifications.ics import calendar
from notifications.pages import agency_action_page
from notifications.reminders import deadlines_of, when
from notifications.render import make_message, uk_date


def action_item(session: Session, action: Action, *, today: date, settings: Settings, now: datetime) -> dict[str, Any]:
    """One action as a message lists it (``_partials/digest``): its recommendation, due date and a fresh link."""
    assert action.id is not None
    rec, report, agency = action_setting(session, action)
    due_on = action.due_on
    return {
        "action_id": action.id,
        "report_title": report.title,
        "report_short_title": short_title(report.title),
        "number": rec.number,
        "kind_label": item_label(rec.kind),
        "text": rec.text,
        "agency_name": agency.name,
        "due_on": uk_date(due_on),
        "due_date": due_on,
        "overdue": due_on is not None and due_on < today,
        "when": when((due_on - today).days) if due_on else "with no date set",
        "stage_label": "now yours",
        "task": None,
        "status_label": label_of(Status, action.status).lower(),
        "response": action.response,
        "version": action.version,
        "url": action_url(
            settings.base_url, settings.secret_key(), action_id=action.id, assignment=action.assignment, now=now
        ),
    }


def owner_message(
    session: Session, *, owner: str, action_ids: Sequence[int], today: date, now: datetime, settings: Settings
) -> Outgoing:
    """One message to ``owner`` listing the actions they were just given, with their links and deadlines."""
    actions = [get_action(session, action_id=i) for i in sorted(action_ids)]
    items = [action_item(session, a, today=today, settings=settings, now=now) for a in actions]
    liaisons = contacts_of(session, agency_id=actions[0].agency_id, role=ContactRole.LIAISON_OFFICER)
    liaison = liaisons[0] if liaisons else None
    titles = {i["report_short_title"] for i in items}
    dates = sorted(i["due_date"] for i in items if i["due_date"] is not None)
    nearest = uk_date(dates[0]) if dates else "with no date set"
    context = {
        "recipient_name": actions[0].owner_name or owner,
        "items": items,
        "liaison": {"name": liaison.name, "email": liaison.email} if liaison else None,
        "link_days": max_age_days(),
        "subject_title": titles.pop() if len(titles) == 1 else "HMICFRS recommendations",
        "nearest_due": nearest,
        "headline": f"You now own {len(items)} action{'s' if len(items) != 1 else ''}",
        "has_calendar": bool(dates),
    }
    message = make_message("allocated", context)
    deadlines = deadlines_of(items, (liaison.name, liaison.email) if liaison else None)
    attachments = [Attachment("deadlines.ics", "text/calendar", calendar(deadlines, stamp=now))] if deadlines else []
    what = ",".join(f"{a.id}.{a.assignment}" for a in actions)
    return Outgoing(
        key=f"allocated:{owner}:{hashlib.sha256(what.encode()).hexdigest()[:20]}",
        kind="allocated",
        to=owner,
        subject=message.subject,
        text=message.text,
        html=message.html,
        attachments=attachments,
        action_id=actions[0].id if len(actions) == 1 else None,
        agency_id=actions[0].agency_id,
        report_id=actions[0].report_id if len({a.report_id for a in actions}) == 1 else None,
        headers=for_owner(action_setting(session, actions[0])[2].name, liaison.email if liaison else None),
    )


def tell_owners(
    session: Session,
    by_owner: dict[str, list[int]],
    *,
    today: date | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> list[str]:
    """Decide and log one "you now own these actions" message per owner; the keys to send after the commit."""
    now = now or datetime.now(UTC)
    today = today or now.date()
    settings = settings or load_settings()
    keys: list[str] = []
    for owner, ids in sorted(by_owner.items()):
        if not ids:
            continue
        outgoing = owner_message(session, owner=owner, action_ids=ids, today=today, now=now, settings=settings)
        enqueue(session, outgoing, now=now)
        keys.append(outgoing.key)
    return keys


def allocate(
    session: Session,
    *,
    agency_ids: list[str] | None = None,
    by: str = SYSTEM,
    today: date | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> tuple[allocation.Allocated, list[str]]:
    """Give unowned actions their agency's default owner and tell each owner at once (keys to send after commit)."""
    allocated = allocation.allocate_unowned(session, agency_ids=agency_ids, by=by, now=now)
    return allocated, tell_owners(session, allocated.by_owner, today=today, now=now, settings=settings)


def assign(
    session: Session,
    *,
    action_id: int,
    owner_email: str,
    owner_name: str | None = None,
    by: str,
    expected_version: int | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> tuple[Action, list[str]]:
    """Give one action a (new) owner (the liaison officer's page, ``actioned action assign``) and tell them."""
    action = assign_owner(
        session,
        action_id=action_id,
        owner_email=owner_email,
        owner_name=owner_name,
        by=by,
        expected_version=expected_version,
        now=now,
    )
    assert action.owner_email is not None
    return action, tell_owners(session, {action.owner_email: [action_id]}, now=now, settings=settings)


def decline(
    session: Session,
    *,
    action_id: int,
    reason: str | None,
    by: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> tuple[Action, list[str]]:
    """The owner's "not mine" (their page, ``actioned action not-mine``): the action goes back to the liaison
    officer, who is told with the reason. Returns the keys to send after the commit.
    """
    now = now or datetime.now(UTC)
    owner = get_action(session, action_id=action_id).owner_email
    action = allocation.decline(
        session, action_id=action_id, reason=reason, by=by, expected_version=expected_version, now=now
    )
    rec, report, agency = action_setting(session, action)
    keys: list[str] = []
    for email, name in allocation.liaison_officers(session, agency_id=action.agency_id)[:1]:
        context = {
            "recipient_name": name,
            "owner": owner or "The owner",
            "report_title": report.title,
            "number": rec.number,
            "kind_label": item_label(rec.kind),
            "text": rec.text,
            "agency_name": agency.name,
            "due_on": uk_date(action.due_on),
            "reason": (reason or "").strip(),
            "action_id": action.id,
            "action_page": agency_action_page(agency_id=action.agency_id, action_id=action.id or 0),
        }
        message = make_message("declined", context)
        outgoing = Outgoing(
            key=f"declined:{action.id}:v{action.version}",
            kind="declined",
            to=email,
            subject=message.subject,
            text=message.text,
            html=message.html,
            action_id=action.id,
        )
        enqueue(session, outgoing, now=now)
        keys.append(outgoing.key)
    return action, keys


def send(keys: list[str]) -> None:
    """Send what was decided, once the deciding transaction has committed; failures stay for the next sweep."""
    if keys:
        dispatch(keys=keys)
