"""The collated national return carries the protective marking (``ACTIONED_MARKING``) as the single return does: in
Word, the header and footer of every page (read back, and through LibreOffice page by page: A4, the marking first and
last on each page, the table's header row repeated); in Excel, the first row of every sheet and its printed header
and footer. Its properties say who it is from and when it was compiled; no preview image of another document.
Pictures of the pages are kept in test-artifacts/national/.
"""

import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from models.store.db import session_scope
from notifications.documents.collate import HEADER_ROW, collated, render_collated_docx, render_collated_xlsx
from tests.national.conftest import DUE, submit
from tests.returns.conftest import read_docx
from tests.returns.test_document_pages import A4_POINTS, TITLE, needs_office, to_pdf

MARKING = "OFFICIAL-SENSITIVE"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "national"


@pytest.fixture
def documents(answered, smtp, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, bytes]:
    submit(DUE)
    monkeypatch.setenv("ACTIONED_MARKING", MARKING)
    with session_scope() as session:
        c = collated(session, report_id="safe-to-share", today=DUE)
    return render_collated_docx(c), render_collated_xlsx(c)


def test_the_word_document_is_marked_top_and_bottom_and_says_who_it_is_from(documents) -> None:
    doc = read_docx(documents[0])
    for section in doc.sections:
        assert section.header.paragraphs[0].text == MARKING
        assert section.footer.paragraphs[0].text == MARKING
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    properties = doc.core_properties
    assert properties.author == "HMICFRS"
    assert properties.title == f"National return: every agency's response to {TITLE}"
    assert properties.subject == TITLE
    assert properties.language == "en-GB"
    assert properties.created.date() == DUE
    assert not [p for p in doc.part.package.iter_parts() if "thumbnail" in str(p.partname)]
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(row._tr.trPr is not None and row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)


def test_every_sheet_is_marked_in_its_first_row_and_on_its_printed_pages(documents) -> None:
    book = load_workbook(io.BytesIO(documents[1]))
    for sheet in book.worksheets:
        assert sheet["A1"].value == MARKING
        assert sheet["A1"].font.bold
        assert sheet.oddHeader.center.text == MARKING
        assert sheet.oddFooter.center.text == MARKING
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert sheet[HEADER_ROW][0].value == "Agency"


@needs_office
def test_every_page_of_the_word_document_is_a4_and_marked(documents, tmp_path: Path) -> None:
    pdf = to_pdf(documents[0], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert size is not None
    assert (round(float(size.group(1))), round(float(size.group(2)))) == A4_POINTS
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 2  # 47 agencies on recommendation 1 alone run over pages
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == MARKING
        assert lines[-1] == MARKING
    headed = [p for p in pages if re.search(r"Agency\s+Response\s+Inspectorate", p)]
    assert len(headed) > len(Document(io.BytesIO(documents[0])).tables), "the header row repeats on later pages"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("collated-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-l", "3", "-png", str(pdf), str(ARTIFACTS / "collated")], check=True)
