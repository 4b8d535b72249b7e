"""``actioned remind`` (the reminder sweep) and ``actioned serve`` (the schedules, on this machine, no work pool)."""

from datetime import date
from typing import Annotated, Any

import typer

from flows.cli.app import app, database, echo, table, today_or
from flows.prefect_env import configure, one_shot
from models.rules.errors import ActionedError

SCHEDULE_CRON = "0 8 * * 1-5"
SCHEDULE_TIMEZONE = "Europe/London"


@app.command("remind")
def remind_command(
    today: Annotated[
        str | None, typer.Option("--today", help="The day to act as (YYYY-MM-DD); default: today.")
    ] = None,
    report: Annotated[str | None, typer.Option("--report", help="Only this report's actions.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would go; write and send nothing.")] = False,
) -> None:
    """Send the reminders, chasers, escalations and nudges due today (one message per recipient)."""
    day = today_or(today)
    if dry_run:
        _preview(day, report)
        return
    with database():
        pass  # the schema is current before the flow's tasks open their own sessions
    from flows.remind import remind

    with one_shot():
        state = remind(day, report, return_state=True)
    summary: Any = state.result(raise_on_failure=False)
    if not isinstance(summary, dict):
        raise ActionedError(f"remind {day.isoformat()}: the run failed: {state.message or summary}")
    for line in summary["lines"]:
        echo(line)
    if not summary["ok"]:
        from flows.remind import not_finished

        raise ActionedError(f"remind {day.isoformat()}: {not_finished(summary)}; the next run retries them")


def _preview(day: date, report: str | None) -> None:
    from models.store.db import migrate
    from notifications.reminders import preview

    migrate()
    messages = preview(today=day, report_id=report)
    echo(f"remind {day.isoformat()} (dry run: nothing written, nothing sent): {len(messages)} messages would go")
    if messages:
        rows = [(m.kind, m.to, ", ".join(m.cc) or "-", m.subject) for m in messages]
        echo(table(["kind", "to", "cc", "subject"], rows))


def daily_deployment() -> Any:
    """The daily cycle as a deployment with its schedule and concurrency limit, as prefect.yaml declares it (a test
    keeps the two alike).
    """
    configure()
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Cron

    from flows.daily_cycle import daily_cycle

    return daily_cycle.to_deployment(
        name="daily-cycle",
        schedule=Cron(SCHEDULE_CRON, timezone=SCHEDULE_TIMEZONE),
        description="Assign new reports, send due reminders, chasers and escalations, submit due returns.",
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
    )


def check_deployment() -> Any:
    """The mid-morning check that today's daily cycle completed (``flows/check_cycle.py``)."""
    configure()
    from prefect.schedules import Cron

    from flows.check_cycle import CHECK_CRON, check_daily_cycle

    return check_daily_cycle.to_deployment(
        name="check-daily-cycle",
        schedule=Cron(CHECK_CRON, timezone=SCHEDULE_TIMEZONE),
        description="At mid-morning on working days, tell the administrators if today's daily cycle has not completed.",
    )


@app.command("serve")
def serve_command() -> None:
    """Run the scheduled daily cycle (weekdays 08:00 Europe/London, one run at a time) and its 10:30 check, until stopped."""
    from prefect import serve

    echo(f"serving daily-cycle: cron {SCHEDULE_CRON!r} ({SCHEDULE_TIMEZONE}), one run at a time; stop with Ctrl-C")
    echo("serving check-daily-cycle: 10:30 on weekdays, tells ACTIONED_ADMIN_NOTIFY if the cycle has not completed")
    serve(daily_deployment(), check_deployment())
