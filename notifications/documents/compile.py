"""Compile returns: read the agency's actions, fill the templates, keep the document on the return row."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from models.rules.returns import ReturnContent
from models.rules.vocabulary import ReturnKind
from models.store.returns import return_contents, store_compiled_many
from models.store.tables import Return
from notifications.documents.render import render_docx, render_html


@dataclass(frozen=True)
class Compiled:
    """One compiled return: the row as stored, and what it was compiled from."""

    return_id: int
    report_id: str
    agency_id: str
    kind: ReturnKind
    round: int
    sha256: str
    document: bytes
    content: ReturnContent

    @property
    def stem(self) -> str:
        """A file name that says what the document is: report, agency, kind and round."""
        return f"{self.report_id}--{self.agency_id}--{self.kind.value}-round-{self.round}"

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write the stored .docx and an HTML preview into ``folder``; the paths written."""
        folder.mkdir(parents=True, exist_ok=True)
        docx, html = folder / f"{self.stem}.docx", folder / f"{self.stem}.html"
        docx.write_bytes(self.document)
        html.write_text(render_html(self.content), encoding="utf-8")
        return docx, html


def _compiled(row: Return, content: ReturnContent) -> Compiled:
    assert row.id is not None
    assert row.document is not None
    assert row.sha256 is not None
    return Compiled(
        return_id=row.id,
        report_id=row.report_id,
        agency_id=row.agency_id,
        kind=ReturnKind(row.kind),
        round=row.round,
        sha256=row.sha256,
        document=row.document,
        content=content,
    )


def compile_returns(
    session: Session,
    *,
    report_id: str,
    today: date,
    agency_ids: list[str] | None = None,
    kind: str | ReturnKind = ReturnKind.PROGRESS,
    now: datetime | None = None,
) -> list[Compiled]:
    """Compile the returns of many agencies (default: every agency with actions on the report) in one pass.

    A round already handed to the delivery log keeps the document that went; the others get a fresh one.
    """
    kind = ReturnKind(kind)
    contents = return_contents(session, report_id=report_id, today=today, agency_ids=agency_ids, kind=kind)
    documents = {agency_id: render_docx(content) for agency_id, content in contents.items()}
    rows = store_compiled_many(session, report_id=report_id, documents=documents, kind=kind, now=now)
    return [_compiled(rows[agency_id], content) for agency_id, content in contents.items()]


def compile_return(
    session: Session,
    *,
    report_id: str,
    agency_id: str,
    today: date,
    kind: str | ReturnKind = ReturnKind.PROGRESS,
    now: datetime | None = None,
) -> Return:
    """Compile one agency's return and keep it on the current round: the row, with document, sha256 and compiled_at."""
    (one,) = compile_returns(session, report_id=report_id, today=today, agency_ids=[agency_id], kind=kind, now=now)
    from models.store.returns import get_return

    return get_return(session, return_id=one.return_id)
