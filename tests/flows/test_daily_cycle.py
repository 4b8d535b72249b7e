"""The daily cycle as the schedule runs it, on Prefect's test harness: one bad report never stops the others, the run
ends Failed naming it, the administrators are told, and the run is named for its day with a summary artifact that
carries counts and ids, no personal data. The mid-morning check tells them when no cycle completed.
"""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterName
from sqlmodel import select

from flows.check_cycle import check_daily_cycle
from flows.daily_cycle import daily_cycle
from models.definitions import ReportDefinition
from models.settings import Settings
from models.store.actions import list_actions
from models.store.db import session_scope
from models.store.due_dates import decide_change, request_change
from models.store.fanout import fan_out
from models.store.reports import import_report
from models.store.tables import Report
from tests.conftest import SmtpSink
from tests.returns.test_submit import COMMENTS_REPORT

DAY = date(2021, 6, 24)  # "Safe to share?": 7 days overdue, every owner has an escalation due
ADMIN = "admin@example.org"


@pytest.fixture
def with_a_broken_report(registered: Settings) -> Settings:
    """Safe to share? fanned out, and a second report whose stored ladder setting cannot be read."""
    with session_scope() as session:
        fan_out(session, report_id="safe-to-share", now=datetime(2020, 12, 18, 9, tzinfo=UTC))
        import_report(
            session, definition=ReportDefinition.model_validate({**COMMENTS_REPORT, "id": "broken"}), source="test"
        )
        fan_out(session, report_id="broken")
        report = session.exec(select(Report).where(Report.id == "broken")).one()
        report.settings = {"ladder": {"chase_every_days": "weekly"}}
        session.add(report)
    return registered


def test_one_bad_report_is_skipped_the_others_go_and_the_administrators_are_told(
    prefect_harness: None, with_a_broken_report: Settings, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIONED_ADMIN_NOTIFY", ADMIN)
    state = daily_cycle(DAY, return_state=True)
    assert state.is_failed()
    assert "report 'broken'" in (state.message or "")
    assert "chase_every_days" in (state.message or "")
    result: Any = state.result(raise_on_failure=False)
    assert result["remind"]["sent"] > 0  # safe-to-share's escalations still went
    escalations = [m for m in smtp.messages if m["To"] != ADMIN]
    assert escalations
    (told,) = [m for m in smtp.messages if m["To"] == ADMIN]
    assert told["Subject"] == f"Actioned: daily cycle {DAY.isoformat()} failed"
    assert "broken" in told.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[f"daily-cycle {DAY.isoformat()}"]))
        )
        (artifact, *_) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["daily-cycle-summary"]))
        )
    assert runs
    markdown = str(artifact.data)
    assert f"# Daily cycle {DAY.isoformat()}" in markdown
    assert "safe-to-share" in markdown
    assert "@" not in markdown  # counts and ids: no addresses, no names

    # Mid-morning: no cycle for the day completed, so the administrators are told (once), not on a weekend.
    assert check_daily_cycle(DAY) is False
    assert check_daily_cycle(DAY) is False
    late = [m for m in smtp.messages if m["To"] == ADMIN and "mid-morning" in str(m["Subject"])]
    assert len(late) == 1
    assert check_daily_cycle(date(2021, 6, 26)) is True  # a Saturday


def test_the_daily_cycle_tells_an_owner_of_a_moved_date_nobody_told_them_of_once(
    prefect_harness: None, registered: Settings, smtp: SmtpSink
) -> None:
    """A change approved through the library (no notice decided with it): the next cycle decides and sends it; the
    cycle after that sends nothing new for the same (action, date).
    """
    with session_scope() as session:
        fan_out(session, report_id="safe-to-share", now=datetime(2020, 12, 18, 9, tzinfo=UTC))
        action = next(
            r.action for r in list_actions(session, report_id="safe-to-share", agency_id="wiltshire-police")
            if r.number == "4"
        )  # fmt: skip
        assert action.id is not None
        request_change(session, action_id=action.id, to_on=date(2021, 9, 30), reason="New IT system", by="sam")
        decide_change(session, action_id=action.id, approve=True, by="priya.shah@wiltshire-police.example")
    daily_cycle(DAY, return_state=True)
    moved = [m for m in smtp.messages if "now due 30 September 2021" in str(m["Subject"])]
    assert [m["To"] for m in moved] == ["sam.carter@wiltshire-police.example"]
    daily_cycle(DAY, return_state=True)
    assert len([m for m in smtp.messages if "now due 30 September 2021" in str(m["Subject"])]) == 1
