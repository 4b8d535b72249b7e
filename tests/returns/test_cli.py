"""The returns commands and the board's export, through the real ``actioned`` entry point: in a subprocess where a
flow runs, else in this process (``flows.cli.main``, the console script's function) to keep the tests fast.
"""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from models.store.db import session_scope
from models.store.returns import current_return
from tests.returns.conftest import read_docx


def test_compile_writes_the_word_document_and_the_preview(prefect_harness, answered, cli, tmp_path):
    from prefect.settings import PREFECT_API_URL

    out = tmp_path / "out"
    args = ("--agency", "wiltshire-police", "--out", str(out), "--today", "2021-02-24")
    # The subprocess uses the test harness's API server rather than starting an ephemeral one of its own.
    result = cli("returns", "compile", "safe-to-share", *args, env={"PREFECT_API_URL": str(PREFECT_API_URL.value())})
    assert result.code == 0, result.stderr
    docx = out / "safe-to-share--wiltshire-police--progress-round-1.docx"
    html = out / "safe-to-share--wiltshire-police--progress-round-1.html"
    assert str(docx) in result.stdout.splitlines()
    assert str(html) in result.stdout.splitlines()
    assert read_docx(docx.read_bytes()).paragraphs[1].text == "RESPONSE OF WILTSHIRE POLICE TO THE HMICFRS REPORT"
    assert "Recommendation 8. To all recipients" in html.read_text()


@pytest.fixture
def run(cli_in_process):
    return cli_in_process


def test_user_errors_are_one_line_and_change_nothing(answered, run):
    for args, fragment in [
        (("returns", "compile", "no-such-report"), "report 'no-such-report' is not registered"),
        (("returns", "compile", "safe-to-share", "--agency", "nowhere"), "agency 'nowhere' is not registered"),
        (("returns", "approve", "safe-to-share", "--agency", "nowhere", "--by", "x@y.example"), "nowhere"),
        (("returns", "release", "safe-to-share", "--agency", "wiltshire-police"), "is not on hold"),
        (("returns", "resubmit", "safe-to-share", "--agency", "wiltshire-police"), "has not been sent yet"),
        (("returns", "comments", "safe-to-share", "--agency", "wiltshire-police"), "give at least one of"),
        (("returns", "check", "safe-to-share", "--kind", "letters"), "--kind"),
        (("actions", "export", "--format", "pdf"), "--format"),
        (("actions", "export", "--format", "xlsx"), "--out"),
        (("returns", "submit", "--today", "2021-02-30"), "--today"),
    ]:
        result = run(*args)
        assert result.code == 1, (args, result.stdout, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert fragment in result.stderr, result.stderr
    with session_scope() as session:
        assert current_return(session, report_id="safe-to-share", agency_id="nowhere") is None
        assert current_return(session, report_id="safe-to-share", agency_id="wiltshire-police") is None


def test_approve_hold_send_as_is_and_the_dry_run(answered, run):
    cli = run
    by = ("--by", "morgan.hale@wiltshire-police.example")
    assert cli("returns", "hold", "safe-to-share", "--agency", "wiltshire-police", "--reason", "PCC", *by).code == 0
    dry = cli("returns", "submit", "--today", "2021-06-17", "--dry-run")
    assert dry.code == 0, dry.stderr
    assert "wiltshire-police" in dry.stdout
    assert "held" in dry.stdout
    assert "nothing sent, nothing recorded" in dry.stdout
    assert cli("returns", "release", "safe-to-share", "--agency", "wiltshire-police", *by).code == 0
    assert cli("returns", "approve", "safe-to-share", "--agency", "wiltshire-police", *by).code == 0
    assert cli("returns", "send-as-is", "safe-to-share", "--agency", "dorset-police", *by).code == 0
    comments = cli("returns", "comments", "safe-to-share", "--agency", "wiltshire-police", "--pcc", "A & <b>", *by)
    assert comments.code == 0, comments.stderr
    check = cli("returns", "check", "safe-to-share", "--agency", "wiltshire-police", "--today", "2021-06-17", "--json")
    assert '"decision": "send"' in check.stdout
    with session_scope() as session:
        row = current_return(session, report_id="safe-to-share", agency_id="wiltshire-police")
        assert row is not None
        assert row.approved_by == "morgan.hale@wiltshire-police.example"
        assert not row.on_hold
        dorset = current_return(session, report_id="safe-to-share", agency_id="dorset-police")
        assert dorset is not None
        assert dorset.send_as_is_by == "morgan.hale@wiltshire-police.example"
        assert dorset.send_as_is_at is not None


def test_the_board_export_in_csv_and_excel(answered, run, tmp_path):
    cli = run
    result = cli("actions", "export", "--agency", "wiltshire-police", "--today", "2021-06-18")
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["recommendation"] for r in rows] == ["1", "4", "5", "8"]
    assert rows[0]["owner"] == "sam.carter@wiltshire-police.example"
    assert rows[3]["due date"] == "2021-06-17"
    assert {r["RAG"] for r in rows} == {"red"}  # overdue on 18 June, none closed
    assert rows[3]["response"].startswith("The force notes this recommendation")
    assert rows[0]["last update"]
    xlsx = tmp_path / "board.xlsx"
    result = cli("actions", "export", "--format", "xlsx", "--report", "safe-to-share", "--out", str(xlsx))
    assert result.code == 0, result.stderr
    sheet = load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    assert header[:11] == [
        "action",
        "report",
        "recommendation",
        "agency",
        "agency name",
        "owner",
        "due date",
        "original due date",
        "status",
        "RAG",
        "last update",
    ]
    assert sheet.max_row == 271  # 270 actions and the header
    assert sheet.cell(row=2, column=7).value.date() == date(2021, 6, 17)
