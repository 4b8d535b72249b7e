"""The action workflow: which status may follow which, who may make the move, and what it needs.

The states are the ones forces already report to their boards (awaiting allocation, in progress, pending sign-off,
closed) made precise. Two facts are kept apart on purpose: an owner saying "done" moves the action to pending sign-off;
only the portfolio lead (the signer) or an administrator makes it complete.

Every closing goes through the signer: "not accepted" and "superseded" asked for from a working state move the action
to pending sign-off as "complete" does, and the signer approves the closing that was asked for (``signing``), with the
reason given when it was asked.
"""

from models.rules.errors import TransitionError
from models.rules.tasks import signoff_refusal
from models.rules.vocabulary import CLOSED, WORKING, Actor, Status, member_named

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.AWAITING_ALLOCATION: frozenset({Status.OPEN, Status.IN_PROGRESS, Status.NOT_ACCEPTED, Status.SUPERSEDED}),
    Status.OPEN: frozenset({Status.IN_PROGRESS, Status.PENDING_SIGNOFF, Status.NOT_ACCEPTED, Status.SUPERSEDED}),
    Status.IN_PROGRESS: frozenset({Status.PENDING_SIGNOFF, Status.NOT_ACCEPTED, Status.SUPERSEDED}),
    Status.PENDING_SIGNOFF: frozenset({*CLOSED, Status.IN_PROGRESS}),
    Status.COMPLETE: frozenset({Status.IN_PROGRESS}),
    Status.NOT_ACCEPTED: frozenset({Status.IN_PROGRESS}),
    Status.SUPERSEDED: frozenset({Status.IN_PROGRESS}),
}


def parse_status(value: str, *, field: str = "status") -> Status:
    """The status named by ``value`` (as the CLI and JSON spell it), or a one-line error naming the field."""
    return member_named(Status, value, what="a status", field=field, error=TransitionError)


def _target(current: Status, requested: Status) -> Status:
    """A closing asked for from a working state means "ready for sign-off": the signer is asked."""
    if requested in CLOSED and (current in WORKING or current is Status.AWAITING_ALLOCATION):
        return Status.PENDING_SIGNOFF
    return requested


def _refusal(
    current: Status, to: Status, actor: Actor, signing: Status = Status.COMPLETE, requested: Status | None = None
) -> str | None:
    """Why ``actor`` may not move an action from ``current`` to ``to`` (``requested`` as asked), or None."""
    if to is current:
        return f"the action is already {current.value}"
    if to not in ALLOWED[current] and not (to is Status.PENDING_SIGNOFF and requested in ALLOWED[current]):
        allowed = ", ".join(sorted(s.value for s in ALLOWED[current])) or "none"
        return f"{current.value} -> {to.value} is not allowed (from {current.value}: {allowed})"
    if current is Status.PENDING_SIGNOFF and actor is Actor.OWNER:
        return "only the signer can approve or reject an action pending sign-off"
    if current is Status.PENDING_SIGNOFF and to in CLOSED and to is not signing:
        return f"the sign-off asked for is {signing.value}: approve that, or send it back"
    if current in CLOSED and actor is Actor.OWNER:
        return "only an administrator can reopen a closed action"
    return None


def allowed_moves(current: Status, actor: Actor, *, signing: Status = Status.COMPLETE) -> frozenset[Status]:
    """The statuses ``actor`` may ask for from ``current`` (as asked: a closing stands for the sign-off request).

    ``signing`` is the closing an action pending sign-off waits for (complete unless not accepted or superseded).
    """
    return frozenset(s for s in Status if _refusal(current, _target(current, s), actor, signing, s) is None)


def requires_note(current: Status, to: Status, requested: Status | None = None) -> str | None:
    """Why a note is required for this move, or None.

    A reason is the evidence the inspectorate asks for: why a recommendation is not accepted, what superseded it,
    why a sign-off was refused, why a closed action is reopened. A closing is explained when it is asked for; the
    signer approving it need not explain it again.
    """
    if current is not Status.PENDING_SIGNOFF and Status.NOT_ACCEPTED in (to, requested):
        return "a reason is required when a recommendation is not accepted"
    if current is not Status.PENDING_SIGNOFF and Status.SUPERSEDED in (to, requested):
        return "say what superseded the action"
    if current is Status.PENDING_SIGNOFF and to is Status.IN_PROGRESS:
        return "a reason is required to reject a sign-off"
    if current in CLOSED and to is Status.IN_PROGRESS:
        return "a reason is required to reopen a closed action"
    return None


def requires_response(to: Status, requested: Status | None = None) -> str | None:
    """Why a response is required before this move, or None.

    The response is what stands in the progress return: an action cannot go for sign-off as complete (and so cannot
    be complete) with nothing to say to the inspectorate. "Not accepted" and "superseded" are explained by their note.
    """
    if requested in (Status.NOT_ACCEPTED, Status.SUPERSEDED):
        return None
    if to in (Status.PENDING_SIGNOFF, Status.COMPLETE):
        return "enter the response that will stand in the progress return before marking it complete"
    return None


def decide_move(
    current: Status,
    requested: Status,
    *,
    actor: Actor,
    note: str | None,
    response: str | None,
    signing: Status = Status.COMPLETE,
    tasks_not_done: int = 0,
) -> Status:
    """The status to store when ``actor`` asks for ``requested`` on an action at ``current``.

    ``response`` is the response the action will have after the change (its current one, or the one given with the
    move); ``signing`` the closing a pending action waits for. Raises TransitionError naming the field (status, note
    or response) when the rule forbids the move. When the answer is pending sign-off, ``requested`` is the closing
    the signer will be asked to approve (see :func:`closing_asked`). ``tasks_not_done`` counts the action's tasks
    that are not done: while any is left it cannot go for sign-off as complete.
    """
    to = _target(current, requested)
    refusal = _refusal(current, to, actor, signing, requested)
    if refusal is None and to is Status.PENDING_SIGNOFF and current is not Status.PENDING_SIGNOFF:
        refusal = signoff_refusal(tasks_not_done=tasks_not_done, requested=requested)
    if refusal:
        raise TransitionError(refusal, field="status")
    reason = requires_note(current, to, requested)
    if reason and not (note and note.strip()):
        raise TransitionError(reason, field="note")
    needs = requires_response(to, requested if current is not Status.PENDING_SIGNOFF else signing)
    if needs and not (response and response.strip()):
        raise TransitionError(needs, field="response")
    return to


def closing_asked(current: Status, requested: Status) -> Status | None:
    """The closing a move to pending sign-off asks the signer for (complete, not accepted, superseded), or None."""
    if _target(current, requested) is Status.PENDING_SIGNOFF and current is not Status.PENDING_SIGNOFF:
        return requested if requested in CLOSED else Status.COMPLETE
    return None


def can_decline(status: Status) -> bool:
    """An owner can say "not mine" (with a reason) while the action is theirs to work on: open or in progress."""
    return status in WORKING


def can_reassign(status: Status) -> bool:
    """An open action can be given to another owner; a closed one cannot (reopen it first)."""
    return status not in CLOSED
