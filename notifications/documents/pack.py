"""The committee pack: one agency's exception report for its audit committee, as Word and Excel.

``gather`` reads what the rules (``models.rules.pack``) put in each section; ``write`` makes the two files. The Word
document carries the chart of open findings by RAG over time as an image with alt text (the counts are also in a
table, so nothing depends on seeing the colours); the workbook carries the same as a native Excel chart.

Both carry the protective marking (``ACTIONED_MARKING``) as the returns do: the Word document at the top and bottom of
every page, the workbook in every sheet's printed header and footer. Every text cell of the workbook is neutralised
(``models.rules.cells.neutralise``): an owner's reason for a new date, or a name, that starts with ``=`` is text in the
committee's spreadsheet, never a formula.
"""

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models.rules.cells import neutralise
from models.rules.errors import NotFound
from models.rules.pack import Finding, Section, chart_days, rag_series, sections
from models.rules.rag import rag
from models.rules.vocabulary import ItemKind, Rag, Status, label_of
from models.store import item_links
from models.store.tables import Action, Agency, DueDateChange, Recommendation, Report
from notifications.documents.collate import mark_pages
from notifications.render import marking

RAG_COLOURS = {Rag.RED: (212, 53, 28), Rag.AMBER: (244, 119, 56), Rag.GREEN: (0, 112, 60)}
"""GOV.UK's red, orange and green."""


@dataclass(frozen=True)
class PackRow:
    action_id: int
    report: str
    item: str
    agency: str
    owner: str
    due_on: date | None
    original_due_on: date | None
    status: str
    rag: str
    response: str


@dataclass(frozen=True)
class DateChange:
    action_id: int
    item: str
    from_on: date | None
    to_on: date
    reason: str
    status: str
    requested_by: str
    decided_by: str | None


@dataclass
class PackContent:
    agency_id: str
    agency_name: str
    since: date
    next_meeting: date
    today: date
    overdue: list[PackRow] = field(default_factory=list)
    due_soon: list[PackRow] = field(default_factory=list)
    closed: list[PackRow] = field(default_factory=list)
    not_accepted: list[PackRow] = field(default_factory=list)
    date_changes: list[DateChange] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    """(finding, how it is linked) for the agency's findings linked across reports."""
    chart: list[tuple[date, dict[Rag, int]]] = field(default_factory=list)


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(UTC).date() if moment else None


def gather(session: Session, *, agency_id: str, since: date, next_meeting: date, today: date) -> PackContent:
    """What the pack says for ``agency_id`` on ``today``, the last meeting having been on ``since``."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id!r} is not registered", field="--agency")
    content = PackContent(agency.id, agency.name, since, next_meeting, today)
    rows = session.exec(
        select(Action, Recommendation, Report)
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .join(Report, col(Report.id) == Action.report_id)
        .where(Action.agency_id == agency_id)
        .order_by(col(Action.report_id), col(Recommendation.position))
    ).all()
    findings: list[Finding] = []
    items: dict[int, str] = {}
    targets = {
        Section.OVERDUE: content.overdue,
        Section.DUE_SOON: content.due_soon,
        Section.CLOSED: content.closed,
        Section.NOT_ACCEPTED: content.not_accepted,
    }
    for action, rec, report in rows:
        assert action.id is not None
        status = Status(action.status)
        finding = Finding(
            status,
            action.due_on,
            report.published_on,  # a finding stands open from its report's publication
            _day(action.last_event_at) or today,
            _day(action.closed_at),
        )
        findings.append(finding)
        item = f"{label_of(ItemKind, rec.kind)} {rec.number}"
        items[action.id] = f"{report.title}: {item}"
        row = PackRow(
            action.id,
            report.title,
            item,
            agency.name,
            action.owner_email or "(awaiting allocation)",
            action.due_on,
            action.original_due_on,
            status.label,
            rag(status, action.due_on, finding.last_update_on, today).label,
            action.response or "",
        )
        for section in sorted(sections(finding, since=since, next_meeting=next_meeting, today=today)):
            targets[section].append(row)
    for change in session.exec(
        select(DueDateChange).where(col(DueDateChange.action_id).in_(list(items))).order_by(col(DueDateChange.id))
    ):
        if (_day(change.decided_at) or _day(change.requested_at) or today) >= since:
            content.date_changes.append(
                DateChange(
                    change.action_id,
                    items[change.action_id],
                    change.from_on,
                    change.to_on,
                    change.reason,
                    change.status,
                    change.requested_by,
                    change.decided_by,
                )
            )
    linked = item_links.links_of(session, {rec.id for _, rec, _ in rows if rec.id is not None})
    for _, rec, report in rows:
        for words in linked.get(rec.id or 0, []):
            content.links.append((item_links.item_name(rec, report.title), words))
    days = chart_days(since, today)
    content.chart = list(zip(days, rag_series(findings, days), strict=True))
    return content


def _when(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "no date"


def chart_png(content: PackContent, *, width: int = 900, height: int = 420) -> bytes:
    """Stacked bars of open findings by RAG on each chart day, drawn with Pillow (labels and a key included)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=16)
    left, right, top, bottom = 60, width - 160, 20, height - 50
    most = max((sum(c.values()) for _, c in content.chart), default=0) or 1
    draw.line([(left, top), (left, bottom), (right, bottom)], fill="black", width=2)
    for tick in range(5):
        value = round(most * tick / 4)
        y = bottom - (bottom - top) * value / most
        draw.line([(left - 5, y), (left, y)], fill="black")
        draw.text((10, y - 9), str(value), fill="black", font=font)
    slot = (right - left) / max(len(content.chart), 1)
    for i, (day, counts) in enumerate(content.chart):
        x0, x1 = left + i * slot + slot * 0.2, left + (i + 1) * slot - slot * 0.2
        y = float(bottom)
        for rating in (Rag.GREEN, Rag.AMBER, Rag.RED):
            h = (bottom - top) * counts[rating] / most
            if h:
                draw.rectangle([(x0, y - h), (x1, y)], fill=RAG_COLOURS[rating])
            y -= h
        draw.text((x0, bottom + 10), day.strftime("%d %b %y"), fill="black", font=font)
    for i, rating in enumerate((Rag.RED, Rag.AMBER, Rag.GREEN)):
        y = top + 10 + i * 28
        draw.rectangle([(right + 20, y), (right + 38, y + 18)], fill=RAG_COLOURS[rating])
        draw.text((right + 46, y), rating.value.capitalize(), fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def chart_alt_text(content: PackContent) -> str:
    parts = [f"{_when(day)}: {c[Rag.RED]} red, {c[Rag.AMBER]} amber, {c[Rag.GREEN]} green" for day, c in content.chart]
    return "Open findings by RAG rating over time. " + "; ".join(parts) + "."


SECTIONS = (
    ("Overdue", "overdue", "Nothing is overdue."),
    ("Due before the next meeting", "due_soon", "Nothing falls due before the next meeting."),
    ("Closed since the last meeting", "closed", "Nothing closed since the last meeting."),
    ("Not accepted", "not_accepted", "Every finding has been accepted."),
)
COLUMNS = ("Action", "Finding", "Owner", "Due", "Original due", "Status", "RAG")


def _cells(row: PackRow) -> list[str]:
    original = _when(row.original_due_on) if row.original_due_on not in (None, row.due_on) else ""
    return [
        str(row.action_id),
        f"{row.report}: {row.item}",
        row.owner,
        _when(row.due_on),
        original,
        row.status,
        row.rag,
    ]


def _change_cells(change: DateChange) -> list[str]:
    return [
        str(change.action_id),
        change.item,
        _when(change.from_on),
        _when(change.to_on),
        change.reason,
        f"{change.status} ({change.decided_by or 'waiting'})",
    ]


CHANGE_COLUMNS = ("Action", "Finding", "From", "To", "Reason", "Decision")
LINK_COLUMNS = ("Finding", "Linked")


def docx_bytes(content: PackContent) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from notifications.documents.word_rows import row_property

    doc = Document()
    page = doc.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = page.page_height, page.page_width
    margin = Cm(1.8)
    page.left_margin = page.right_margin = margin
    assert page.page_width is not None
    usable_cm = (page.page_width - 2 * margin) / Cm(1)  # tables fit inside the margins, no wider
    marked = marking()
    for part in (page.header, page.footer):
        line = part.paragraphs[0]
        line.text = marked
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.runs[0].bold = True
    doc.add_heading(f"{content.agency_name}: inspection findings, exception report", level=0)
    doc.add_paragraph(
        f"For the audit committee. Position on {_when(content.today)}; changes since the last meeting on "
        f"{_when(content.since)}; the next meeting is on {_when(content.next_meeting)}."
    )

    def table(headers: tuple[str, ...], rows: list[list[str]], sizes: tuple[float, ...] | None = None) -> None:
        grid = doc.add_table(rows=1, cols=len(headers))
        grid.style = "Table Grid"
        grid.autofit = False
        wide = 1 if len(headers) > 4 else -1  # the finding's column takes what the others leave
        narrow = [2.6 if i == 0 else 3.0 for i in range(len(headers))]
        narrow[wide] = 0
        narrow[wide] = usable_cm - sum(narrow)
        widths = [Cm(c) for c in (sizes or narrow)]
        for cell, text in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        row_property(grid.rows[0], "tblHeader")  # a table running onto the next page repeats its column headings
        for values in rows:
            row = grid.add_row()
            row_property(row, "cantSplit")  # a finding is never broken across pages where it fits on one
            for cell, text in zip(row.cells, values, strict=True):
                cell.text = text
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width  # the table's grid: LibreOffice lays columns out by it, not by the cells' widths
        for row in grid.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width

    for heading, name, otherwise in SECTIONS:
        doc.add_heading(heading, level=1)
        rows: list[PackRow] = getattr(content, name)
        if rows:
            table(COLUMNS, [_cells(r) for r in rows])
        else:
            doc.add_paragraph(otherwise)
    doc.add_heading("Target dates changed", level=1)
    if content.date_changes:
        table(CHANGE_COLUMNS, [_change_cells(c) for c in content.date_changes])
    else:
        doc.add_paragraph("No target date changed since the last meeting.")
    doc.add_heading("Linked findings", level=1)
    if content.links:
        table(LINK_COLUMNS, [list(row) for row in content.links], sizes=(11, 13))
    else:
        doc.add_paragraph("No finding is linked to one in another report.")
    doc.add_heading("Open findings by RAG over time", level=1)
    picture = doc.add_paragraph().add_run().add_picture(io.BytesIO(chart_png(content)), width=Cm(20))
    picture._inline.docPr.set("descr", chart_alt_text(content))
    picture._inline.docPr.set("title", "Open findings by RAG over time")
    table(
        ("Day", "Red", "Amber", "Green"),
        [[_when(d), str(c[Rag.RED]), str(c[Rag.AMBER]), str(c[Rag.GREEN])] for d, c in content.chart],
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(content: PackContent) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for heading, name, _ in SECTIONS:
        sheet = book.create_sheet(heading[:31])
        sheet.append(list(COLUMNS))
        for row in getattr(content, name):
            sheet.append([neutralise(v) for v in _cells(row)])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    changes = book.create_sheet("Target dates changed")
    changes.append(list(CHANGE_COLUMNS))
    for change in content.date_changes:
        changes.append([neutralise(v) for v in _change_cells(change)])
    linked = book.create_sheet("Linked findings")
    linked.append(list(LINK_COLUMNS))
    for row in content.links:
        linked.append([neutralise(v) for v in row])
    trend = book.create_sheet("RAG over time")
    trend.append(["Day", "Red", "Amber", "Green"])
    for day, counts in content.chart:
        trend.append([day, counts[Rag.RED], counts[Rag.AMBER], counts[Rag.GREEN]])
    for sheet in (changes, linked, trend):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = "Open findings by RAG over time"
    chart.y_axis.title = "Open findings"
    rows = len(content.chart) + 1
    chart.add_data(Reference(trend, min_col=2, max_col=4, min_row=1, max_row=rows), titles_from_data=True)
    chart.set_categories(Reference(trend, min_col=1, min_row=2, max_row=rows))
    for series, rating in zip(chart.series, (Rag.RED, Rag.AMBER, Rag.GREEN), strict=True):
        series.graphicalProperties.solidFill = "{:02X}{:02X}{:02X}".format(*RAG_COLOURS[rating])
    trend.add_chart(chart, "F2")
    marked = marking()
    for sheet in book.worksheets:
        mark_pages(sheet, marked, header_row=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(content: PackContent, folder: Path) -> tuple[Path, Path]:
    """Write the Word and Excel files into ``folder``; their paths."""
    stem = f"pack-{content.agency_id}-{content.today.isoformat()}"
    docx, xlsx = folder / f"{stem}.docx", folder / f"{stem}.xlsx"
    docx.write_bytes(docx_bytes(content))
    xlsx.write_bytes(xlsx_bytes(content))
    return docx, xlsx
