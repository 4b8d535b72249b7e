"""Builds the .docx and .pdf test documents from code (so no binaries are committed), shaped like published reports
and responses: headings, addressee lines, bullets, a real table, page headers/footers and page numbers.
"""

from pathlib import Path

import docx
from fpdf import FPDF

REPORT_TITLE = "Safe together? A super-complaint report on policing and victims"
RESPONSES = [
    (
        "Recommendation 1. To chief constables",
        "Officers should immediately stop sharing victims' data.",
        "The force has stopped routine sharing.",
    ),
    (
        "Recommendation 2. To chief constables and police and crime commissioners (or equivalents)",
        "By 27 March 2025, forces should publish their policy.",
        "Published on the force website.",
    ),
]


def build_report_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = REPORT_TITLE
    document.add_heading(REPORT_TITLE, level=0)
    document.add_paragraph("Published on 17 December 2020")
    document.add_heading("Recommendations", level=1)
    document.add_paragraph("This section lists our recommendations.")
    document.add_heading("Recommendation 1", level=2)
    document.add_paragraph("To chief constables")
    document.add_paragraph("Chief constables should, within 6 months, make sure that:")
    document.add_paragraph("every officer is trained;", style="List Bullet")
    document.add_paragraph("victims are referred to support.", style="List Bullet")
    document.add_heading("Recommendation 7.1", level=2)
    document.add_paragraph("To the Home Office")
    document.add_paragraph("The Home Office should publish guidance by 27/03/25.")
    document.add_heading("Recommendation 7.2", level=2)
    document.add_paragraph("To the NPCC")
    document.add_paragraph("The NPCC should review the guidance within 56 days.")
    document.add_heading("Areas for improvement", level=1)
    document.add_paragraph("Forces should improve their records.")
    document.save(str(path))
    return path


def build_response_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("03/04/21")
    document.add_paragraph("RESPONSE OF AVON AND SOMERSET CONSTABULARY TO THE HMICFRS REPORT")
    document.add_paragraph(REPORT_TITLE)
    document.add_paragraph("Chief Officer comments")
    document.add_paragraph("The Chief Constable welcomes the report.")
    document.add_paragraph("Portfolio lead comments")
    document.add_paragraph("The force will act on every recommendation.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Recommendations"
    table.rows[0].cells[1].text = "Avon and Somerset Constabulary response"
    for heading, text, response in RESPONSES:
        cells = table.add_row().cells
        cells[0].text = heading
        cells[0].add_paragraph(text)
        cells[1].text = response
    document.add_paragraph("Police and Crime Commissioner's comments")
    document.add_paragraph("The PCC supports the force's response.")
    document.add_paragraph("Sam Jones")
    document.add_paragraph("Force Liaison Officer,")
    document.add_paragraph("Avon and Somerset Constabulary")
    document.save(str(path))
    return path


def _line(pdf: FPDF, text: str, height: float = 6) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


class _ReportPdf(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, "Safe together? | HMICFRS", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")


def build_report_pdf(path: Path) -> Path:
    pdf = _ReportPdf()
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    _line(pdf, REPORT_TITLE, 8)
    pdf.set_font("Helvetica", size=11)
    pdf.ln(6)
    _line(pdf, "Published 17 December 2020")
    pdf.add_page()
    _line(pdf, "Recommendations")
    pdf.ln(6)
    _line(pdf, "Recommendation 1")
    _line(pdf, "To chief constables")
    _line(
        pdf,
        "Chief constables should make sure, by the end of March 2025, that all officers who deal with "
        "victims of domestic abuse know how to refer them to a specialist organisation, and that:",
    )
    _line(pdf, "- every referral is recorded;")
    # the page cuts recommendation 1's bullet list
    pdf.add_page()
    _line(pdf, "- every victim is told what will happen next.")
    pdf.ln(6)
    _line(pdf, "Recommendation 2")
    _line(pdf, "To the Home Office")
    _line(pdf, "The Home Office should publish its review within three months of the publication of this report.")
    pdf.add_page()
    _line(pdf, "Annex A: About the data")
    _line(pdf, "We used data from 43 forces.")
    pdf.output(str(path))
    return path


def build_scanned_pdf(path: Path, image: Path) -> Path:
    """A PDF whose only content is a picture of text: what a scanner produces."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(picture).text((10, 50), "Recommendation 1 To chief constables", fill="black")
    picture.save(image)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=180)
    pdf.output(str(path))
    return path


# --- the corpus's regenerated documents (tests/extraction/real/): real text, the published file's structure -----

REAL = Path(__file__).parent / "real"
_LATIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "•": "-", "\u00a0": " "})


def _latin(text: str) -> str:
    """The PDF core fonts hold Latin-1 only: typographic quotes and dashes become plain ones (said in the source
    record of each regenerated PDF).
    """
    return text.translate(_LATIN)


def _html_blocks(name: str) -> list[tuple[str, str]]:
    """(tag, text) of a committed corpus page's headings and paragraphs, in order: the real text to regenerate."""
    from bs4 import BeautifulSoup
    from bs4.element import Tag

    soup = BeautifulSoup((REAL / name).read_text(encoding="utf-8"), "html.parser")
    out: list[tuple[str, str]] = []
    for tag in soup.find_all(["h1", "h2", "h3", "h4", "p", "li"]):
        if isinstance(tag, Tag) and not tag.find_parent("a"):
            text = " ".join(tag.get_text(" ", strip=True).split())
            if text:
                out.append((tag.name, text))
    return out


def _html_table(name: str) -> list[list[str]]:
    from bs4 import BeautifulSoup
    from bs4.element import Tag

    soup = BeautifulSoup((REAL / name).read_text(encoding="utf-8"), "html.parser")
    rows: list[list[str]] = []
    for tr in soup.find_all("tr"):
        if isinstance(tr, Tag):
            rows.append([" ".join(c.get_text(" ", strip=True).split()) for c in tr.find_all(["td", "th"])])
    return rows


class _RunningPdf(FPDF):
    """A published PDF's page furniture: a running title at the top, "Page N" at the foot."""

    running_title = ""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, self.running_title, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Page {self.page_no()}", align="C")


def build_derbyshire_progress_pdf(path: Path) -> Path:
    """Derbyshire's values-and-culture progress report as the PDF it also publishes: the page's real text, a running
    title and page numbers, one recommendation per page.
    """
    pdf = _RunningPdf()
    pdf.running_title = "HMICFRS Values and Culture - Derbyshire Fire & Rescue Service"
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    for tag, text in _html_blocks("derbyshire-values-culture-progress.html"):
        if text == "(Accessible HTML version)" or text.startswith("HMICFRS Values and Culture in Fire and Rescue"):
            continue
        if tag == "h2" and pdf.page_no() >= 1 and text.startswith("Recommendation"):
            pdf.add_page()
        pdf.set_font("Helvetica", style="B" if tag.startswith("h") else "", size=14 if tag == "h1" else 11)
        pdf.multi_cell(0, 6, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


def build_derbyshire_afi_docx(path: Path) -> Path:
    """The appendix table of Derbyshire's committee paper as a Word table (five columns), with its heading."""
    document = docx.Document()
    document.add_heading("Appendix 1", level=2)
    document.add_paragraph("HMICFRS Values and Culture Action Plan Summary Report as of 1 November 2023")
    document.add_paragraph("Open - Actions on going on track: 15", style="List Bullet")
    document.add_paragraph("Open - Actions on going off track: 2", style="List Bullet")
    rows = _html_table("derbyshire-afi-action-plan.html")
    table = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
    document.save(str(path))
    return path


def build_derbyshire_afi_pdf(path: Path) -> Path:
    """The same appendix as a PDF with a ruled table (how committee papers are published)."""
    pdf = _RunningPdf()
    pdf.running_title = "GPWG 20 November 2023 - Item 7 - Appendix 1"
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "HMICFRS Values and Culture Action Plan Summary Report as of 1 November 2023")
    pdf.ln(4)
    rows = _html_table("derbyshire-afi-action-plan.html")
    width = len(rows[0])
    with pdf.table(col_widths=(70, 20, 25, 45, 20)) as table:
        for values in rows:
            row = table.row()
            for value in [*values, *[""] * (width - len(values))]:
                row.cell(_latin(value))
    pdf.output(str(path))
    return path


def _seed_parts() -> tuple[list[str], list[list[str]], list[str]]:
    """The seed return (Wiltshire Police, "Safe to share?") as its paragraphs before the table, the table's rows
    (a row the page cut joined to the one before) and the paragraphs after it.
    """
    from models.extraction.markup import paragraphs_of

    seed = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0a755b307aa70f69.txt"
    before: list[str] = []
    rows: list[list[str]] = []
    after: list[str] = []
    for line in seed.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            cells = ["\n".join(p.render() for p in paragraphs_of(cell)) for cell in line.split("\t")]
            if rows and rows[-1][0].startswith("Recommendation ") and not cells[0].startswith("Recommendation"):
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=False)]
                continue
            rows.append(cells)
        elif line.strip():
            (after if rows else before).append(" ".join(line.split()))
    return before, rows, after


def build_seed_response_docx(path: Path) -> Path:
    """The seed return as the Word document a force sends: header paragraphs, a two-column table, comments, the
    liaison officer's signature.
    """
    before, rows, after = _seed_parts()
    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=2)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            parts = value.split("\n")
            cell.text = parts[0]
            for part in parts[1:]:
                cell.add_paragraph(part)
    for text in after:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def build_seed_response_pdf(path: Path) -> Path:
    """The seed return as a PDF printed from Word: the same parts, the table ruled, page numbers at the foot."""
    before, rows, after = _seed_parts()
    pdf = _RunningPdf()
    pdf.running_title = ""
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for text in before:
        pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("Helvetica", size=8)
    with pdf.table(col_widths=(95, 95), line_height=3.6, first_row_as_headings=False) as table:
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(_latin(value.replace("\n", "\n\n")))
    pdf.ln(4)
    pdf.set_font("Helvetica", size=10)
    for text in after:
        pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def build_two_column_pdf(path: Path) -> Path:
    """The West Mercia tracker's real text set in two columns, as newsletters and annual reports print it: the
    reader must finish the left column before the right.
    """
    lines = (REAL / "west-mercia-peel-2018-19.txt").read_text(encoding="utf-8").splitlines()
    pdf = _RunningPdf()
    pdf.running_title = "PEEL 2018/19 - West Mercia Police - recommendations"
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    with pdf.text_columns(ncols=2, gutter=12, balance=True) as columns:
        for line in lines:
            columns.write(_latin(line) + "\n")
            if line.strip() == "West Mercia Police":
                columns.ln()
    pdf.output(str(path))
    return path


def build_footnoted_pdf(path: Path) -> Path:
    """A recommendation whose sentence carries a footnote marker set small and raised, as HMICFRS's PDFs set them."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "Recommendation 1", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.write(6, "By 31 March 2025, chief constables should publish their policy on information sharing.")
    pdf.set_font("Helvetica", size=6)
    pdf.write(4, "12")
    pdf.set_font("Helvetica", size=11)
    pdf.ln(8)
    pdf.output(str(path))
    return path
