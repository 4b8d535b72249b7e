"""The submit flow: send each return that is due and may go, once per round; tell agencies what is missing.

Thin: deciding is ``models.store.returns.list_due`` (the pure rules in ``models.rules.returns``), logging and sending is the
delivery log (``notifications.delivery``). Tasks take ids and dates; one task per batch of agencies.
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from prefect import flow, get_run_logger, task

from flows.return_artifacts import publish
from models import clock
from models.rules.days import london_day
from models.rules.vocabulary import DeliveryStatus, ReturnDecision, ReturnKind, label_of
from models.store.db import session_scope
from models.store.returns import DueCheck, list_due
from notifications.delivery import DispatchReport, dispatch, unfinished, with_given_up
from notifications.documents.submission import (
    queue_comments_reminders,
    queue_missing_notices,
    queue_returns,
    record_sent,
    unsent_return_keys,
)
from notifications.s55 import queue_s55

BATCH = 30


def decide(today: date) -> list[DueCheck]:
    """Every return judged for today (both kinds): computed once per run and passed to the tasks that need it."""
    with session_scope() as session:
        return [*list_due(session, today=today), *list_due(session, today=today, kind=ReturnKind.COMMENTS)]


@task(retries=2, retry_delay_seconds=[1, 5])
def queue_batch(report_id: str, kind: str, agency_ids: list[str], today: date, now: datetime) -> dict[str, Any]:
    """Compile and log (decide) the returns of a batch of agencies: one delivery per return round."""
    with session_scope() as session:
        queued = queue_returns(session, report_id=report_id, agency_ids=agency_ids, today=today, now=now, kind=kind)
    publish(report_id, queued.artifacts, what="submitted")
    return {"keys": queued.keys, "lines": queued.lines}


@task(retries=2, retry_delay_seconds=[1, 5])
def queue_notices(checks: list[DueCheck], today: date, now: datetime) -> dict[str, Any]:
    """The "what is missing" notices (each working day from the due date) and the s.55 comments reminders."""
    with session_scope() as session:
        missing = queue_missing_notices(session, checks=checks, today=today, now=now)
        reminders = queue_comments_reminders(session, checks=checks, today=today, now=now)
        s55 = queue_s55(session, today=today, now=now)  # the chief officer asked first, the PCC contact reminded
    return {"keys": missing.keys + reminders.keys + s55.keys, "lines": missing.lines + reminders.lines + s55.lines}


@task
def send(keys: list[str], now: datetime) -> dict[str, Any]:
    """Send the logged messages (and any return logged earlier and not yet accepted), then record what went: a
    return is submitted only once the return address accepted it.
    """
    with session_scope() as session:
        keys = sorted({*keys, *unsent_return_keys(session)})
    report = dispatch(keys=keys, now=now) if keys else DispatchReport()
    with session_scope() as session:
        submitted = record_sent(session)
        left = with_given_up(unfinished(session, keys), report)
    lines = [f"{len(submitted)} returns submitted (accepted by the return address)"] if submitted else []
    for done in [*report.partly, *report.failed]:
        lines.append(f"{label_of(DeliveryStatus, done.status).lower()}: {done.key}: {done.error}")
    if report.deferred:
        lines.append(f"{len(report.deferred)} messages wait for the mail server (they go on the next run)")
    if left:
        states = ", ".join(f"{n} {state}" for state, n in left.items())
        lines.append(f"not finished: {states} (retried on the next run; refused for good: the liaison officer is told)")
    return {"submitted": submitted, "lines": lines, "unfinished": left}


def sendable(checks: list[DueCheck]) -> dict[tuple[str, str], list[str]]:
    """(report, kind) -> the agencies whose returns go today."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in checks:
        if c.decision is ReturnDecision.SEND:
            groups[(c.report_id, c.kind.value)].append(c.agency_id)
    return groups


def summary_lines(checks: list[DueCheck]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for c in checks:
        counts[c.decision.value] += 1
    order = ("send", "sending", "not_delivered", "missing", "held", "no_liaison", "not_due", "sent")
    parts = [f"{counts[d]} {d.replace('_', ' ')}" for d in order if counts.get(d)]
    return [f"returns: {', '.join(parts) or 'none'}"]


@flow(name="submit-returns", flow_run_name="submit-returns {today}")
def submit_returns(today: date | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Send what is due on ``today`` (the as-of day). ``now`` is the delivery clock (claims and back-offs), the real
    one unless a test passes it; it is never derived from ``today``.
    """
    now = now or clock.now()
    today = today or london_day(now)
    checks = decide(today)
    keys: list[str] = []
    lines = summary_lines(checks)
    for (report_id, kind), agency_ids in sorted(sendable(checks).items()):
        for i in range(0, len(agency_ids), BATCH):
            result = queue_batch(report_id, kind, agency_ids[i : i + BATCH], today, now)
            keys += result["keys"]
            lines += result["lines"]
    notices = queue_notices(checks, today, now)
    keys += notices["keys"]
    lines += notices["lines"]
    sent = send(keys, now)
    lines += sent["lines"]
    get_run_logger().info("submit returns %s: %s", today, "; ".join(lines))
    return {
        "today": today.isoformat(),
        "submitted": sent["submitted"],
        "lines": lines,
        "unfinished": sent["unfinished"],
        "ok": not sent["unfinished"],
    }
