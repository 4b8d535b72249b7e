"""Never a silent wrong answer: how each item was found and how sure the reader is; a cell that is only a number
or a reference is never a response; ``--responses`` records what it is sure of and lists the rest.
"""

import json
from pathlib import Path
from typing import Any

import docx
from sqlmodel import col, select

from models.extraction import document_from_text, extract_responses, read_document
from models.extraction.reading import read
from models.store.db import session_scope
from models.store.tables import Action, Recommendation, ReturnComments
from tests.extraction.test_seed import SEED

HEADER = "RESPONSE OF WILTSHIRE POLICE TO THE HMICFRS REPORT\nSafe to share? Report on Liberty and Southall Black Sisters' super-complaint on policing and immigration status\n\n"


def _action_plan(path: Path, header: list[str] | None) -> Path:
    """A force's action-plan table: number | recommendation | sub-recommendation | owner | response | update."""
    document = docx.Document()
    document.add_paragraph("Action plan")
    rows = [
        ["7", "The Home Office should:", "7.1 publish revised guidance;", "Home Office", "Guidance drafted.", "68"],
        ["8", "Provide an update to HMICFRS within six months.", "", "Force lead", "7.1", ""],
    ]
    table = document.add_table(rows=0, cols=6)
    for values in [header, *rows] if header else rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def test_a_number_beside_a_recommendation_is_never_its_response(tmp_path: Path) -> None:
    reading = read(read_document(_action_plan(tmp_path / "plan.docx", header=None)))
    by_number = {i.number: i for i in reading.items}
    assert list(by_number) == ["7.1", "8"]  # 7 is only the lead-in of 7.1
    assert by_number["7.1"].text == "publish revised guidance;"
    assert by_number["7.1"].response is None
    assert by_number["8"].response is None
    assert not any(i.response_sure for i in reading.items)
    assert "Guidance drafted." in [u.text for u in reading.leftovers]


def test_an_action_plan_with_a_header_is_read_column_by_column(tmp_path: Path) -> None:
    header = ["No.", "Recommendation", "Sub-recommendation", "Owner", "Response", "Overall %"]
    reading = read(read_document(_action_plan(tmp_path / "plan.docx", header=header)))
    by_number = {i.number: i for i in reading.items}
    assert list(by_number) == ["7.1", "8"]  # 7 is only the lead-in of 7.1
    sub = by_number["7.1"]
    assert (sub.text, sub.addressee, sub.response, sub.response_sure) == (
        "publish revised guidance;",
        "Home Office",
        "Guidance drafted.",
        True,
    )
    assert dict(sub.extra) == {"Overall %": "68"}
    eight = by_number["8"]
    assert eight.response is None
    assert any("holds only '7.1'" in d for d in eight.doubts)
    assert eight.addressee == "Force lead"
    assert all(i.method.startswith("a table row, columns by header") for i in reading.items)


def test_seed_signatory_and_sign_off_are_read() -> None:
    found = extract_responses(read_document(SEED))
    assert found.sign_off is not None
    assert (found.sign_off.who, found.sign_off.role) == ("Supt Mant", "portfolio lead")
    assert found.sign_off.line == "Agreed and signed off by Supt Mant, portfolio lead"
    assert found.signatory is not None
    assert found.signatory.line() == "Michelle Francis, HMICFRS Liaison Officer, Wiltshire Police"
    assert all(p.response_sure and p.confidence == "high" for p in found.responses)


def test_footnote_markers_are_left_out_of_html_text(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(
        "<html><body><h2>Recommendation 1</h2><p>By 31 March 2025, chief constables should publish their"
        " policy.<sup>12</sup></p></body></html>",
        encoding="utf-8",
    )
    (item,) = read(read_document(page)).items
    assert item.text == "By 31 March 2025, chief constables should publish their policy."


def test_responses_records_only_what_it_is_sure_of_and_lists_the_rest(
    cli_in_process: Any, assigned: Any, tmp_path: Path
) -> None:
    document = tmp_path / "return.txt"
    document.write_text(
        HEADER + "<p>Recommendation 1. To chief constables</p><p>Officers should stop sharing.</p>\t1.1\n"
        "<p>Recommendation 8. To all recipients</p><p>Provide an update.</p>\tThe force notes this recommendation.\n\n"
        "Agreed and signed off by Supt Mant, portfolio lead.\n",
        encoding="utf-8",
    )
    result = cli_in_process(
        "report", "extract", str(document), "--responses", "--agency", "wiltshire-police", "--by", "lead@example.org"
    )
    assert result.code == 0, result.stderr
    assert "recorded 1 responses of wiltshire-police to safe-to-share (recommendations 8)" in result.stdout
    assert "not recorded, for a person to confirm (1):" in result.stdout
    assert "holds only '1.1': not taken as a response" in result.stderr
    assert "sign-off: Agreed and signed off by Supt Mant, portfolio lead" in result.stdout
    with session_scope() as session:
        rows = dict(
            session.exec(
                select(Recommendation.number, Action.response)
                .join(Action, col(Action.recommendation_id) == col(Recommendation.id))
                .where(Action.agency_id == "wiltshire-police", Action.report_id == "safe-to-share")
            ).all()
        )
        comments = session.get(ReturnComments, ("safe-to-share", "wiltshire-police"))
        assert comments is not None
        assert comments.sign_off == "Agreed and signed off by Supt Mant, portfolio lead"
    assert rows["8"] == "The force notes this recommendation."
    assert not rows["1"]


def test_the_seed_stores_its_signatory_and_sign_off(cli_in_process: Any, assigned: Any) -> None:
    result = cli_in_process("report", "extract", str(SEED), "--responses", "--agency", "wiltshire-police")
    assert result.code == 0, result.stderr
    with session_scope() as session:
        comments = session.get(ReturnComments, ("safe-to-share", "wiltshire-police"))
        assert comments is not None
        assert comments.signatory == "Michelle Francis, HMICFRS Liaison Officer, Wiltshire Police"
        assert comments.sign_off == "Agreed and signed off by Supt Mant, portfolio lead"


def test_review_prints_every_item_with_how_sure_and_what_was_left(cli_in_process: Any, home: Any) -> None:
    page = Path(__file__).parent / "real" / "dsfrs-values-culture.html"
    result = cli_in_process("report", "extract", str(page), "--review")
    assert result.code == 0, result.stderr
    review = json.loads(result.stdout)
    (item,) = review["items"]
    assert item["method"] == "a numbered title heading"
    assert item["response_confidence"] == "low"
    assert review["unsure"]
    assert "no response marker" in review["unsure"][0]


def test_a_document_with_nothing_says_what_was_looked_for_and_seen(cli_in_process: Any, home: Any) -> None:
    page = Path(__file__).parent / "real" / "bucks-fire-action-plan.html"
    result = cli_in_process("report", "extract", str(page))
    assert result.code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "no recommendations found (looked for 'Recommendation N'" in line
    assert "saw 12 paragraphs, 2 headings" in line
    assert result.stdout == ""


def test_plain_text_pipe_tables_are_rows() -> None:
    document = document_from_text("a | b | c |\n---|---|---|\n1 | x | y |\n", "t.md")
    assert [b.cells for b in document.blocks if b.kind == "row"] == [("a", "b", "c"), ("1", "x", "y")]
