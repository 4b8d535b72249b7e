"""The submit flow: send each return that is due and may go, exactly once; tell agencies what is missing.

Thin: deciding is ``models.store.returns.list_due`` (the pure rules in ``models.rules.returns``), logging and sending is the
delivery log (``notifications.delivery``). Tasks take ids and dates; one task per batch of agencies.
"""

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from prefect import flow, get_run_logger, task

from flows.return_artifacts import publish
from models import clock
from models.rules.vocabulary import ReturnDecision, ReturnKind
from models.store.db import session_scope
from models.store.returns import list_due
from notifications.delivery import dispatch
from notifications.documents.submission import (
    queue_comments_reminders,
    queue_missing_notices,
    queue_returns,
    record_sent,
    unsent_return_keys,
)

BATCH = 30


def decide(today: date) -> list[dict[str, Any]]:
    """Every return judged for today (both kinds), as plain data."""
    with session_scope() as session:
        checks = [*list_due(session, today=today), *list_due(session, today=today, kind=ReturnKind.COMMENTS)]
    return [
        {
            "report_id": c.report_id,
            "agency_id": c.agency_id,
            "kind": c.kind.value,
            "decision": c.decision.value,
            "due_on": c.due_on.isoformat() if c.due_on else None,
            "missing": list(c.missing),
        }
        for c in checks
    ]


@task(retries=2, retry_delay_seconds=[1, 5])
def queue_batch(report_id: str, kind: str, agency_ids: list[str], today: date) -> dict[str, Any]:
    """Compile and log (decide) the returns of a batch of agencies: one delivery per return round."""
    now = datetime.now(UTC)
    with session_scope() as session:
        queued = queue_returns(session, report_id=report_id, agency_ids=agency_ids, today=today, now=now, kind=kind)
    publish(report_id, queued.artifacts, what="submitted")
    return {"keys": queued.keys, "lines": queued.lines}


@task(retries=2, retry_delay_seconds=[1, 5])
def queue_notices(today: date) -> dict[str, Any]:
    """The "what is missing" notices (each working day from the due date) and the s.55 comments reminders."""
    now = datetime.now(UTC)
    with session_scope() as session:
        checks = [*list_due(session, today=today), *list_due(session, today=today, kind=ReturnKind.COMMENTS)]
        missing = queue_missing_notices(session, checks=checks, today=today, now=now)
        reminders = queue_comments_reminders(session, today=today, now=now)
    return {"keys": missing.keys + reminders.keys, "lines": missing.lines + reminders.lines}


@task
def send(keys: list[str], now: datetime | None = None) -> dict[str, Any]:
    """Send the logged messages (and any return logged earlier but not yet sent), then record what went."""
    with session_scope() as session:
        keys = sorted({*keys, *unsent_return_keys(session)})
    report = dispatch(keys=keys, now=now) if keys else None
    with session_scope() as session:
        submitted = record_sent(session)
    lines = [f"{len(submitted)} returns sent"] if submitted else []
    if report is not None:
        lines += [f"not sent: {f.key}: {f.error}" for f in report.failed]
        if report.deferred:
            lines.append(f"{len(report.deferred)} messages wait for the mail server (they go on the next run)")
    return {"submitted": submitted, "lines": lines}


def sendable(checks: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """(report, kind) -> the agencies whose returns go today."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in checks:
        if c["decision"] == ReturnDecision.SEND.value:
            groups[(c["report_id"], c["kind"])].append(c["agency_id"])
    return groups


def summary_lines(checks: list[dict[str, Any]]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for c in checks:
        counts[c["decision"]] += 1
    order = ("send", "missing", "held", "no_liaison", "not_due", "sent")
    parts = [f"{counts[d]} {d.replace('_', ' ')}" for d in order if counts.get(d)]
    return [f"returns: {', '.join(parts) or 'none'}"]


@flow(name="submit-returns")
def submit_returns(today: date | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Send what is due today. ``now`` (the delivery clock) is for tests that need a retry to be due."""
    today = today or clock.today()
    checks = decide(today)
    keys: list[str] = []
    lines = summary_lines(checks)
    for (report_id, kind), agency_ids in sorted(sendable(checks).items()):
        for i in range(0, len(agency_ids), BATCH):
            result = queue_batch(report_id, kind, agency_ids[i : i + BATCH], today)
            keys += result["keys"]
            lines += result["lines"]
    notices = queue_notices(today)
    keys += notices["keys"]
    lines += notices["lines"]
    sent = send(keys, now)
    lines += sent["lines"]
    get_run_logger().info("submit returns %s: %s", today, "; ".join(lines))
    return {"today": today.isoformat(), "submitted": sent["submitted"], "lines": lines}
