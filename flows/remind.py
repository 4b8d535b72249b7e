"""The reminder flow: decide the due (action, stage) pairs, compose one digest per recipient, send, report.

Thin: three tasks, one per batch (never per action), each opening its own session and taking dates only. The rules
are in ``models.rules.ladder`` and ``models.store.sweep``; the sending and its bookkeeping in ``notifications``. Database
hiccups ("database is locked", a dropped connection) are retried with back-off; a refused or unreachable SMTP server
is not retried here: its messages are marked failed with a retry time, and the next run sends them. The run ends
Failed when any message failed, with a table artifact of sent, failed, pending and skipped per stage.
"""

from datetime import date, datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.client.schemas.objects import State
from prefect.states import Completed, Failed
from prefect.tasks import exponential_backoff
from sqlalchemy.exc import OperationalError

from models import clock
from models.rules.days import london_day
from notifications.delivery import DispatchReport
from notifications.reminders import OUTCOMES, SweepSteps, compose_step, decide_step, send_step, sweep


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
def decide_due(today: date, now: datetime, report_id: str | None = None) -> tuple[int, list[str]]:
    return decide_step(today=today, now=now, report_id=report_id)


@task(name="compose-digests", **RETRIES)
def compose_messages(today: date, now: datetime) -> tuple[list[str], dict[str, int], list[str]]:
    return compose_step(today=today, now=now)


@task(name="send-messages", **RETRIES)
def send_messages(now: datetime) -> DispatchReport:
    return send_step(now=now)


TASKS = SweepSteps(decide=decide_due, compose=compose_messages, send=send_messages)


def remind_step(today: date, report_id: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The sweep (``notifications.reminders.sweep``, the one assembly) with this module's tasks as its steps, inside
    the calling flow (the remind flow, or the daily cycle). ``today`` decides what is due; ``now`` is the real clock
    (claims and back-offs), taken here when not given, never derived from ``today``.
    """
    result = sweep(today=today, now=now or clock.now(), report_id=report_id, steps=TASKS)
    rows = [{"stage": stage, **counts} for stage, counts in result.stages.items()]
    create_table_artifact(
        key="remind-summary",
        table=rows or [{"stage": "-", **dict.fromkeys(OUTCOMES, 0)}],
        description=f"Reminders for {today.isoformat()}: (action, stage) rows per stage and outcome",
    )
    logger = get_run_logger()
    for line in result.lines():
        logger.info(line)
    return {
        "today": today.isoformat(),
        "decided": result.decided,
        "messages": len(result.messages),
        "sent": len(result.report.sent),
        "partly": len(result.report.partly),
        "failed": len(result.report.failed),
        "deferred": len(result.report.deferred),
        "unfinished": result.unfinished,
        "stages": result.stages,
        "broken": result.broken,
        "lines": result.lines(),
        "ok": result.ok,
    }


def not_finished(summary: dict[str, Any]) -> str:
    """Why a run is not finished, in one line: how many messages in which state."""
    states = ", ".join(f"{n} {state}" for state, n in summary["unfinished"].items())
    line = f"{sum(summary['unfinished'].values())} reminder messages not finished ({states or 'none'})"
    if summary["broken"]:
        line += f"; reports skipped: {'; '.join(summary['broken'])}"
    return line


@flow(name="remind", flow_run_name="remind {today}")
def remind(today: date | None = None, report_id: str | None = None, now: datetime | None = None) -> State[Any]:
    """Send the reminders, chasers, escalations and nudges due on ``today`` (default: today in Europe/London)."""
    now = now or clock.now()
    summary = remind_step(today or london_day(now), report_id, now)
    if not summary["ok"]:
        return Failed(message=not_finished(summary), data=summary)
    return Completed(data=summary)
