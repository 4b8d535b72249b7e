"""Reading submitted forms: plain text fields, line endings made uniform, and errors keyed by field."""

from starlette.datastructures import FormData, UploadFile

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


def field_error(message: str, *, default: str, rename: dict[str, str] | None = None) -> tuple[str, str]:
    """Split "field: what is wrong" (the rules' and repository's one-line style) into the field and the message.

    A leading "action N: " is dropped; a field the page does not have is reported against ``default``.
    """
    rest = message
    if rest.startswith("action ") and ": " in rest:
        rest = rest.split(": ", 1)[1]
    name, sep, what = rest.partition(": ")
    if sep and name in FIELD_NAMES:
        name = (rename or {}).get(name, name)
        return name, what[:1].upper() + what[1:]
    return default, rest[:1].upper() + rest[1:]
