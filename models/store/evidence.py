"""Evidence behind an action's response: files (size-limited, type-checked, kept with a SHA-256) and links.

Repository functions like the other store modules': keyword-only, each takes the session, each leaves an event.
A file is written under the data folder before its row is flushed; if the transaction then rolls back, the file is an
orphan named by its checksum, harmless and overwritten by the same upload next time.
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath
from urllib.parse import urlsplit

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from models.rules.errors import ActionedError
from models.rules.vocabulary import CLOSED, Status
from models.settings import write_private
from models.store.actions import get_action
from models.store.tables import Action, Event, Evidence

MAX_BYTES = 10 * 1024 * 1024
"""Ten megabytes: enough for a policy document or a scanned minute, small enough to keep the data folder sane."""

ALLOWED_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
"""Documents and images only: nothing a browser or an office suite would run (no HTML, macros or executables)."""

_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
"""The first bytes each binary type must start with, so a renamed file is refused rather than stored as something else."""

OFFICE_PARTS: dict[str, tuple[str, ...]] = {
    ".docx": ("[Content_Types].xml", "word/document.xml"),
    ".xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    ".pptx": ("[Content_Types].xml", "ppt/presentation.xml"),
    ".odt": ("mimetype", "content.xml"),
}
"""The parts an Office or OpenDocument zip of each type must hold: any zip renamed .docx starts with PK too."""
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_ZIP_ENTRIES = 10_000

MAX_URL = 2000


class EvidenceError(ActionedError):
    """Evidence that cannot be accepted: too large, of a type not allowed, an empty file, a link that is not a link."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    size: int
    sha256: str


def safe_filename(name: str) -> str:
    """The last part of an uploaded name, with anything but letters, digits, dot, dash and underscore replaced."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    return cleaned[:120] or "evidence"


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"


def check_file(filename: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """The file's safe name, type, size and checksum, or an EvidenceError naming the ``file`` field."""
    name = safe_filename(filename)
    suffix = PurePath(name).suffix.lower()
    allowed = ", ".join(sorted(ALLOWED_TYPES))
    if not filename.strip():
        raise EvidenceError("file", "choose a file to upload")
    if suffix not in ALLOWED_TYPES:
        raise EvidenceError("file", f"{name} is not an allowed type (allowed: {allowed})")
    if not data:
        raise EvidenceError("file", f"{name} is empty")
    if len(data) > max_bytes:
        raise EvidenceError("file", f"{name} is larger than {human_size(max_bytes)}")
    magic = _MAGIC.get(suffix)
    if magic and not data.startswith(magic):
        raise EvidenceError("file", f"{name} does not look like a {suffix} file")
    if suffix in OFFICE_PARTS:
        check_office(name, suffix, data)
    if suffix in (".txt", ".csv"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise EvidenceError("file", f"{name} is not UTF-8 text") from None
    return CheckedFile(name, ALLOWED_TYPES[suffix], len(data), hashlib.sha256(data).hexdigest())


def check_office(name: str, suffix: str, data: bytes) -> None:
    """An Office file is a zip that holds the parts of its format (read from the zip's directory, nothing is
    decompressed but ODF's few-byte ``mimetype``), and no macros (``vbaProject.bin``).
    """
    kind = suffix.lstrip(".")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_ENTRIES:
                raise EvidenceError("file", f"{name} holds too many parts to be a {kind} file")
            missing = [part for part in OFFICE_PARTS[suffix] if part not in names]
            if missing:
                raise EvidenceError("file", f"{name} is not a real {kind} file (it lacks {', '.join(missing)})")
            if suffix == ".odt" and archive.read("mimetype").strip() != ODT_MIMETYPE:
                raise EvidenceError("file", f"{name} is an OpenDocument file of another kind, not a text document")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise EvidenceError("file", f"{name} contains macros, which are not accepted")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise EvidenceError("file", f"{name} is not a readable {kind} file (a damaged zip)") from None


def check_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise EvidenceError("url", "enter the address of the evidence")
    if len(url) > MAX_URL:
        raise EvidenceError("url", f"an address can be at most {MAX_URL} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise EvidenceError("url", f"{url!r} is not a web address (expected https://...)")
    return url


def _open_action(session: Session, action_id: int) -> Action:
    action = get_action(session, action_id=action_id)
    if Status(action.status) in CLOSED:
        raise EvidenceError("evidence", f"action {action_id} is {action.status}: reopen it before adding evidence")
    return action


def _touch(session: Session, *, action_id: int, by: str, what: str, now: datetime) -> None:
    session.execute(update(Action).where(col(Action.id) == action_id).values(last_event_at=now))
    session.add(Event(action_id=action_id, at=now, actor=by, kind="evidence", to_value=what))


def add_file(
    session: Session,
    *,
    action_id: int,
    filename: str,
    data: bytes,
    by: str,
    home: Path,
    max_bytes: int = MAX_BYTES,
    now: datetime | None = None,
) -> Evidence:
    """Keep an uploaded file under ``home``/evidence/<action>/ with its checksum, and record it."""
    now = now or datetime.now(UTC)
    checked = check_file(filename, data, max_bytes=max_bytes)
    _open_action(session, action_id)
    relative = Path("evidence") / str(action_id) / f"{checked.sha256[:16]}-{checked.filename}"
    target = home / relative
    if not target.exists():
        write_private(target, data)
    row = Evidence(
        action_id=action_id,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        path=relative.as_posix(),
        added_by=by,
        added_at=now,
    )
    session.add(row)
    _touch(session, action_id=action_id, by=by, what=f"{checked.filename} (sha256 {checked.sha256[:12]})", now=now)
    session.flush()
    return row


def add_link(session: Session, *, action_id: int, url: str, by: str, now: datetime | None = None) -> Evidence:
    """Record a link to evidence kept elsewhere (an intranet page, a published policy)."""
    now = now or datetime.now(UTC)
    url = check_url(url)
    _open_action(session, action_id)
    row = Evidence(action_id=action_id, url=url, added_by=by, added_at=now)
    session.add(row)
    _touch(session, action_id=action_id, by=by, what=url, now=now)
    session.flush()
    return row


_EVIDENCE = select(Evidence).where(col(Evidence.action_id) == bindparam("action_id")).order_by(col(Evidence.added_at))
"""Built once: the owner's page reads it on every request."""


def evidence_for(session: Session, *, action_id: int) -> list[Evidence]:
    return list(session.exec(_EVIDENCE, params={"action_id": action_id}))


def evidence_file(session: Session, *, action_id: int, evidence_id: int, home: Path) -> tuple[Evidence, Path]:
    """A stored file of the action, checked against its checksum before it is handed out."""
    row = session.get(Evidence, evidence_id)
    if row is None or row.action_id != action_id or row.path is None:
        raise EvidenceError("evidence", f"action {action_id} has no evidence file {evidence_id}")
    path = home / row.path
    if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != row.sha256:
        raise EvidenceError("evidence", f"evidence file {evidence_id} is missing or does not match its checksum")
    return row, path
