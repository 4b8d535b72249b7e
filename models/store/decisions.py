"""Repository functions for the inspectorate's decisions on actions: closed (with the evidence relied on) or further
evidence needed. Keyword-only; each takes the session. The rule is ``models.rules.national.decide_closure``.
"""

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from models.rules.errors import ActionedError
from models.rules.national import closure_line, decide_closure
from models.rules.vocabulary import Closure, EventKind, Status
from models.store.actions import get_action, write_action
from models.store.tables import Action, Event, InspectorateDecision


def latest_decisions(session: Session, *, action_ids: list[int]) -> dict[int, InspectorateDecision]:
    """Action id -> the inspectorate's latest decision on it (actions with none are absent)."""
    found: dict[int, InspectorateDecision] = {}
    if not action_ids:
        return found
    for row in session.exec(
        select(InspectorateDecision)
        .where(col(InspectorateDecision.action_id).in_(action_ids))
        .order_by(col(InspectorateDecision.decided_at), col(InspectorateDecision.id))
    ):
        found[row.action_id] = row
    return found


def decision_text(row: InspectorateDecision | None) -> str | None:
    """The inspectorate's latest decision in words, as pages, exports and returns show it."""
    if row is None:
        return None
    return closure_line(Closure(row.decision), row.decided_at.date(), row.note)


def decide(
    session: Session,
    *,
    action_id: int,
    decision: Closure,
    note: str,
    evidence: str = "",
    by: str,
    now: datetime | None = None,
) -> tuple[Action, InspectorateDecision, bool]:
    """Record the inspectorate's decision on an action (checked by ``decide_closure``), with its events.

    "Further evidence needed" reopens the action and gives it a new assignment for the same owner (the ladder restarts
    and old links die). Returns the action, the decision row and whether the ladder restarted (the owner is to be sent
    the note and a fresh link).
    """
    now = now or datetime.now(UTC)
    action = get_action(session, action_id=action_id)
    current = latest_decisions(session, action_ids=[action_id]).get(action_id)
    try:
        outcome = decide_closure(
            status=Status(action.status),
            current=Closure(current.decision) if current else None,
            decision=decision,
            note=note,
            evidence=evidence,
            has_owner=bool(action.owner_email),
        )
    except ActionedError as exc:
        raise exc.concerning(f"action {action_id}") from None
    values: dict[str, object] = {}
    events = [
        Event(
            action_id=action_id,
            actor=by,
            kind=EventKind.CLOSURE,
            from_value=current.decision if current else None,
            to_value=decision.value,
            note=note if not evidence.strip() else f"{note}\nEvidence relied on: {evidence}",
        )
    ]
    if outcome.status != Status(action.status):
        values["status"] = outcome.status.value
        values["closed_at"] = None
        events.append(
            Event(
                action_id=action_id,
                actor=by,
                kind=EventKind.STATUS,
                from_value=action.status,
                to_value=outcome.status.value,
                note=note,
            )
        )
    if outcome.restart_ladder:
        values["assignment"] = action.assignment + 1
    action = write_action(session, action=action, values=values, events=events, expected_version=None, now=now)
    row = InspectorateDecision(
        action_id=action_id, decision=decision.value, note=note, evidence=evidence, decided_by=by, decided_at=now
    )
    session.add(row)
    session.flush()
    return action, row, outcome.restart_ladder
