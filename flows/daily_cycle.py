"""The daily cycle the schedule runs: fan out every report, send what the reminder ladder says, submit due returns."""

from datetime import date
from typing import Any

from prefect import flow, get_run_logger
from sqlmodel import select

from flows.assign import fan_out_report
from flows.remind import remind_step
from flows.submit_returns import submit_returns
from models import clock
from models.store.db import session_scope
from models.store.tables import Report


def report_ids() -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(Report.id).order_by(Report.id)))


@flow(name="daily-cycle")
def daily_cycle(today: date | None = None) -> dict[str, Any]:
    """Assign every registered report (idempotent), remind, then submit the returns that are due.

    ``today`` fixes the clock for every step, so a rerun of a day decides exactly what that day decided.
    """
    today = today or clock.today()
    logger = get_run_logger()
    assigned = [fan_out_report(report_id) for report_id in report_ids()]
    created = sum(s["created"] for s in assigned)
    logger.info("daily cycle %s: %s reports assigned, %s actions created", today, len(assigned), created)
    lines: list[str] = []
    lines += remind_step(today)["lines"]  # reminders, chasers, escalations and nudges due today
    lines += submit_returns(today)["lines"]  # after the reminders: submit due returns
    return {"today": today.isoformat(), "assigned": assigned, "lines": lines}
