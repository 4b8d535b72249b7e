"""A report being imported from its document in the browser: what the reader found, as a person corrects it.

Nothing is imported until a person confirms: until then the draft is a private file under the data folder
(``imports/<id>.json``), readable only by the member of staff who uploaded the document. The draft holds the
definition's fields as text (as typed), what the reader was unsure of, and every line it could not place.
"""

import io
import json
import re
import secrets
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, Field

from models.extraction import extract_report, read, read_document
from models.extraction.readers import SUPPORTED
from models.rules.errors import ActionedError
from models.settings import write_private
from models.store import evidence

DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
"""A .docx is a zip the reader decompresses: its parts may add up to at most this (a zip bomb is refused unread)."""
MAX_PDF_PAGES = 600
"""More pages than any inspection report has (State of Policing runs to about 250): a PDF is refused before it is read
page by page, which would tie up the server for minutes."""
KINDS_SHOWN = {"recommendation": "Recommendation", "action": "Action"}


class DraftItem(BaseModel):
    kind: str = "recommendation"
    number: str = ""
    addressee: str = ""
    text: str = ""
    due_on: str = ""
    due_text: str = ""
    left_out: bool = False
    location: str = ""
    doubts: list[str] = Field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return KINDS_SHOWN.get(self.kind, self.kind.replace("_", " ").capitalize())


class Unplaced(BaseModel):
    location: str
    text: str


class Draft(BaseModel):
    id: str
    owner: str
    """The signed-in subject who uploaded the document: nobody else opens the draft."""
    document: str
    created_at: datetime
    title: str = ""
    report_id: str = ""
    published_on: str = ""
    return_address: str = ""
    return_months: int | None = None
    items: list[DraftItem] = Field(default_factory=list)
    unplaced: list[Unplaced] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def kept(self) -> list[tuple[int, DraftItem]]:
        """The items to import, with their 1-based place on the review page."""
        return [(i, item) for i, item in enumerate(self.items, start=1) if not item.left_out]


def check_upload(filename: str, data: bytes) -> str:
    """The upload's safe name, or an ActionedError on the ``file`` field: the evidence uploads' size limit, a type
    the reader reads, the first bytes of that type, and for a .docx the evidence's Office-zip checks (the parts a
    Word file holds, no macros) and a bound on what its parts expand to.
    """
    name = evidence.safe_filename(filename) if filename.strip() else ""
    suffix = PurePath(name).suffix.lower()
    if not name:
        raise ActionedError("Choose the report's document to upload", field="file")
    if suffix not in SUPPORTED:
        raise ActionedError(f"{name} is not a document the reader reads (.txt, .docx, .html or .pdf)", field="file")
    if not data.strip():
        raise ActionedError(f"{name} is empty", field="file")
    if len(data) > evidence.MAX_BYTES:
        raise ActionedError(f"{name} is larger than {evidence.human_size(evidence.MAX_BYTES)}", field="file")
    if suffix == ".pdf":
        _check_pdf(name, data)
    if suffix == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            raise ActionedError(f"{name} does not look like a .docx file", field="file")
        evidence.check_office(name, suffix, data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_EXPANDED_BYTES:
                raise ActionedError(f"{name} expands to more than a report's document could hold", field="file")
    return name


def _check_pdf(name: str, data: bytes) -> None:
    import pdfplumber  # here: only an uploaded PDF needs it

    if not data.startswith(b"%PDF-"):
        raise ActionedError(f"{name} does not look like a .pdf file", field="file")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
    except Exception:  # noqa: BLE001 - a damaged or hostile PDF fails anywhere in the parser: one clear line
        raise ActionedError(f"{name} is not a readable PDF (a damaged file?)", field="file") from None
    if pages > MAX_PDF_PAGES:
        raise ActionedError(
            f"{name} has {pages:,} pages: a report's document has at most {MAX_PDF_PAGES}", field="file"
        )


def _date_text(value: object) -> str:
    """A date as the page shows it for a person to correct ("3 March 2023")."""
    return value.strftime("%-d %B %Y") if isinstance(value, date) else ""


def draft_from_upload(
    filename: str, data: bytes, *, owner: str, aliases: dict[str, str], now: datetime | None = None
) -> Draft:
    """Read an uploaded document into a draft; an ActionedError on the ``file`` field when it cannot be."""
    name = check_upload(filename, data)
    with tempfile.TemporaryDirectory(prefix="actioned-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            document = read_document(path)
            reading = read(document)
            extraction = extract_report(document, aliases=aliases, fallback_id=path.stem)
        except ActionedError as error:
            raise ActionedError(error.message, field="file") from None
        except Exception:  # noqa: BLE001 - a hostile file may break a reader anywhere: one clear line, no traceback
            raise ActionedError(f"{name} could not be read as a report's document", field="file") from None
    doubts = {(i.kind, i.number): list(i.doubts) + _unsure(i.confidence, i.method) for i in reading.items}
    locations = {(i.kind, i.number): i.location for i in reading.items}
    definition = extraction.definition
    items = []
    for rec in definition["recommendations"]:
        key = (rec["kind"], rec["number"])
        items.append(
            DraftItem(
                kind=rec["kind"],
                number=rec["number"],
                addressee=rec.get("addressee") or "",
                text=rec["text"],
                due_on=_date_text(rec.get("due_on")),
                due_text=rec.get("due_text") or "",
                location=locations.get(key, ""),
                doubts=doubts.get(key, []),
            )
        )
    return Draft(
        id=secrets.token_urlsafe(24),
        owner=owner,
        document=name,
        created_at=now or datetime.now(UTC),
        title=definition.get("title") or "",
        report_id=definition.get("id") or "",
        published_on=_date_text(definition.get("published_on")),
        return_address=definition.get("return_address") or "",
        return_months=definition.get("return_months"),
        items=items,
        unplaced=[Unplaced(location=u.location, text=u.text) for u in reading.leftovers],
        warnings=[w for w in extraction.warnings if _general(w, items)],
    )


def _unsure(confidence: str, method: str) -> list[str]:
    return [] if confidence == "high" else [f"found by {method}; {confidence} confidence: check it"]


def _general(warning: str, items: list[DraftItem]) -> bool:
    """A warning not about one recommendation (those are shown by it) nor an unplaced line (shown beside them)."""
    if "not part of any recommendation" in warning:
        return False
    return not any(item.location and warning.startswith(f"{item.location}:") for item in items)


def _path(folder: Path, draft_id: str) -> Path:
    return folder / f"{draft_id}.json"


KEEP_DAYS = 7
"""A draft nobody confirmed or discarded is removed after a week (at the next upload)."""


def save(folder: Path, draft: Draft) -> None:
    write_private(_path(folder, draft.id), draft.model_dump_json().encode())


def prune(folder: Path, *, now: datetime, days: int = KEEP_DAYS) -> int:
    """Remove drafts last saved more than ``days`` ago; how many went."""
    removed = 0
    for path in folder.glob("*.json") if folder.is_dir() else ():
        if now.timestamp() - path.stat().st_mtime > days * 86400:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def load(folder: Path, draft_id: str, *, owner: str) -> Draft | None:
    """The draft, when it exists and is this person's; None otherwise (the page says it was not found)."""
    if not DRAFT_ID.match(draft_id):
        return None
    try:
        draft = Draft.model_validate(json.loads(_path(folder, draft_id).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
    return draft if draft.owner == owner else None


def discard(folder: Path, draft_id: str) -> None:
    if DRAFT_ID.match(draft_id):
        _path(folder, draft_id).unlink(missing_ok=True)


def definition_data(draft: Draft, groups: dict[int, list[str]]) -> dict[str, Any]:
    """The definition ``report import`` would read from YAML, from the draft as corrected (dates as typed)."""
    data: dict[str, Any] = {
        "id": draft.report_id,
        "title": draft.title,
        "publisher": "HMICFRS",
        "published_on": draft.published_on,
        "recommendations": [],
    }
    if draft.return_address:
        data["return_address"] = draft.return_address
    if draft.return_months:
        data["return_months"] = draft.return_months
    for place, item in draft.kept:
        rec: dict[str, Any] = {"number": item.number, "kind": item.kind, "addressee": item.addressee, "text": item.text}
        if place in groups:
            rec["groups"] = groups[place]
        if item.due_on:
            rec["due_on"] = item.due_on
        if item.due_text:
            rec["due_text"] = item.due_text
        data["recommendations"].append(rec)
    return data
