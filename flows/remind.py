"""The reminder flow: decide the due (action, stage) pairs, compose one digest per recipient, send, report.

Thin: three tasks, one per batch (never per action), each opening its own session and taking dates only. The rules
are in ``models.rules.ladder`` and ``models.store.sweep``; the sending and its bookkeeping in ``notifications``. Database
hiccups ("database is locked", a dropped connection) are retried with back-off; a refused or unreachable SMTP server
is not retried here: its messages are marked failed with a retry time, and the next run sends them. The run ends
Failed when any message failed, with a table artifact of sent, failed, pending and skipped per stage.
"""

from datetime import UTC, date, datetime, time
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.client.schemas.objects import State
from prefect.states import Completed, Failed
from prefect.tasks import exponential_backoff
from sqlalchemy.exc import OperationalError

from models import clock
from notifications.reminders import (
    SweepResult,
    compose_step,
    decide_step,
    send_step,
    stage_counts,
)


def instant_for(today: date) -> datetime:
    """The clock for a run: now when ``today`` is today; 08:00 UTC on ``today`` when a run is made "as of" another
    day (a catch-up or the demo), so the log and the messages carry that day.
    """
    if today == datetime.now(UTC).date():
        return datetime.now(UTC)
    return datetime.combine(today, time(8), tzinfo=UTC)


def _database_hiccup(task: Any, task_run: Any, state: State[Any]) -> bool:
    """Retry only what a retry can cure: the database being busy or the connection dropping."""
    try:
        state.result()
    except OperationalError:
        return True
    except Exception:  # noqa: BLE001  # any other failure is not a database hiccup: no retry
        return False
    return False


RETRIES: dict[str, Any] = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_condition_fn": _database_hiccup,
}


@task(name="decide-reminders", **RETRIES)
def decide_due(today: date, now: datetime, report_id: str | None = None) -> int:
    return decide_step(today=today, now=now, report_id=report_id)


@task(name="compose-digests", **RETRIES)
def compose_messages(today: date, now: datetime) -> tuple[list[str], dict[str, int]]:
    return compose_step(today=today, now=now)


@task(name="send-messages", **RETRIES)
def send_messages(now: datetime) -> dict[str, Any]:
    report = send_step(now=now)
    return {
        "sent": [d.key for d in report.sent],
        "failed": [(d.key, d.error) for d in report.failed],
        "deferred": list(report.deferred),
    }


def remind_step(today: date, report_id: str | None = None) -> dict[str, Any]:
    """The sweep as tasks inside the calling flow (the remind flow, or the daily cycle): a summary with "lines"."""
    now = instant_for(today)
    decided = decide_due(today, now, report_id)
    keys, skipped = compose_messages(today, now)
    sent = send_messages(now)
    attempted = sent["sent"] + [k for k, _ in sent["failed"]] + sent["deferred"]
    stages = stage_counts(sorted(set(attempted) | set(keys)), skipped)
    from notifications.delivery import Dispatched, DispatchReport

    report = DispatchReport(
        sent=[Dispatched(0, k, "", "sent") for k in sent["sent"]],
        failed=[Dispatched(0, k, "", "failed", error=e) for k, e in sent["failed"]],
        deferred=sent["deferred"],
    )
    result = SweepResult(today, decided, keys, report, stages)
    rows = [{"stage": stage, **counts} for stage, counts in stages.items()]
    create_table_artifact(
        key="remind-summary",
        table=rows or [{"stage": "-", "sent": 0, "failed": 0, "pending": 0, "skipped": 0}],
        description=f"Reminders for {today.isoformat()}: (action, stage) rows per stage and outcome",
    )
    logger = get_run_logger()
    for line in result.lines():
        logger.info(line)
    return {
        "today": today.isoformat(),
        "decided": decided,
        "messages": len(keys),
        "sent": len(sent["sent"]),
        "failed": len(sent["failed"]),
        "deferred": len(sent["deferred"]),
        "stages": stages,
        "lines": result.lines(),
        "ok": result.ok,
    }


@flow(name="remind")
def remind(today: date | None = None, report_id: str | None = None) -> State[Any]:
    """Send the reminders, chasers, escalations and nudges due on ``today`` (default: today)."""
    summary = remind_step(today or clock.today(), report_id)
    if not summary["ok"]:
        return Failed(
            message=f"{summary['failed']} messages failed, {summary['deferred']} left for the next run",
            data=summary,
        )
    return Completed(data=summary)
