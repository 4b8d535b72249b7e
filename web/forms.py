"""Reading submitted forms: plain text fields, line endings made uniform, and errors keyed by field."""

from starlette.datastructures import FormData, UploadFile

from models.rules.errors import ActionedError

FIELD_NAMES = (
    "status",
    "note",
    "response",
    "decision",
    "reason",
    "file",
    "url",
    "owner",
    "owner_email",
    "version",
    "action",
)


MAX_ROW_ID = 2**31 - 1
"""The largest id an INTEGER primary key holds on PostgreSQL: a larger one names no row (a 404, not an error)."""


def is_row_id(value: int) -> bool:
    return 0 < value <= MAX_ROW_ID


def row_id(value: str) -> int | None:
    """A submitted id, if it could name a row."""
    value = value.strip()
    if not value.isdigit() or len(value) > len(str(MAX_ROW_ID)):
        return None
    number = int(value)
    return number if is_row_id(number) else None


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def upload(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def field_error(error: ActionedError, *, default: str, rename: dict[str, str] | None = None) -> tuple[str, str]:
    """The page's field for a typed error, and its message as a sentence.

    A field the page does not have is reported against ``default``.
    """
    name = error.field if error.field in FIELD_NAMES else default
    name = (rename or {}).get(name, name)
    return name, sentence(error.message)


def sentence(message: str) -> str:
    """An error message as a sentence on a page: its first letter capital."""
    return message[:1].upper() + message[1:]
