"""The Word return as a person sees it: converted by LibreOffice to PDF and read page by page (paper size, the header
row on every page, the marking top and bottom, the language), with a picture of each page kept in
test-artifacts/returns/. Skips, saying why, where LibreOffice or poppler is not installed (CI installs them).
"""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from models.settings import Settings
from models.store.db import session_scope
from notifications.documents.compile import compile_return
from tests.returns.conftest import read_docx

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "returns"
TODAY = date(2021, 2, 24)
A4_POINTS = (595, 842)
TITLE = (
    "Safe to share? Report on Liberty and Southall Black Sisters' super-complaint on policing and immigration status"
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler are not installed (apt-get install libreoffice-writer-nogui poppler-utils)",
)


def _document(answered: Settings) -> bytes:
    with session_scope() as session:
        row = compile_return(session, report_id="safe-to-share", agency_id="wiltshire-police", today=TODAY)
    assert row.document is not None
    return row.document


def to_pdf(docx: bytes, folder: Path) -> Path:
    """The document as LibreOffice prints it (a profile of its own in ``folder``, so runs never share one)."""
    source = folder / "return.docx"
    source.write_bytes(docx)
    profile = folder / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / "return.pdf"


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_documents_own_settings_say_a4_british_english_and_who_it_is_from(answered: Settings) -> None:
    doc = read_docx(_document(answered))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.cm, 2) == round(section.right_margin.cm, 2) == 2.54
    properties = doc.core_properties
    assert properties.author == "Wiltshire Police"
    assert properties.title == f"Response of Wiltshire Police to the HMICFRS report {TITLE}"
    assert properties.subject == TITLE  # plain text, not "Sisters&#39;"
    assert properties.language == "en-GB"
    assert properties.created.date() == TODAY
    assert "python-docx" not in " ".join(
        str(v) for v in (properties.author, properties.comments, properties.last_modified_by, properties.keywords)
    )
    styles = doc.styles.element
    langs = {el.get(f"{W}val") for el in styles.iter(f"{W}lang")}
    assert langs == {"en-GB"}
    package = doc.part.package
    assert not [p for p in package.iter_parts() if "thumbnail" in str(p.partname)]  # no preview of another page
    assert section.header.paragraphs[0].text == section.footer.paragraphs[0].text == "OFFICIAL"
    table = doc.tables[0]
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert all(row._tr.trPr is not None and row._tr.trPr.find(f"{W}cantSplit") is not None for row in table.rows)


@needs_office
def test_every_page_is_a4_with_the_header_row_and_the_marking(answered: Settings, tmp_path: Path) -> None:
    pdf = to_pdf(_document(answered), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    width, height = (round(float(n)) for n in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert (width, height) == A4_POINTS
    pages = _pages(pdf)
    assert len(pages) >= 2, "the seed's return runs over more than one page"
    table_pages = [p for p in pages if "Recommendation 1." in p or "Recommendation 4." in p or "Recommendation 8." in p]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert "Wiltshire Police response. Agreed and signed off by Priya Shah, portfolio lead." in " ".join(
            page.split()
        )
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "OFFICIAL"
        assert lines[-1] == "OFFICIAL"
    assert b"/Lang(en-GB)" in pdf.read_bytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("wiltshire-return-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "wiltshire-return")], check=True)
    assert len(list(ARTIFACTS.glob("wiltshire-return-*.png"))) == len(pages)
