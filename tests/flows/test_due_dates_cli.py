"""Due dates under control, through the command line: asked with a reason, approved by the portfolio lead, limited
by the report, kept visible as the original date, followed by the ladder, and moved by a re-issued report.
"""

from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import select

from flows.cli.register import REPORTS_DIR
from models.rules.vocabulary import EventKind
from models.store.db import session_scope
from models.store.sweep import decide_reminders
from models.store.tables import Action, Delivery, DueDateChange, Event, Recommendation
from tests.flows.test_cli_register import snapshot

LEAD = "priya.shah@wiltshire-police.example"  # the example portfolio lead of Wiltshire Police
OWNER = "sam.carter@wiltshire-police.example"


def _wiltshire(number: str) -> int:
    with session_scope() as session:
        action_id = session.exec(
            select(Action.id)
            .join(Recommendation, Recommendation.id == Action.recommendation_id)  # type: ignore[arg-type]
            .where(Action.agency_id == "wiltshire-police", Recommendation.number == number)
        ).one()
    assert action_id is not None
    return action_id


def test_a_due_date_change_is_asked_approved_and_limited(assigned, cli_in_process):
    cli = cli_in_process
    action_id = _wiltshire("5")
    before = snapshot()
    for args, line in [
        (["--to", "2021-09-30"], f"action {action_id}: reason: give the reason for moving the due date"),
        (["--to", "2021-09-31", "--reason", "x"], "--to: '2021-09-31' is not a date"),
        (["--to", "2021-06-17", "--reason", "x"], "already due on 2021-06-17"),
    ]:
        refused = cli("action", "due", str(action_id), *args, "--by", OWNER)
        assert refused.code == 1
        assert line in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    assert snapshot() == before

    asked = cli(
        "action", "due", str(action_id), "--to", "2021-09-30", "--reason", "New IT system in August", "--by", OWNER
    )
    assert asked.code == 0, asked.stderr
    assert "2021-06-17 -> 2021-09-30 asked; waiting for approval" in asked.stdout
    again = cli("action", "due", str(action_id), "--to", "2021-10-30", "--reason", "later", "--by", OWNER)
    assert "already waiting for approval" in again.stderr
    not_lead = cli("action", "due-approve", str(action_id), "--by", OWNER)
    assert not_lead.code == 1
    assert "approved by the agency's portfolio lead or liaison officer" in not_lead.stderr

    approved = cli("action", "due-approve", str(action_id), "--by", LEAD)
    assert approved.code == 0, approved.stderr
    assert "now due 2021-09-30 (was 2021-06-17)" in approved.stdout
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert (action.due_on, action.original_due_on, action.due_changes) == (
            date(2021, 9, 30),
            date(2021, 6, 17),
            1,
        )
        change = session.exec(select(DueDateChange).where(DueDateChange.action_id == action_id)).one()
        assert (change.from_on, change.to_on, change.reason, change.requested_by, change.decided_by) == (
            date(2021, 6, 17),
            date(2021, 9, 30),
            "New IT system in August",
            OWNER,
            LEAD,
        )
        moved = session.exec(select(Event).where(Event.action_id == action_id, Event.kind == EventKind.DUE_ON)).one()
        assert (moved.from_value, moved.to_value, moved.note) == ("2021-06-17", "2021-09-30", "New IT system in August")
    shown = cli("action", "show", str(action_id))
    assert "due: 2021-09-30 (originally 2021-06-17)" in shown.stdout

    before = snapshot()
    second = cli("action", "due", str(action_id), "--to", "2021-12-31", "--reason", "Still waiting", "--by", OWNER)
    assert second.code == 1
    assert "may move only once and this one has moved 1 time(s)" in second.stderr
    assert snapshot() == before


def test_the_ladder_follows_a_moved_date(assigned, cli_in_process):
    cli = cli_in_process
    action_id = _wiltshire("5")
    now = datetime(2021, 5, 20, 8, tzinfo=UTC)
    with session_scope() as session:
        decide_reminders(session, today=date(2021, 5, 20), now=now)  # 28 days before 17 June
        keys = set(session.exec(select(Delivery.key).where(Delivery.action_id == action_id)))
    assert keys == {f"reminder:{action_id}:1:before-28"}
    cli("action", "due", str(action_id), "--to", "2021-06-30", "--reason", "Board meets on 29 June", "--by", OWNER)
    assert cli("action", "due-approve", str(action_id), "--by", LEAD).code == 0
    with session_scope() as session:
        decide_reminders(session, today=date(2021, 6, 2), now=now)  # 28 days before 30 June
        keys = set(session.exec(select(Delivery.key).where(Delivery.action_id == action_id)))
    assert keys == {
        f"reminder:{action_id}:1:before-28",
        f"due-moved:{action_id}:2021-06-30",  # the owner told of the new date when it was approved
        f"reminder:{action_id}:1.1:before-28",
    }


def test_a_reissued_report_moves_the_dates_that_came_from_it(assigned, cli_in_process, tmp_path: Path):
    cli = cli_in_process
    changed, kept = _wiltshire("5"), _wiltshire("4")
    cli("action", "due", str(changed), "--to", "2021-09-30", "--reason", "Agreed with HMICFRS", "--by", OWNER)
    assert cli("action", "due-approve", str(changed), "--by", LEAD).code == 0
    definition = (REPORTS_DIR / "safe-to-share.yaml").read_text().replace("return_months: 6", "return_months: 7")
    (tmp_path / "reissued.yaml").write_text(definition)
    result = cli("report", "import", str(tmp_path / "reissued.yaml"))
    assert result.code == 0, result.stderr
    with session_scope() as session:
        by_id = {a.id: a for a in session.exec(select(Action).where(Action.agency_id == "wiltshire-police"))}
        assert by_id[kept].due_on == date(2021, 7, 17)  # the report's date moved it
        assert by_id[changed].due_on == date(2021, 9, 30)  # the approved date stays
        assert by_id[_wiltshire("1")].due_on == date(2020, 12, 17)  # "immediately": by publication day
        moved = session.exec(select(Event).where(Event.action_id == kept, Event.kind == EventKind.DUE_ON)).one()
        assert (moved.from_value, moved.to_value) == ("2021-06-17", "2021-07-17")
