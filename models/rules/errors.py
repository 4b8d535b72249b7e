"""Errors a user can act on, typed: each carries the field at fault and what was wrong, so the command line and the
pages translate it once (the CLI prints ``str(error)`` on stderr and exits 1; a page shows ``message`` beside
``field``). Anything else escaping a command is a bug.
"""

from typing import Self


class ActionedError(Exception):
    """A user-facing error: one line that says what was wrong (``message``), about what (``about``, e.g. "action 7"
    or a file name) and in which field (``field``, e.g. "status" or "response").
    """

    def __init__(self, message: str, *, field: str | None = None, about: str | None = None) -> None:
        self.message = message
        self.field = field
        self.about = about
        super().__init__(self.line())

    def line(self) -> str:
        """ "action 7: status: in_progress -> open is not allowed": the error as the command line prints it."""
        return ": ".join(part for part in (self.about, self.field, self.message) if part)

    def concerning(self, about: str) -> Self:
        """The same error, said of ``about`` (a rule knows the field; the caller knows which action or file)."""
        self.about = about
        self.args = (self.line(),)
        return self


class DefinitionError(ActionedError):
    """A report or agency file that cannot be read: malformed, a missing field, an impossible value."""


class UnknownAddressee(ActionedError):
    """An addressee line (or part of one) that names no known group or agency."""

    def __init__(self, line: str, unplaced: str, known: list[str]) -> None:
        self.addressee = line
        self.unplaced = unplaced
        self.known = known
        super().__init__(
            f"{unplaced!r} names no known group or agency (known groups: {', '.join(known)})",
            about=f"addressee {line!r}",
        )


class TransitionError(ActionedError):
    """A status change the workflow does not allow."""


class NotFound(ActionedError):
    """A report, agency or action id that is not in the database."""


class ConflictError(ActionedError):
    """Someone else changed the action first (optimistic locking on its version)."""


class ExtractionError(ActionedError):
    """A document recommendations cannot be read from: empty, of the wrong type, or without recommendations."""
