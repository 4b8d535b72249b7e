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
