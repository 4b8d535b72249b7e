"""The inspectorate's decisions on actions, with the message "further evidence needed" calls for: the owner gets the
inspectorate's note and a fresh link (the decision gave the action a new assignment, so older links no longer work).

Decided and logged in the caller's transaction, sent after it commits (``notifications.signoff.send``), as every
message is.
"""

from datetime import datetime

from sqlmodel import Session

from models import links
from models.rules.vocabulary import Closure
from models.store import decisions
from models.store.tables import Action, InspectorateDecision
from notifications.delivery import Outgoing
from notifications.render import make_message
from notifications.signoff import _context, _headers, enqueue


def further_evidence_notice(
    session: Session, *, action: Action, note: str, base_url: str, secret_key: str, now: datetime | None = None
) -> Outgoing | None:
    """The owner's notice: the inspectorate's note and a fresh link to the action (None when it has no owner)."""
    if not action.owner_email or action.id is None:
        return None
    url = links.action_url(base_url, secret_key, action_id=action.id, assignment=action.assignment, now=now)
    context = {**_context(session, action), "note": note, "url": url}
    rendered = make_message("further-evidence", context)
    return Outgoing(
        key=f"further-evidence:{action.id}:a{action.assignment}",
        kind="further-evidence",
        to=action.owner_email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        action_id=action.id,
        headers=_headers(context),
    )


def decide(
    session: Session,
    *,
    action_id: int,
    decision: Closure,
    note: str,
    evidence: str = "",
    by: str,
    base_url: str,
    secret_key: str,
    now: datetime | None = None,
) -> tuple[Action, InspectorateDecision, list[str]]:
    """Record the inspectorate's decision; for "further evidence needed", decide and log the owner's notice.

    Returns the action, the decision and the keys of the messages to send once the transaction has committed.
    """
    action, row, restarted = decisions.decide(
        session, action_id=action_id, decision=decision, note=note, evidence=evidence, by=by, now=now
    )
    keys: list[str] = []
    if restarted:
        message = further_evidence_notice(
            session, action=action, note=note, base_url=base_url, secret_key=secret_key, now=now
        )
        if message is not None:
            keys = enqueue(session, [message], now=now)
    return action, row, keys
