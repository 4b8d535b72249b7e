"""The action workflow: which status may follow which, and who may make the move.

The states are the ones forces already report to their boards (awaiting allocation, in progress, pending sign-off,
closed) made precise. Two facts are kept apart on purpose: an owner saying "done" moves the action to pending sign-off;
only the portfolio lead (the signer) or an administrator makes it complete.
"""

from enum import StrEnum


class Status(StrEnum):
    AWAITING_ALLOCATION = "awaiting_allocation"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    PENDING_SIGNOFF = "pending_signoff"
    COMPLETE = "complete"
    NOT_ACCEPTED = "not_accepted"
    SUPERSEDED = "superseded"


class Role(StrEnum):
    OWNER = "owner"
    SIGNER = "signer"
    ADMIN = "admin"


CLOSED: frozenset[Status] = frozenset({Status.COMPLETE, Status.NOT_ACCEPTED, Status.SUPERSEDED})
"""Closed actions get no reminders and count as done for a return."""

_WORKING = (Status.OPEN, Status.IN_PROGRESS)

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
        raise ValueError(f"{field}: {value!r} is not a status (expected one of: {known})") from None


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


def decide_move(current: Status, requested: Status, *, role: Role, note: str | None) -> Status:
    """The status to store when ``role`` asks for ``requested`` on an action at ``current``.

    Raises ValueError with one line naming the move when the rule forbids it. "complete" asked for by anyone from a
    working state means "ready for sign-off": the action goes to pending sign-off and the signer is asked.
    """
    if requested is Status.COMPLETE and current in (*_WORKING, Status.AWAITING_ALLOCATION):
        requested = Status.PENDING_SIGNOFF
    if requested is current:
        raise ValueError(f"status: the action is already {current.value}")
    if requested not in ALLOWED[current]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[current])) or "none"
        raise ValueError(
            f"status: {current.value} -> {requested.value} is not allowed (from {current.value}: {allowed})"
        )
    if current is Status.PENDING_SIGNOFF and role is Role.OWNER:
        raise ValueError("status: only the signer can approve or reject an action pending sign-off")
    if current in CLOSED and role is Role.OWNER:
        raise ValueError("status: only an administrator can reopen a closed action")
    reason = requires_note(current, requested)
    if reason and not (note and note.strip()):
        raise ValueError(f"note: {reason}")
    return requested
