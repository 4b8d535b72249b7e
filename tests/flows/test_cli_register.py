"""The command line through its real entry point: the register, reports, agencies, actions, and bad input."""

import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from models.store.db import current_engine

REPORT = """\
id: test-report
title: A test inspection
published_on: 2021-08-31
return_address: returns@inspectorate.example
return_months: 6
recommendations:
  - number: "1"
    addressee: To chief constables
    text: Do the first thing.
  - number: "2"
    addressee: To the Home Office
    text: Do the second thing.
    due_on: 2021-12-01
"""


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: "the database exactly as it was" made checkable."""
    engine = current_engine()
    with engine.connect() as conn:
        tables = sorted(t for t in inspect(conn).get_table_names() if t != "alembic_version")
        return {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"')).all()), key=repr) for t in tables}


@pytest.fixture
def initialised(cli_in_process):
    result = cli_in_process("init", "--examples")
    assert result.code == 0, result.stderr
    return cli_in_process


@pytest.fixture
def fanned_out(initialised):
    """As ``initialised``, with the shipped report fanned out in-process (the flow itself is tested once, below)."""
    from models.store.db import session_scope
    from models.store.fanout import fan_out

    with session_scope() as session:
        fan_out(session, report_id="safe-to-share")
    return initialised


def test_init_loads_the_register_and_the_examples(cli):
    assert cli("init", "--examples").code == 0
    result = cli("report", "list", "--json")
    assert result.code == 0
    (report,) = json.loads(result.stdout)
    assert report["id"] == "safe-to-share"
    assert report["return_due_on"] == "2021-06-17"
    assert report["recommendations"] == 4


def test_assign_runs_the_flow(initialised, cli):
    first = cli("assign", "safe-to-share")
    assert first.code == 0, first.stderr
    assert "270 actions created" in first.stdout
    assert "1: 46, 4: 46, 5: 89, 8: 89" in first.stdout
    again = initialised("assign", "no-such-report")  # checked before any flow starts
    assert again.code == 1


def test_reimporting_a_report_with_an_extra_recommendation_creates_only_its_actions(initialised, tmp_path):
    path = tmp_path / "report.yaml"
    path.write_text(REPORT)
    assert initialised("report", "import", str(path)).code == 0
    from models.store.db import session_scope
    from models.store.fanout import fan_out

    with session_scope() as session:
        assert fan_out(session, report_id="test-report").created == 47  # 46 chief constables + the Home Office
    path.write_text(REPORT + '  - number: "3"\n    addressee: To the NPCC\n    text: A third thing.\n')
    result = initialised("report", "import", str(path))
    assert "added: 3; updated: 1, 2" in result.stdout
    with session_scope() as session:
        summary = fan_out(session, report_id="test-report")
    assert (summary.created, summary.existing) == (1, 47)


def test_actions_are_listed_updated_and_assigned_with_events(fanned_out):
    initialised = fanned_out
    listed = json.loads(initialised("actions", "list", "--agency", "dorset-police", "--json").stdout)
    assert [a["recommendation"] for a in listed] == ["1", "4", "5", "8"]
    assert {a["status"] for a in listed} == {"awaiting_allocation"}  # Dorset has no owner contact
    action_id = str(listed[0]["id"])
    assigned = initialised(
        "action", "assign", action_id, "--owner", "new.owner@dorset-police.example", "--by", "lo@dorset-police.example"
    )
    assert assigned.code == 0, assigned.stderr
    updated = initialised(
        "action",
        "update",
        action_id,
        "--status",
        "in_progress",
        "--response",
        "Policy drafted & <approved>.",
        "--by",
        "new.owner@dorset-police.example",
    )
    assert updated.code == 0, updated.stderr
    shown = json.loads(initialised("action", "show", action_id, "--json").stdout)
    assert shown["status"] == "in_progress"
    assert shown["response"] == "Policy drafted & <approved>."
    kinds = [(e["kind"], e["from"], e["to"]) for e in shown["events"]]
    assert kinds == [
        ("created", None, "awaiting_allocation"),
        ("owner", None, "new.owner@dorset-police.example"),
        ("status", "awaiting_allocation", "open"),
        ("response", None, "Policy drafted & <approved>."),
        ("status", "open", "in_progress"),
    ]
    overdue = json.loads(initialised("actions", "list", "--overdue", "--today", "2021-06-18", "--json").stdout)
    assert len(overdue) == 270


def test_status_prints_a_rag_summary_per_report_and_agency(fanned_out):
    result = fanned_out("status", "--today", "2021-06-18")
    assert result.code == 0
    assert "Wiltshire Police" in result.stdout
    assert "89 agencies, 270 actions: 270 red, 0 amber, 0 green" in result.stdout


def test_run_is_the_daily_cycle(initialised, cli):
    result = cli("run", "--today", "2021-01-04")
    assert result.code == 0, result.stderr
    assert "assign safe-to-share: 270 actions created" in result.stdout


def bad(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.yaml", "id: x\ntitle: [unclosed\n", "r.yaml line 3: malformed YAML"),
        ("r.yaml", REPORT.replace("title: A test inspection\n", ""), "r.yaml line 1: title: Field required"),
        ("r.yaml", REPORT.replace('number: "2"', 'number: "1"'), "recommendation 1 appears twice"),
        (
            "r.yaml",
            REPORT.replace("2021-08-31", "2021-02-30"),
            "r.yaml line 3: published_on: Input should be a valid date",
        ),
        (
            "r.yaml",
            REPORT.replace("due_on: 2021-12-01", "due_on: 2021-13-01"),
            "r.yaml line 13: recommendations[1].due_on",
        ),
        (
            "r.yaml",
            REPORT.replace("To the Home Office", "To the Home Ofice"),
            "'home ofice' names no known group or agency",
        ),
        (
            "r.yaml",
            REPORT.replace("id: test-report", "id: Test Report"),
            "r.yaml line 1: id: String should match pattern",
        ),
        ("r.yaml", REPORT + "surprise: 1\n", "surprise: Extra inputs are not permitted"),
        ("r.yaml", "- just\n- a list\n", "expected a mapping"),
        ("r.json", "{}", None),
    ],
)
def test_a_bad_report_file_is_one_clear_line_and_changes_nothing(initialised, tmp_path, name, content, message):
    before = snapshot()
    result = initialised("report", "import", str(bad(tmp_path, name, content)))
    assert result.code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    if message:
        assert message in result.stderr
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("c.csv", "agency,role,name\n", "c.csv line 1: missing column(s) email"),
        (
            "c.csv",
            "agency,role,name,email\nnowhere-police,owner,A,a@x.example\n",
            "agency 'nowhere-police' is not registered",
        ),
        ("c.csv", "agency,role,name,email\nwiltshire-police,boss,A,a@x.example\n", "c.csv line 2: role:"),
        (
            "c.csv",
            "agency,role,name,email\nwiltshire-police,owner,A,not-an-address\n",
            "c.csv line 2: email: 'not-an-address' is not an email address",
        ),
        (
            "c.csv",
            "agency,role,name,email\nwiltshire-police,owner,A,a@x.example,extra\n",
            "c.csv line 2: more cells than columns",
        ),
        (
            "a.yaml",
            "agencies:\n  - id: new-body\n    name: New Body\n    kind: national_body\n    groups: [nope]\n",
            "unknown group 'nope'",
        ),
        ("a.yaml", "agencies:\n  - id: new-body\n    name: New Body\n", "a new agency needs both a name and a kind"),
        ("a.txt", "hello", "expected a .csv, .yaml or .yml file"),
    ],
)
def test_a_bad_agencies_file_is_one_clear_line_and_changes_nothing(initialised, tmp_path, name, content, message):
    before = snapshot()
    result = initialised("agencies", "import", str(bad(tmp_path, name, content)))
    assert result.code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert snapshot() == before


def test_agencies_import_adds_contacts_from_csv_and_never_duplicates(initialised, tmp_path):
    path = bad(
        tmp_path,
        "c.csv",
        "agency,role,name,email,title\ndorset-police,owner,Kim Lee,kim.lee@dorset-police.example,DI\n",
    )
    assert "contacts added 1, updated 0" in initialised("agencies", "import", str(path)).stdout
    assert "contacts added 0, updated 1" in initialised("agencies", "import", str(path)).stdout
    from models.store.db import session_scope
    from models.store.fanout import fan_out

    with session_scope() as session:
        fan_out(session, report_id="safe-to-share")
    listed = json.loads(initialised("actions", "list", "--agency", "dorset-police", "--json").stdout)
    assert {a["owner"] for a in listed} == {"kim.lee@dorset-police.example"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["action", "update", "1", "--status", "complete", "--by", "x@y.example"], "response: enter the response"),
        (["action", "update", "1", "--status", "complete", "--response", "Done.", "--by", "x@y.example"], None),
        (["action", "update", "1", "--status", "done"], "status: 'done' is not a status"),
        (["action", "update", "1", "--status", "not_accepted"], "note: a reason is required"),
        (["action", "update", "999999", "--status", "in_progress"], "action 999999 does not exist"),
        (["action", "update", "1", "--response", "x", "--version", "7"], "changed by someone else"),
        (["action", "assign", "1", "--owner", "nobody"], "owner: 'nobody' is not an email address"),
        (["actions", "list", "--today", "2021-02-30"], "--today: '2021-02-30' is not a date"),
        (["assign", "no-such-report"], "report 'no-such-report' is not registered (known: safe-to-share)"),
        (["action", "update", "1", "--bogus"], "No such option: --bogus"),
    ],
)
def test_bad_commands_are_one_clear_line_and_change_nothing(fanned_out, args, message):
    initialised = fanned_out
    if message is None:  # a valid move first, so the next ones start from pending sign-off
        assert initialised(*args).code == 0
        return
    before = snapshot()
    result = initialised(*args)
    assert result.code == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert snapshot() == before


def test_marking_complete_from_the_command_line_asks_the_signer_as_the_page_does(fanned_out, smtp):
    listed = json.loads(fanned_out("actions", "list", "--agency", "wiltshire-police", "--json").stdout)
    action_id = str(listed[0]["id"])
    result = fanned_out(
        "action", "update", action_id, "--status", "complete", "--response", "Procedure changed.",
        "--by", "sam.carter@wiltshire-police.example",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert "pending_signoff" in result.stdout
    assert "sign-off requested from priya.shah@wiltshire-police.example" in result.stdout
    (message,) = smtp.messages
    assert message["To"] == "priya.shah@wiltshire-police.example"
    assert "/s/" in message.get_body(("plain",)).get_content()
