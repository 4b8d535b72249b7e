"""The remind flow in a real Prefect run: its table artifact, and a Failed state when messages could not go."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from flows.remind import remind
from models.settings import Settings
from models.store.db import session_scope
from models.store.fanout import fan_out
from tests.conftest import SmtpSink


def test_the_flow_fails_while_smtp_is_down_and_completes_with_an_artifact_once_it_is_back(
    prefect_harness: None, registered: Settings, smtp: SmtpSink
) -> None:
    with session_scope() as session:
        fan_out(session, report_id="safe-to-share", now=datetime(2020, 12, 18, 9, tzinfo=UTC))
    smtp.stop()
    down = remind(date(2021, 6, 24), return_state=True)
    assert down.is_failed()
    assert "not finished" in (down.message or "")
    smtp.start()
    # the failed messages' back-off runs on the real clock: the next day's run, once it has passed, sends them too
    up = remind(date(2021, 6, 25), now=datetime.now(UTC) + timedelta(minutes=10), return_state=True)
    assert up.is_completed()
    summary: Any = up.result()
    assert summary["ok"]
    assert summary["sent"] == len(smtp.messages) > 0
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["remind-summary"])), limit=5
        )
    assert artifacts
    tables = [a.data for a in artifacts]
    assert any("overdue-7" in str(t) and "sent" in str(t) for t in tables)
