"""The collated national return: for each recommendation, every addressed agency's response side by side, compiled
from the returns actually accepted (the documents as they were sent, read back), as a Word document staff can restyle
(``national.docx``, built by ``build_templates``) and as an Excel workbook (one sheet per recommendation, one row per
agency).
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from docx import Document
from sqlmodel import Session

from models.rules.cells import neutralise
from models.rules.days import london_day
from models.rules.national import CollatedRecommendation, RecommendationRef, SubmittedResponse, collate
from models.store import national
from models.store.reports import get_report, list_recommendations
from notifications.documents.render import lines
from notifications.render import document_environment, marking

_HEADING = re.compile(r"^Recommendation (\S+?)\.\s")
"""A return's left cell starts "Recommendation 7.1. To chief constables": the number is what comes before ". "."""

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_HEADERS = ("Agency", "Agency id", "Response", "Source", "Inspectorate")


def responses_in(document: bytes) -> list[tuple[str, str]]:
    """(recommendation number, response) for each row of a compiled return's table, exactly as the document holds
    them (paragraphs joined by line breaks).
    """
    doc = Document(io.BytesIO(document))
    if not doc.tables:
        return []
    out = []
    for row in doc.tables[0].rows[1:]:
        left, right = row.cells[0], row.cells[-1]
        match = _HEADING.match(left.paragraphs[0].text if left.paragraphs else "")
        if match:
            out.append((match.group(1), "\n".join(p.text for p in right.paragraphs)))
    return out


@dataclass(frozen=True)
class Collated:
    report_id: str
    report_title: str
    publisher: str
    """Who the collated return is from, as its properties say: the report's publisher (the inspectorate)."""
    dated: date
    recommendations: list[CollatedRecommendation]
    returns: int

    @property
    def agencies(self) -> int:
        return len({row.agency_id for rec in self.recommendations for row in rec.rows})

    @property
    def stem(self) -> str:
        return f"{self.report_id}-national"


def collated(session: Session, *, report_id: str, today: date, shown: Callable[[str], bool] | None = None) -> Collated:
    """Everything the national return says, read from the accepted returns' documents; with ``shown``, only the
    agencies it admits (what a national coordinator's scope gives them).
    """
    report = get_report(session, report_id=report_id)
    addressed, names = national.addressed(session, report_id=report_id)
    accepted = national.accepted_returns(session, report_id=report_id)
    if shown is not None:
        addressed = {number: [a for a in ids if shown(a)] for number, ids in addressed.items()}
        accepted = [row for row in accepted if shown(row.agency_id)]
    submitted: list[SubmittedResponse] = []
    for row in accepted:
        if row.document is None or row.submitted_at is None:
            continue
        submitted.extend(
            SubmittedResponse(
                agency_id=row.agency_id,
                number=number,
                response=response,
                round=row.round,
                submitted_on=national.accepted_day(row) or london_day(row.submitted_at),
            )
            for number, response in responses_in(row.document)
        )
    recs = [
        RecommendationRef(number=r.number, addressee=r.addressee, text=r.text, position=r.position)
        for r in list_recommendations(session, report_id=report_id)
    ]
    return Collated(
        report_id=report_id,
        report_title=report.title,
        publisher=report.publisher or "HMICFRS",
        dated=today,
        recommendations=collate(
            recommendations=recs,
            addressed=addressed,
            names=names,
            submitted=submitted,
            inspectorate=national.decisions_by_number(session, report_id=report_id),
        ),
        returns=len(accepted),
    )


def _summary(received: int, total: int) -> str:
    return f"{received} of {total} addressed agencies' responses received."


def document_title(c: Collated) -> str:
    return f"National return: every agency's response to {c.report_title}"


def context(c: Collated) -> dict[str, Any]:
    return {
        "date_text": c.dated.strftime("%d/%m/%y"),
        "report_title": c.report_title,
        "document_title": document_title(c),
        "author": c.publisher,
        "marking": marking(),
        "summary": f"Compiled from the {c.returns} returns accepted, for the {c.agencies} agencies addressed.",
        "recommendations": [
            {
                "heading": rec.heading,
                "text_lines": lines(rec.text),
                "summary": _summary(rec.received, len(rec.rows)),
                "rows": [
                    {
                        "agency_name": row.agency_name,
                        "source": row.source,
                        "response_lines": lines(row.response),
                        "inspectorate": row.inspectorate,
                    }
                    for row in rec.rows
                ],
            }
            for rec in c.recommendations
        ],
    }


def render_collated_docx(c: Collated) -> bytes:
    """The Word document, from ``national.docx`` (rendered afresh each time: it is compiled rarely, and whole)."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(Path(__file__).with_name("national.docx")))
    template.render(context(c), jinja_env=document_environment(), autoescape=True)
    properties = template.docx.core_properties  # as plain text: see notifications.documents.render._stamp
    properties.author, properties.title, properties.subject = c.publisher, document_title(c), c.report_title
    properties.created = properties.modified = datetime.combine(c.dated, time(), tzinfo=UTC)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_name(number: str, taken: set[str]) -> str:
    """ "Rec 7.1": within Excel's limits (31 characters, no brackets, colons, stars, slashes; unique)."""
    base = _NOT_IN_SHEET_NAMES.sub("-", f"Rec {number}")[:31]
    name, n = base, 2
    while name.casefold() in taken:
        name = f"{base[:27]} ({n})"
        n += 1
    taken.add(name.casefold())
    return name


HEADER_ROW = 5
"""The sheet's column headings: under the marking, the recommendation's heading, its text and the count received."""


def mark_pages(sheet: Any, marked: str, *, header_row: int = HEADER_ROW) -> None:
    """The marking at the top and bottom of every printed page, and the column headings (``header_row``) repeated on
    each.
    """
    for part in (sheet.oddHeader, sheet.oddFooter):
        part.center.text = marked
        part.center.font = "Arial,Bold"
    if sheet.max_row >= header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def render_collated_xlsx(c: Collated) -> bytes:
    """One sheet per recommendation (its text above), one row per agency; every text cell neutralised. The marking
    heads each sheet (its first row) and its printed pages (header and footer), as the Word return carries it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    taken: set[str] = set()
    marked = marking()
    for rec in c.recommendations:
        sheet = book.create_sheet(sheet_name(rec.number, taken))
        sheet.append([marked])
        sheet.append([neutralise(rec.heading)])
        sheet.append([neutralise(rec.text)])
        sheet.append([_summary(rec.received, len(rec.rows))])
        sheet.append(list(SHEET_HEADERS))
        for cell in (sheet["A1"], sheet["A2"], *sheet[HEADER_ROW]):
            cell.font = bold
        for row in rec.rows:
            sheet.append(
                [neutralise(v) for v in (row.agency_name, row.agency_id, row.response, row.source, row.inspectorate)]
            )
        for row_cells in sheet.iter_rows(min_row=HEADER_ROW + 1):
            for cell in row_cells:
                cell.alignment = wrap
        sheet["A3"].alignment = wrap
        for letter, width in zip("ABCDE", (28, 22, 80, 30, 40), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        mark_pages(sheet, marked)
    if not c.recommendations:
        mark_pages(book.create_sheet("No recommendations"), marked)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_collated(c: Collated, folder: Path) -> tuple[Path, Path]:
    """Write ``<report>-national.docx`` and ``<report>-national.xlsx`` into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    docx, xlsx = folder / f"{c.stem}.docx", folder / f"{c.stem}.xlsx"
    docx.write_bytes(render_collated_docx(c))
    xlsx.write_bytes(render_collated_xlsx(c))
    return docx, xlsx
