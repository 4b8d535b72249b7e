"""Errors a user can act on.

Every error here carries one clear line that names the file, line or field at fault; the command line prints it on
stderr and exits 1. Anything else escaping a command is a bug.
"""


class ActionedError(Exception):
    """A user-facing error: the message is one line that says what was wrong and what was expected."""


class DefinitionError(ActionedError):
    """A report or agency file that cannot be read: malformed, a missing field, an impossible value."""


class UnknownAddressee(ActionedError):
    """An addressee line (or part of one) that names no known group or agency."""

    def __init__(self, line: str, unplaced: str, known: list[str]) -> None:
        self.line = line
        self.unplaced = unplaced
        self.known = known
        super().__init__(
            f"addressee {line!r}: {unplaced!r} names no known group or agency (known groups: {', '.join(known)})"
        )


class TransitionError(ActionedError):
    """A status change the workflow does not allow."""


class NotFound(ActionedError):
    """A report, agency or action id that is not in the database."""


class ConflictError(ActionedError):
    """Someone else changed the action first (optimistic locking on its version)."""


class ExtractionError(ActionedError):
    """A document recommendations cannot be read from: empty, of the wrong type, or without recommendations."""
