"""The agency's delivery log at 100,000 actions: ``python -m bench.delivery_log [--actions N] [--per-action K]
[--database sqlite|postgresql|both]``.

Builds the benchmark workload (``bench.workload``) with N actions, adds K logged messages per action (a mix of kinds
and states, every one carrying its agency and report as ``notifications.delivery.enqueue`` writes them), then times
one page of the log (``models.store.delivery_log.log_page``, the query the page runs) for a sample of agencies:
unfiltered, the last page, by state, by kind, by report, and all three at once. Each case is run ``REPEATS`` times per
agency; the median and the 95th percentile are printed with the query plan's first line. It prints figures and never
fails a build.
"""

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, select

from bench.databases import throwaway
from bench.workload import Spec, build
from models.store.db import engine_for
from models.store.delivery_log import LogFilter, log_page
from models.store.tables import Action, Delivery

REPEATS = 20
AGENCIES = 10
KINDS = ("reminder", "chaser", "escalation", "allocated", "fresh-link", "signoff")
STATES = ("sent",) * 8 + ("failed", "skipped")


def add_messages(url: str, per_action: int, seed: int = 7) -> int:
    """``per_action`` message rows for every action, in bulk; how many were written."""
    rng = random.Random(seed)
    engine = engine_for(url)
    table = Delivery.__table__  # type: ignore[attr-defined]
    written = 0
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        actions = conn.execute(select(Action.id, Action.agency_id, Action.report_id, Action.owner_email)).all()
        rows: list[dict[str, Any]] = []
        for action_id, agency_id, report_id, owner in actions:
            for n in range(per_action):
                state = rng.choice(STATES)
                at = start + timedelta(minutes=rng.randrange(0, 600_000))
                rows.append(
                    {
                        "key": f"bench:{action_id}:{n}",
                        "kind": rng.choice(KINDS),
                        "stage": None,
                        "action_id": action_id,
                        "agency_id": agency_id,
                        "report_id": report_id,
                        "recipient": owner or "nobody@example.org",
                        "cc": [],
                        "channel": "email",
                        "status": state,
                        "attempts": 1 if state != "failed" else 5,
                        "last_error": "550 5.1.1 mailbox unavailable" if state == "failed" else None,
                        "subject": f"OFFICIAL: message {n} about action {action_id}",
                        "message": {"to": owner, "subject": "bench", "text": "bench", "html": None},
                        "created_at": at,
                        "sent_at": at if state == "sent" else None,
                    }
                )
            if len(rows) >= 20_000:
                conn.execute(table.insert(), rows)
                written += len(rows)
                rows = []
        if rows:
            conn.execute(table.insert(), rows)
            written += len(rows)
        conn.execute(text("ANALYZE"))
    return written


def timed(url: str, agency_id: str, wanted: LogFilter, page: int) -> float:
    engine = engine_for(url)
    with Session(engine) as session:
        begun = time.perf_counter()
        log_page(session, agency_id=agency_id, wanted=wanted, page=page)
        return (time.perf_counter() - begun) * 1000


def run(kind: str, actions: int, per_action: int) -> None:
    with throwaway(kind, "deliverylog") as url:
        began = time.perf_counter()
        build(url, Spec.for_actions(actions))
        messages = add_messages(url, per_action)
        print(
            f"{kind}: {actions:,} actions, {messages:,} messages logged ({time.perf_counter() - began:.0f} s to build)"
        )
        with Session(engine_for(url)) as session:
            agencies = sorted(set(session.exec(select(Action.agency_id)).all()))[:AGENCIES]
            reports = {a: session.exec(select(Action.report_id).where(Action.agency_id == a)).first() for a in agencies}
        cases: dict[str, tuple[dict[str, str], bool, int]] = {
            "unfiltered, page 1": ({}, False, 1),
            "unfiltered, last page": ({}, False, 10**6),
            "state failed": ({"status": "failed"}, False, 1),
            "kind chaser": ({"kind": "chaser"}, False, 1),
            "one report": ({}, True, 1),
            "report + state + kind": ({"status": "sent", "kind": "reminder"}, True, 1),
        }
        for name, (fields, by_report, page) in cases.items():
            times = sorted(
                timed(url, a, LogFilter(**fields, report_id=reports[a] if by_report else None), page)
                for a in agencies
                for _ in range(REPEATS)
            )
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"  {name:<24} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery_log", description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--per-action", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    for kind in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        run(kind, args.actions, args.per_action)


if __name__ == "__main__":
    main()
