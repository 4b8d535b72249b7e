"""``actioned report extract`` through the real entry point."""

import json
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import col, select

from models.store.db import session_scope
from models.store.tables import Action, Recommendation, ReturnComments
from tests.extraction.conftest import DOCUMENTS
from tests.extraction.test_seed import SEED, SHIPPED


def test_extract_prints_a_definition_that_report_import_takes(cli: Any, registered: Any, tmp_path: Path) -> None:
    out = tmp_path / "tested-together.yaml"
    result = cli("report", "extract", str(DOCUMENTS / "report.txt"), "--out", str(out))
    assert result.code == 0, result.stderr
    definition = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert definition["id"] == "tested-together"
    assert [r["number"] for r in definition["recommendations"]][:3] == ["1", "2", "3"]
    assert "warning: report.txt line 20: not part of any recommendation" in result.stderr
    # the unresolved addressee of the action is left for a person to settle; the rest imports as it stands
    definition["recommendations"] = [r for r in definition["recommendations"] if "groups" in r]
    out.write_text(yaml.safe_dump(definition, sort_keys=False, allow_unicode=True), encoding="utf-8")
    imported = cli("report", "import", str(out))
    assert imported.code == 0, imported.stderr


def test_extract_seed_as_json_with_the_publication_date(cli: Any, home: Any) -> None:
    result = cli("report", "extract", str(SEED), "--json", "--published-on", "2020-12-17")
    assert result.code == 0, result.stderr
    definition = json.loads(result.stdout)
    expected = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert [r["text"] for r in definition["recommendations"]] == [r["text"] for r in expected["recommendations"]]
    assert definition["recommendations"][-1]["due_on"] == "2021-06-17"
    assert definition["return_address"] == "policesupercomplaint@hmicfrs.gov.uk"


def test_yaml_output_keeps_multi_line_texts_literal(cli: Any, home: Any) -> None:
    result = cli("report", "extract", str(SEED))
    assert result.code == 0, result.stderr
    assert "  text: |-\n    As an interim measure" in result.stdout
    assert "warning: no publication date found" in result.stderr


def test_bad_inputs_exit_1_with_one_line(cli: Any, home: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    pdf_named_txt = tmp_path / "scan.txt"
    pdf_named_txt.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear colleague,\n\nThank you.\n")
    for path, message in [
        (empty, "empty.txt: the file is empty"),
        (pdf_named_txt, "scan.txt: this is a PDF, not text"),
        (letter, "letter.txt: no recommendations found"),
        (tmp_path / "missing.txt", "missing.txt: no such file"),
    ]:
        result = cli("report", "extract", str(path))
        assert result.code == 1
        assert message in result.stderr
        assert result.stdout == ""


def test_responses_are_loaded_into_the_agencys_actions(cli: Any, assigned: Any) -> None:
    result = cli(
        "report", "extract", str(SEED), "--responses", "--agency", "wiltshire-police", "--by", "lead@example.org"
    )
    assert result.code == 0, result.stderr
    assert "recorded 4 responses of wiltshire-police to safe-to-share" in result.stdout
    assert "liaison officer: Michelle Francis, HMICFRS Liaison Officer, Wiltshire Police" in result.stdout
    with session_scope() as session:
        rows = session.exec(
            select(Recommendation.number, Action.response)
            .join(Action, col(Action.recommendation_id) == col(Recommendation.id))
            .where(Action.agency_id == "wiltshire-police", Action.report_id == "safe-to-share")
        ).all()
        responses = dict(rows)
        comments = session.get(ReturnComments, ("safe-to-share", "wiltshire-police"))
        assert comments is not None
        assert (comments.chief_officer or "").startswith("The Chief Constable of Wiltshire")
        assert (comments.pcc or "").startswith("PCC's comments may be returned separately")
    assert responses["8"] == "The force notes this recommendation and provides this response in support."
    assert (responses["1"] or "").startswith("Wiltshire Police notes the recommendation")


def test_responses_for_an_agency_without_actions_write_nothing(cli: Any, assigned: Any) -> None:
    result = cli("report", "extract", str(SEED), "--responses", "--agency", "home-office")
    assert result.code == 1
    assert "home-office has no action for recommendation 1 of safe-to-share" in result.stderr
    with session_scope() as session:
        assert session.get(ReturnComments, ("safe-to-share", "home-office")) is None


def test_responses_need_an_agency(cli: Any, home: Any) -> None:
    result = cli("report", "extract", str(SEED), "--responses")
    assert result.code == 1
    assert "--responses needs --agency" in result.stderr
