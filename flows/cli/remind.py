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
        raise ActionedError(
            f"remind {day.isoformat()}: {summary['failed']} messages failed, {summary['deferred']} left for the "
            "next run (they are retried then; see the lines above)"
        )


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
    """The daily cycle as a deployment with its schedule, as prefect.yaml declares it (a test keeps the two alike)."""
    configure()
    from prefect.schedules import Cron

    from flows.daily_cycle import daily_cycle

    return daily_cycle.to_deployment(
        name="daily-cycle",
        schedule=Cron(SCHEDULE_CRON, timezone=SCHEDULE_TIMEZONE),
        description="Assign new reports, send due reminders, chasers and escalations, submit due returns.",
    )


@app.command("serve")
def serve_command() -> None:
    """Run the scheduled daily cycle on this machine (weekdays 08:00 Europe/London) until stopped."""
    from prefect import serve

    deployment = daily_deployment()
    echo(f"serving daily-cycle: cron {SCHEDULE_CRON!r} ({SCHEDULE_TIMEZONE}); stop with Ctrl-C")
    serve(deployment)
