"""The reminder sweep's decision and logging: ``models.store.sweep.decide_reminders`` beside a bare-SQL baseline.

Both run over the full workload (actions with the reminders of the last weeks already logged) for the same day and
write the same delivery rows, the agency and report each row is about included (the delivery log's indexes are kept
up to date by both; a baseline leaving them empty appended to one end of those indexes and did less work). The baseline is what a straightforward implementation would do with the bare driver:
stream the remindable actions, decide each one's stage with the same pure rules (``models.rules.ladder``, worked out once per
due date), and insert the rows with executemany and "ignore if the key exists". Both counts are reported: a difference
is a finding, not noise.
"""

import functools
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bench import raw
from bench.fanout import vacuum
from bench.workload import Spec
from models.store.db import engine_for, session_scope

FETCH = 5_000


def high_water(url: str, *, count_after: int | None = None) -> int:
    """The highest delivery id; or, with ``count_after``, how many rows have ids above it."""
    with engine_for(url).connect() as conn:
        if count_after is not None:
            query = text("SELECT COUNT(*) FROM deliveries WHERE id > :after")
            return int(conn.execute(query, {"after": count_after}).scalar() or 0)
        return int(conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM deliveries")).scalar() or 0)


def reset(url: str, after: int) -> dict[str, Any]:
    """Remove the rows a sweep wrote (ids above ``after``), so the other side starts from the same state."""
    started = time.perf_counter()
    with engine_for(url).begin() as conn:
        conn.execute(text("DELETE FROM deliveries WHERE id > :after"), {"after": after})
    vacuum(url)
    return {"seconds": time.perf_counter() - started, "rows": 0}


def actioned(url: str, today: str) -> dict[str, Any]:
    from models.bank_holidays import around
    from models.store.sweep import decide_reminders

    around(date.fromisoformat(today))  # load the holiday calendar untimed, as the baseline does
    now = datetime.now(UTC)
    started = time.perf_counter()
    with session_scope(url) as session:
        written = decide_reminders(session, today=date.fromisoformat(today), now=now)
    return {"seconds": time.perf_counter() - started, "rows": written}


def baseline(url: str, today: str) -> dict[str, Any]:
    from models.bank_holidays import around
    from models.rules.ladder import latest_stage, nudge_stage
    from models.rules.working_days import is_working_day
    from models.store.sweep import default_ladder

    day = date.fromisoformat(today)
    ladder = default_ladder()
    holidays = around(day)
    now = raw.instant(url, datetime.now(UTC))
    q = lambda s: raw.sql(url, s)  # noqa: E731

    @functools.cache
    def stage_for(due_on: date) -> tuple[str, str] | None:
        stage = latest_stage(due_on, today=day, ladder=ladder, holidays=holidays)
        return (stage.name, stage.kind) if stage else None

    statuses = sorted(ladder.statuses)
    conflict = "ON CONFLICT (key) DO NOTHING"
    insert = q(
        "INSERT INTO deliveries (key, kind, stage, action_id, agency_id, report_id, recipient, cc, channel, status,"
        f" attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '[]', 'email', 'pending', 0, ?) {conflict}"
    )
    written = 0
    started = time.perf_counter()
    if not is_working_day(day, holidays):
        return {"seconds": time.perf_counter() - started, "rows": 0}
    conn = raw.connect(url)
    try:
        reader = conn.cursor() if raw.kind_of(url) == "sqlite" else conn.cursor(name="remindable")
        writer = conn.cursor()
        reader.execute(
            q(
                "SELECT id, assignment, due_on, owner_email, last_event_at, version, agency_id, report_id FROM actions"
                f" WHERE status IN ({', '.join('?' for _ in statuses)}) AND owner_email IS NOT NULL"
            ),
            statuses,
        )
        while rows := reader.fetchmany(FETCH):
            batch = []
            for action_id, assignment, due_on, owner, last_event_at, version, agency, report in rows:
                due = raw.to_date(due_on)
                stage = stage_for(due) if due is not None else None
                if stage is not None:
                    name, kind = stage
                    key = f"reminder:{action_id}:{assignment}:{name}"
                    batch.append((key, kind, name, action_id, agency, report, owner, now))
                last = _utc_date(last_event_at)
                nudge = nudge_stage(last, today=day, version=version, ladder=ladder)
                if nudge is not None:
                    key = f"reminder:{action_id}:{assignment}:{nudge.name}"
                    batch.append((key, "nudge", nudge.name, action_id, agency, report, owner, now))
            before = _changes(conn, url)
            writer.executemany(insert, batch)
            written += _changes(conn, url) - before if raw.kind_of(url) == "sqlite" else writer.rowcount
        conn.commit()
    finally:
        conn.close()
    return {"seconds": time.perf_counter() - started, "rows": written}


def _utc_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(UTC).date() if value.tzinfo else value.date()
    return datetime.fromisoformat(str(value)).date()


def _changes(conn: Any, url: str) -> int:
    return int(conn.total_changes) if raw.kind_of(url) == "sqlite" else 0


def window(spec: Spec) -> str:
    """The sweep's day: the workload's "today"."""
    day = spec.today
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()
