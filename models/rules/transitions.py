"""The action workflow: which status may follow which, who may make the move, and what it needs.

The states are the ones forces already report to their boards (awaiting allocation, in progress, pending sign-off,
closed) made precise. Two facts are kept apart on purpose: an owner saying "done" moves the action to pending sign-off;
only the portfolio lead (the signer) or an administrator makes it complete.
"""

from models.rules.errors import TransitionError
from models.rules.vocabulary import CLOSED, WORKING, Actor, Status

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.AWAITING_ALLOCATION: frozenset({Status.OPEN, Status.IN_PROGRESS, Status.NOT_ACCEPTED, Status.SUPERSEDED}),
    Status.OPEN: frozenset({Status.IN_PROGRESS, Status.PENDING_SIGNOFF, Status.NOT_ACCEPTED, Status.SUPERSEDED}),
    Status.IN_PROGRESS: frozenset({Status.PENDING_SIGNOFF, Status.NOT_ACCEPTED, Status.SUPERSEDED}),
    Status.PENDING_SIGNOFF: frozenset({Status.COMPLETE, Status.IN_PROGRESS}),
    Status.COMPLETE: frozenset({Status.IN_PROGRESS}),
    Status.NOT_ACCEPTED: frozenset({Status.IN_PROGRESS}),
    Status.SUPERSEDED: frozenset({Status.IN_PROGRESS}),
}


def parse_status(value: str, *, field: str = "status") -> Status:
    """The status named by ``value`` (as the CLI and JSON spell it), or a one-line error naming the field."""
    try:
        return Status(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise TransitionError(f"{value!r} is not a status (expected one of: {known})", field=field) from None


def _target(current: Status, requested: Status) -> Status:
    """ "complete" asked for from a working state means "ready for sign-off": the signer is asked."""
    if requested is Status.COMPLETE and current in (*WORKING, Status.AWAITING_ALLOCATION):
        return Status.PENDING_SIGNOFF
    return requested


def _refusal(current: Status, to: Status, actor: Actor) -> str | None:
    """Why ``actor`` may not move an action from ``current`` to ``to``, or None."""
    if to is current:
        return f"the action is already {current.value}"
    if to not in ALLOWED[current]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[current])) or "none"
        return f"{current.value} -> {to.value} is not allowed (from {current.value}: {allowed})"
    if current is Status.PENDING_SIGNOFF and actor is Actor.OWNER:
        return "only the signer can approve or reject an action pending sign-off"
    if current in CLOSED and actor is Actor.OWNER:
        return "only an administrator can reopen a closed action"
    return None


def allowed_moves(current: Status, actor: Actor) -> frozenset[Status]:
    """The statuses ``actor`` may ask for from ``current`` (as asked: "complete" stands for the sign-off request)."""
    return frozenset(s for s in Status if _refusal(current, _target(current, s), actor) is None)


def requires_note(current: Status, to: Status) -> str | None:
    """Why a note is required for this move, or None.

    A reason is the evidence the inspectorate asks for: why a recommendation is not accepted, what superseded it,
    why a sign-off was refused, why a closed action is reopened.
    """
    if to is Status.NOT_ACCEPTED:
        return "a reason is required when a recommendation is not accepted"
    if to is Status.SUPERSEDED:
        return "say what superseded the action"
    if current is Status.PENDING_SIGNOFF and to is Status.IN_PROGRESS:
        return "a reason is required to reject a sign-off"
    if current in CLOSED and to is Status.IN_PROGRESS:
        return "a reason is required to reopen a closed action"
    return None


def requires_response(to: Status) -> str | None:
    """Why a response is required before this move, or None.

    The response is what stands in the progress return: an action cannot go for sign-off (and so cannot be complete)
    with nothing to say to the inspectorate.
    """
    if to in (Status.PENDING_SIGNOFF, Status.COMPLETE):
        return "enter the response that will stand in the progress return before marking it complete"
    return None


def decide_move(current: Status, requested: Status, *, actor: Actor, note: str | None, response: str | None) -> Status:
    """The status to store when ``actor`` asks for ``requested`` on an action at ``current``.

    ``response`` is the response the action will have after the change (its current one, or the one given with the
    move). Raises TransitionError naming the field (status, note or response) when the rule forbids the move.
    """
    to = _target(current, requested)
    refusal = _refusal(current, to, actor)
    if refusal:
        raise TransitionError(refusal, field="status")
    reason = requires_note(current, to)
    if reason and not (note and note.strip()):
        raise TransitionError(reason, field="note")
    needs = requires_response(to)
    if needs and not (response and response.strip()):
        raise TransitionError(needs, field="response")
    return to


def can_reassign(status: Status) -> bool:
    """An open action can be given to another owner; a closed one cannot (reopen it first)."""
    return status not in CLOSED
