"""The sign-off messages: the request to the portfolio lead (with a signer link) and the rejection notice to the owner.

Each is decided and logged in the same transaction as the status change that calls for it (``enqueue``), then sent
after the commit (``send``). The key names the action and the version the change produced, so a rerun never decides
the same message twice, and a second round of sign-off (after a rejection) gets a message of its own.
"""

from datetime import UTC, date, datetime

from sqlmodel import Session

from models import links
from models.rules.errors import ActionedError
from models.rules.vocabulary import Actor, ContactRole, Status, item_label
from models.store.action_page import contacts_in_first_role
from models.store.actions import action_setting, get_action, update_action
from models.store.register import contacts_of
from models.store.tables import Action
from notifications import delivery
from notifications.delivery import Attachment, Outgoing
from notifications.headers import for_owner
from notifications.ics import Deadline, deadline_uid
from notifications.ics import calendar as calendar_file
from notifications.render import make_message, uk_date

SIGNER_ROLES = ("portfolio_lead", "chief_officer")
"""Who signs an action off: the agency's portfolio lead; failing one on record, its chief officer."""


def _context(session: Session, action: Action) -> dict[str, object]:
    rec, report, agency = action_setting(session, action)
    due: date | None = action.due_on
    liaison = contacts_of(session, agency_id=agency.id, role=ContactRole.LIAISON_OFFICER)[:1]
    return {
        "action_id": action.id,
        "report_title": report.title,
        "number": rec.number,
        "kind_label": item_label(rec.kind),
        "text": rec.text,
        "agency_name": agency.name,
        "due_on": uk_date(due),
        "response": action.response or "(no response recorded)",
        "owner": action.owner_name or action.owner_email or "The action owner",
        "owner_name": action.owner_name or action.owner_email or "action owner",
        "link_days": links.max_age_days(),
        "liaison": {"name": liaison[0].name, "email": liaison[0].email} if liaison else None,
    }


def _headers(context: dict[str, object]) -> dict[str, str]:
    liaison = context["liaison"]
    email = liaison["email"] if isinstance(liaison, dict) else None
    return for_owner(str(context["agency_name"]), email, unsubscribe=False)


def _message(
    kind: str,
    action: Action,
    to: str,
    context: dict[str, object],
    *,
    cc: list[str] | None = None,
    calendar: bytes | None = None,
) -> Outgoing:
    """The message ``kind`` about ``action``, rendered; its key names the action's version (one per change)."""
    assert action.id is not None
    rendered = make_message(kind, context)
    return Outgoing(
        key=f"{kind}:{action.id}:v{action.version}",
        kind=kind,
        to=to,
        cc=cc or [],
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        action_id=action.id,
        headers=_headers(context),
        attachments=[Attachment("deadline.ics", "text/calendar", calendar)] if calendar else [],
    )


def signers(session: Session, *, agency_id: str) -> list[tuple[str, str]]:
    """(email, name) of the people who sign the agency's actions off, most senior role last."""
    found = contacts_in_first_role(session, agency_id=agency_id, roles=SIGNER_ROLES)
    return [(c.email, c.name) for c in found]


def signoff_request(
    session: Session, *, action_id: int, base_url: str, secret_key: str, now: datetime | None = None
) -> Outgoing | None:
    """The request to the portfolio lead to approve or reject a pending action; None when the agency has none."""
    action = get_action(session, action_id=action_id)
    people = signers(session, agency_id=action.agency_id)
    if not people:
        return None
    url = links.action_url(
        base_url, secret_key, action_id=action_id, assignment=action.assignment, role="signer", now=now
    )
    closing = Status(action.closing or Status.COMPLETE)
    context = {**_context(session, action), "signer_name": people[0][1], "url": url, "closing": closing.label.lower()}
    return _message("signoff", action, people[0][0], context, cc=[email for email, _ in people[1:]])


def due_request(
    session: Session, *, action_id: int, base_url: str, secret_key: str, now: datetime | None = None
) -> Outgoing | None:
    """The owner's request to move the due date, to the agency's portfolio lead (else its liaison officer) with a
    signer link to approve or refuse it; None when the agency has neither on record or nothing is waiting.
    """
    from models.store.due_dates import waiting_change

    action = get_action(session, action_id=action_id)
    change = waiting_change(session, action_id=action_id)
    people = contacts_of(session, agency_id=action.agency_id, role=ContactRole.PORTFOLIO_LEAD) or (
        contacts_of(session, agency_id=action.agency_id, role=ContactRole.LIAISON_OFFICER)
    )
    if change is None or not people:
        return None
    url = links.action_url(
        base_url, secret_key, action_id=action_id, assignment=action.assignment, role="signer", now=now
    )
    context = {
        **_context(session, action),
        "signer_name": people[0].name,
        "url": url,
        "from_on": uk_date(change.from_on),
        "to_on": uk_date(change.to_on),
        "reason": change.reason,
    }
    return _message("due-request", action, people[0].email, context, cc=[c.email for c in people[1:]])


def queue_due_request(session: Session, *, action_id: int, now: datetime | None = None) -> list[str]:
    """Decide and log :func:`due_request` (with the configured links); the key to send after the commit."""
    from models.settings import load_settings

    s = load_settings()
    now = now or datetime.now(UTC)
    outgoing = due_request(session, action_id=action_id, base_url=s.base_url, secret_key=s.secret_key(), now=now)
    if outgoing is None:
        return []
    delivery.enqueue(session, outgoing, now=now)
    return [outgoing.key]


def rejection_notice(
    session: Session,
    *,
    action_id: int,
    reason: str,
    signer: str,
    base_url: str,
    secret_key: str,
    now: datetime | None = None,
) -> Outgoing | None:
    """The owner's notice that the signer sent the action back, with the reason and a fresh owner link."""
    action = get_action(session, action_id=action_id)
    if not action.owner_email:
        return None
    url = links.action_url(base_url, secret_key, action_id=action_id, assignment=action.assignment, now=now)
    context = {**_context(session, action), "reason": reason, "signer": signer, "url": url}
    return _message("signoff-rejected", action, action.owner_email, context)


def approval_notice(session: Session, *, action_id: int, signer: str, now: datetime | None = None) -> Outgoing | None:
    """The owner's notice that the action is signed off and closed, with the cancellation of its calendar deadline."""
    action = get_action(session, action_id=action_id)
    if not action.owner_email:
        return None
    context = {**_context(session, action), "signer": signer}
    liaison = context["liaison"]
    cancel = calendar_file(
        [
            Deadline(
                uid=deadline_uid(action_id),
                on=action.due_on,
                summary=f"Closed: {context['report_title']}, recommendation {context['number']}",
                sequence=action.version,
                organizer=(liaison["name"], liaison["email"]) if isinstance(liaison, dict) else None,
            )
        ]
        if action.due_on
        else [],
        stamp=now or datetime.now(UTC),
        method="CANCEL",
    )
    return _message("signoff-approved", action, action.owner_email, context, calendar=cancel if action.due_on else None)


def messages_after_change(
    session: Session,
    *,
    action_id: int,
    before: str,
    note: str | None,
    by: str,
    base_url: str,
    secret_key: str,
    now: datetime | None = None,
) -> list[Outgoing]:
    """What a status change calls for: a sign-off request on entering pending sign-off, a notice on rejection, and
    on approval a notice that cancels the deadline in the owner's calendar.
    """
    action = get_action(session, action_id=action_id)
    message: Outgoing | None = None
    if action.status == Status.PENDING_SIGNOFF and before != Status.PENDING_SIGNOFF:
        message = signoff_request(session, action_id=action_id, base_url=base_url, secret_key=secret_key, now=now)
    elif before == Status.PENDING_SIGNOFF and action.status == Status.COMPLETE:
        message = approval_notice(session, action_id=action_id, signer=by, now=now)
    elif before == Status.PENDING_SIGNOFF and action.status == Status.IN_PROGRESS:
        message = rejection_notice(
            session,
            action_id=action_id,
            reason=note or "",
            signer=by,
            base_url=base_url,
            secret_key=secret_key,
            now=now,
        )
    return [message] if message else []


def enqueue(session: Session, messages: list[Outgoing], *, now: datetime | None = None) -> list[str]:
    """Decide and log each message (a row in ``deliveries``) in the caller's transaction; the keys to send."""
    now = now or datetime.now(UTC)
    for message in messages:
        delivery.enqueue(session, message, now=now)
    return [m.key for m in messages]


def send(keys: list[str]) -> None:
    """Send what was decided (after the deciding transaction committed); failures stay pending for the next sweep."""
    if not keys:
        return
    delivery.dispatch(keys=keys)


def update(
    session: Session,
    *,
    action_id: int,
    by: str,
    actor: Actor,
    base_url: str,
    secret_key: str,
    status: str | None = None,
    response: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> tuple[Action, list[Outgoing]]:
    """An update to an action (the owner's page, ``actioned action update``) and, in the same transaction, the
    messages it calls for decided and logged: send their keys once the caller's transaction has committed.
    """
    before = get_action(session, action_id=action_id).status
    action = update_action(
        session,
        action_id=action_id,
        by=by,
        actor=actor,
        status=status,
        response=response,
        note=note,
        expected_version=expected_version,
        now=now,
    )
    messages = messages_after_change(
        session,
        action_id=action_id,
        before=before,
        note=note,
        by=by,
        base_url=base_url,
        secret_key=secret_key,
        now=now,
    )
    enqueue(session, messages, now=now)
    return action, messages


DECISIONS = {"approve": Status.COMPLETE, "reject": Status.IN_PROGRESS}


def sign_off(
    session: Session,
    *,
    action_id: int,
    decision: str,
    reason: str,
    by: str,
    base_url: str,
    secret_key: str,
    expected_version: int | None = None,
    actor: Actor = Actor.SIGNER,
    now: datetime | None = None,
) -> list[str]:
    """Approve (complete) or reject (back to in progress, with a reason, and the owner told) a pending action.

    Returns the keys of the messages decided, to be sent once the caller's transaction has committed.
    """
    if decision not in DECISIONS:
        raise ActionedError("choose whether to approve the action or send it back", field="decision")
    action = get_action(session, action_id=action_id)
    if action.status != Status.PENDING_SIGNOFF:
        raise ActionedError(f"action {action_id} is {action.status}, not waiting for sign-off", field="decision")
    if decision == "reject" and not reason.strip():
        raise ActionedError("give the reason for sending the action back; the owner will see it", field="reason")
    before = action.status
    to = Status(action.closing or Status.COMPLETE) if decision == "approve" else DECISIONS[decision]
    update_action(
        session,
        action_id=action_id,
        by=by,
        actor=actor,
        status=to.value,
        note=reason.strip() or None,
        expected_version=expected_version,
        now=now,
    )
    messages = messages_after_change(
        session,
        action_id=action_id,
        before=before,
        note=reason.strip(),
        by=by,
        base_url=base_url,
        secret_key=secret_key,
        now=now,
    )
    return enqueue(session, messages, now=now)
