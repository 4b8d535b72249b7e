"""Findings linked across reports through the command line: an area for improvement of one PEEL inspection that recurs
in the next, bad links refused in one line with nothing changed, an event on each action of both findings, and the
link shown by `action show`, the owner's page and the committee pack (SQLite and PostgreSQL).
"""

from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from sqlmodel import col, select

from models.rules.vocabulary import EventKind
from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.tables import Action, Event, Recommendation
from tests.flows.test_cli_register import snapshot
from tests.flows.test_peel import PEEL

LATER = """
id: peel-wiltshire-2023-25
title: "PEEL 2023-25: An inspection of Wiltshire Police"
published_on: 2024-03-01
about: wiltshire-police
recommendations:
  - {number: "1", kind: area_for_improvement, addressee: Wiltshire Police, text: Answer 999 calls faster.}
"""
FIRST = "peel-wiltshire-2021-22/area_for_improvement/1"
NEXT = "peel-wiltshire-2023-25/area_for_improvement/1"


def _action(report_id: str, number: str) -> int:
    with session_scope() as session:
        found = session.exec(
            select(Action.id)
            .join(Recommendation, col(Recommendation.id) == col(Action.recommendation_id))
            .where(Action.report_id == report_id, Recommendation.number == number)
        ).one()
    assert found is not None
    return found


def test_a_finding_recurs_in_the_next_inspection(registered, cli_in_process, tmp_path: Path):
    cli = cli_in_process
    (tmp_path / "later.yaml").write_text(LATER)
    assert cli("report", "import", str(PEEL)).code == 0
    assert cli("report", "import", str(tmp_path / "later.yaml")).code == 0
    with session_scope() as session:
        fan_out(session, report_id="peel-wiltshire-2021-22")
        fan_out(session, report_id="peel-wiltshire-2023-25")

    before = snapshot()
    for args, line in [
        ([FIRST, "recurs_in", "peel-wiltshire-2021-22/area_for_improvement/2"], "both findings are in"),
        ([FIRST, "recurs_in", "peel-wiltshire-2023-25/area_for_improvement/9"], "has no area for improvement 9"),
        ([FIRST, "recurs_in", "nowhere/1"], "to: nowhere/1: no report 'nowhere'"),
        ([FIRST, "replaces", NEXT], "relation: 'replaces' is not a link between findings"),
        ([FIRST, "recurs_in", "peel-wiltshire-2023-25/concern/1"], "'concern' is not a kind of finding"),
    ]:
        refused = cli("report", "link", *args)
        assert refused.code == 1, refused.stdout
        assert line in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert snapshot() == before

    made = cli("report", "link", FIRST, "recurs in", NEXT, "--by", "liaison@wiltshire-police.example")
    assert made.code == 0, made.stderr
    assert made.stdout.strip() == f"{FIRST} recurs in {NEXT}"
    again = cli("report", "link", FIRST, "recurs_in", NEXT)
    assert "already linked" in again.stderr

    old, new = _action("peel-wiltshire-2021-22", "1"), _action("peel-wiltshire-2023-25", "1")
    with session_scope() as session:
        events = {
            e.action_id: e.to_value
            for e in session.exec(
                select(Event).where(Event.kind == EventKind.LINK, col(Event.action_id).in_([old, new]))
            )
        }
    assert events == {
        old: "Recurs in PEEL 2023-25: An inspection of Wiltshire Police, area for improvement 1",
        new: "Recurrence of PEEL 2021/22: An inspection of Wiltshire Police, area for improvement 1",
    }
    shown = cli("action", "show", str(new))
    assert (
        "linked: Recurrence of PEEL 2021/22: An inspection of Wiltshire Police, area for improvement 1" in shown.stdout
    )

    from fastapi.testclient import TestClient

    from tests.web.conftest import link
    from web.app import create_app

    page = TestClient(create_app()).get(link(old)).text
    assert "<dt>Linked findings</dt><dd>Recurs in PEEL 2023-25: An inspection of Wiltshire Police" in page

    packed = cli("pack", "--agency", "wiltshire-police", "--since", "2024-01-01", "--today", "2024-03-04",
                 "--out", str(tmp_path))  # fmt: skip
    assert packed.code == 0, packed.stderr
    document = Document(str(tmp_path / "pack-wiltshire-police-2024-03-04.docx"))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert [
        "PEEL 2021/22: An inspection of Wiltshire Police, area for improvement 1",
        "Recurs in PEEL 2023-25: An inspection of Wiltshire Police, area for improvement 1",
    ] in rows
    sheet = load_workbook(tmp_path / "pack-wiltshire-police-2024-03-04.xlsx")["Linked findings"]
    assert [c.value for c in sheet[3]] == [
        "PEEL 2023-25: An inspection of Wiltshire Police, area for improvement 1",
        "Recurrence of PEEL 2021/22: An inspection of Wiltshire Police, area for improvement 1",
    ]
