"""Import and fan-out: ``models.store.fanout.fan_out`` report by report, beside a bare-SQL baseline.

Both start from the same register and reports (no actions) and write the same rows: one action per (recommendation,
addressed agency) with its owner, due date and status, and one "created" event per action, one transaction per report
(as the assign task does). The baseline reads what it needs, builds the rows in Python and inserts them with multi-row
``INSERT ... VALUES ... RETURNING id, status`` through the bare driver (in chunks of ``CHUNK`` rows, as the product
does), then the events for the ids it got back with the driver's executemany: no second look at the actions.
"""

import json
import time
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from bench import raw
from bench.workload import DEFAULT_TODAY, Spec, build
from models.rules.deadlines import add_months
from models.store.db import engine_for, session_scope

CHUNK = 1_000
NOW = datetime.combine(DEFAULT_TODAY, datetime.min.time(), tzinfo=UTC)


def setup(url: str, spec: Spec) -> dict[str, Any]:
    """The register and the reports, no actions."""
    started = time.perf_counter()
    summary = build(url, spec, actions=False)
    return {"seconds": time.perf_counter() - started, "rows": summary.counts.get("recommendations", 0)}


def report_ids(url: str) -> list[str]:
    with engine_for(url).connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT id FROM reports ORDER BY id"))]


def actioned(url: str) -> dict[str, Any]:
    """The product's fan-out, one session and transaction per report."""
    from models.store.fanout import fan_out

    ids = report_ids(url)
    created = 0
    started = time.perf_counter()
    for report_id in ids:
        with session_scope(url) as session:
            created += fan_out(session, report_id=report_id, now=NOW).created
    return {"seconds": time.perf_counter() - started, "rows": created}


def baseline(url: str) -> dict[str, Any]:
    """The same rows through the bare driver."""
    ids = report_ids(url)
    conn = raw.connect(url)
    q = lambda s: raw.sql(url, s)  # noqa: E731
    now = raw.instant(url, NOW)
    created = 0
    started = time.perf_counter()
    try:
        for report_id in ids:
            cur = conn.cursor()
            cur.execute(q("SELECT published_on, return_months, return_due_on FROM reports WHERE id = ?"), (report_id,))
            published, months, explicit = cur.fetchone()
            report_due = raw.to_date(explicit) or (add_months(raw.to_date(published), months) if months else None)  # type: ignore[arg-type]
            members: dict[str, set[str]] = defaultdict(set)
            cur.execute("SELECT group_id, agency_id FROM group_members")
            for group_id, agency_id in cur.fetchall():
                members[group_id].add(agency_id)
            cur.execute("SELECT agency_id, email, name FROM contacts WHERE role = 'owner' ORDER BY id")
            owners: dict[str, tuple[str, str]] = {}
            for agency_id, email, name in cur.fetchall():
                owners.setdefault(agency_id, (email, name))
            cur.execute(q("SELECT recommendation_id, agency_id FROM actions WHERE report_id = ?"), (report_id,))
            existing = set(cur.fetchall())
            cur.execute(
                q("SELECT id, groups, due_on FROM recommendations WHERE report_id = ? ORDER BY position"), (report_id,)
            )
            rows = []
            for rec_id, groups, own_due in cur.fetchall():
                targets = json.loads(groups) if isinstance(groups, str) else groups
                agencies = sorted({a for g in targets for a in members.get(g, {g})})
                due = raw.day(url, raw.to_date(own_due) or report_due)
                for agency_id in agencies:
                    if (rec_id, agency_id) in existing:
                        continue
                    owner = owners.get(agency_id)
                    rows.append(
                        (
                            rec_id,
                            report_id,
                            agency_id,
                            owner[0] if owner else None,
                            owner[1] if owner else None,
                            1 if owner else 0,
                            due,
                            due,
                            "open" if owner else "awaiting_allocation",
                            1,
                            0,
                            0,
                            now,
                            now,
                            now,
                        )
                    )
            columns = (
                "recommendation_id, report_id, agency_id, owner_email, owner_name, assignment, due_on, original_due_on,"
                " status, version, due_changes, due_round, created_at, updated_at, last_event_at"
            )
            marks = "(" + ", ".join("?" for _ in range(15)) + ")"
            new: list[tuple[int, str]] = []
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                values = ", ".join(marks for _ in chunk)
                cur.execute(
                    q(f"INSERT INTO actions ({columns}) VALUES {values} RETURNING id, status"),
                    [v for row in chunk for v in row],
                )
                new.extend(cur.fetchall())
            cur.executemany(
                q("INSERT INTO events (action_id, at, actor, kind, to_value) VALUES (?, ?, 'actioned', 'created', ?)"),
                [(action_id, now, status) for action_id, status in new],
            )
            conn.commit()
            created += len(rows)
    finally:
        conn.close()
    return {"seconds": time.perf_counter() - started, "rows": created}


def reset(url: str) -> dict[str, Any]:
    """Remove what a fan-out wrote and give the space back, so the other side starts from the same state as the first
    (an empty table on fresh pages, not one with a free list to fill). Only for the fan-out's database: on PostgreSQL the
    truncation cascades to whatever refers to the actions, which is empty there.
    """
    started = time.perf_counter()
    with engine_for(url).begin() as conn:
        if raw.kind_of(url) == "postgresql":
            conn.execute(text("TRUNCATE events, actions CASCADE"))
        else:
            conn.execute(text("DELETE FROM events"))
            conn.execute(text("DELETE FROM actions"))
    if raw.kind_of(url) == "sqlite":
        with engine_for(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM"))
    vacuum(url)
    return {"seconds": time.perf_counter() - started, "rows": 0}


def vacuum(url: str) -> None:
    """Reclaim deleted rows and refresh statistics (outside a transaction on PostgreSQL)."""
    if raw.kind_of(url) == "postgresql":
        with engine_for(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine_for(url).begin() as conn:
            conn.execute(text("ANALYZE"))
