"""The daily cycle the schedule runs: fan out every report, send what the reminder ladder says, submit due returns.

One bad report never stops the others: a report whose fan-out fails, or whose settings cannot be read, is skipped with
its error in the summary, every other report's reminders and returns still go, and the run then ends Failed naming
it. When the run fails or crashes the administrators are told (``notifications.operators``); a run that has not
completed by mid-morning is caught by ``flows/check_cycle.py``. Each run is named for its day and leaves a markdown
summary artifact (counts and ids, no personal data).
"""

from datetime import date, datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.client.schemas.objects import State
from prefect.states import Completed, Failed
from sqlmodel import select

from flows.assign import fan_out_report
from flows.remind import not_finished, remind_step
from flows.submit_returns import submit_returns
from models import clock
from models.rules.days import london_day
from models.store.db import session_scope
from models.store.tables import Report
from notifications.operators import tell_administrators


@task(name="tell-moved-dates")
def tell_moved_dates(now: datetime) -> int:
    """The owners whose due dates moved and who were not yet told (``notifications.due_moved``): told now."""
    from notifications import due_moved

    with session_scope() as session:
        keys = due_moved.decide(session, now=now)
    due_moved.send(keys, now=now)
    return len(keys)


def report_ids() -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(Report.id).order_by(Report.id)))


def _tell(flow: Any, flow_run: Any, state: State[Any]) -> None:
    """on_failure / on_crashed: tell the administrators through the configured channel."""
    day = date.fromisoformat(str(flow_run.parameters.get("today") or london_day(clock.now())))
    problem = "crashed" if state.is_crashed() else "failed"
    tell_administrators(what="daily cycle", day=day, problem=problem, detail=state.message or "", now=clock.now())


def summary_markdown(result: dict[str, Any]) -> str:
    """The run's artifact: counts and ids only (report ids, delivery states); no names, no addresses."""
    lines = [f"# Daily cycle {result['today']}", "", "| report | actions created | existing |", "|---|---|---|"]
    lines += [f"| {s['report_id']} | {s['created']} | {s['existing']} |" for s in result["assigned"]]
    remind = result["remind"]
    lines += [
        "",
        "## Reminders",
        "",
        (
            f"{remind['decided']} (action, stage) pairs due; {remind['messages']} messages composed; "
            f"{remind['sent']} sent, {remind['partly']} partly sent, {remind['failed']} failed, "
            f"{remind['deferred']} left for the next run."
        ),
        "",
        "## Returns",
        "",
        f"Submitted (return ids): {', '.join(str(i) for i in result['submitted']) or 'none'}.",
    ]
    unfinished = {**remind["unfinished"]}
    for state, n in result["returns_unfinished"].items():
        unfinished[state] = unfinished.get(state, 0) + n
    lines += ["", "## Not finished", ""]
    lines += [f"- {state}: {n}" for state, n in unfinished.items()] or ["- nothing"]
    lines += ["", "## Reports skipped", ""]
    lines += [f"- {error}" for error in result["broken"]] or ["- none"]
    return "\n".join(lines) + "\n"


@flow(name="daily-cycle", flow_run_name="daily-cycle {today}", on_failure=[_tell], on_crashed=[_tell])
def daily_cycle(today: date | None = None, now: datetime | None = None) -> State[Any]:
    """Assign every registered report (idempotent), remind, then submit the returns that are due.

    ``today`` (the as-of day, default today in Europe/London) decides what is due, so a rerun of a day decides
    exactly what that day decided; ``now`` (the real clock unless a test passes it) runs claims and back-offs, so a
    rerun the same day after a crash or an outage sends what is left.
    """
    now = now or clock.now()
    today = today or london_day(now)
    logger = get_run_logger()
    assigned: list[dict[str, Any]] = []
    broken: list[str] = []
    for report_id in report_ids():
        try:
            assigned.append(fan_out_report(report_id))
        except Exception as exc:  # noqa: BLE001 - one report's failure is reported, never allowed to stop the others
            broken.append(f"report {report_id}: assign: {exc}")
    created = sum(s["created"] for s in assigned)
    logger.info("daily cycle %s: %s reports assigned, %s actions created", today, len(assigned), created)
    try:
        moved = tell_moved_dates(now)  # a moved date whose notice was never decided
    except Exception as exc:  # noqa: BLE001 - reported, never allowed to stop the reminders and returns
        moved = 0
        broken.append(f"moved due dates: {exc}")
    logger.info("daily cycle %s: %s owners told of a moved due date", today, moved)
    remind = remind_step(today, now=now)  # reminders, chasers, escalations and nudges due today
    broken += remind["broken"]
    returns = submit_returns(today, now)  # after the reminders: submit due returns
    result: dict[str, Any] = {
        "today": today.isoformat(),
        "assigned": assigned,
        "remind": remind,
        "submitted": returns["submitted"],
        "returns_unfinished": returns["unfinished"],
        "broken": broken,
        "lines": [*remind["lines"], *returns["lines"], *(f"skipped: {b}" for b in broken)],
    }
    create_markdown_artifact(
        key="daily-cycle-summary", markdown=summary_markdown(result), description=f"Daily cycle {today.isoformat()}"
    )
    problems = []
    if broken:
        problems.append(f"{len(broken)} reports skipped ({'; '.join(broken)})")
    if not remind["ok"]:
        problems.append(not_finished(remind))
    if not returns["ok"]:
        n = sum(returns["unfinished"].values())
        problems.append(f"{n} return messages not finished")
    if problems:
        return Failed(message="; ".join(problems), data=result)
    return Completed(data=result)


def run_cycle(today: date, now: datetime | None = None) -> dict[str, Any]:
    """Run the daily cycle once, from the command line: its summary, with ``ok`` and ``problem`` saying whether it
    finished (the run's state), whatever it ended as.
    """
    from flows.prefect_env import one_shot

    with one_shot():
        state = daily_cycle(today, now, return_state=True)
    data: Any = state.result(raise_on_failure=False)
    if not isinstance(data, dict):
        return {"today": today.isoformat(), "assigned": [], "lines": [], "ok": False, "problem": str(data)}
    return {**data, "ok": state.is_completed(), "problem": state.message or ""}
