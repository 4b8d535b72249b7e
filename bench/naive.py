"""The daily cycle beside the design a Prefect user writes first: one task per action.

The naive flow (``naive_cycle``, here in the benchmark, never in the product) plans the (recommendation, agency) pairs,
then calls one task per pair to create the action and its "created" event, then one task per action to decide its
reminder with the same rule (``models.rules.ladder.latest_stage``) and log the delivery row: every task a session,
a commit and a task run in Prefect's API. The daily cycle (``flows.daily_cycle``) does the same fan-out and sweep in
sets, one task per report and per batch, and also composes and writes the messages and judges the returns: it does
more, and still the comparison is the point.

Both sides run on the embedded default: a fresh SQLite database with the register and the reports (no actions), and
Prefect's ephemeral server, each side in a fresh process; the server is started by a trivial flow first and is not
timed, so the figure is the flow run itself. Sizes: ``SPECS``.
"""

import os
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.measure import Figure, step
from bench.workload import DEFAULT_TODAY, Spec, build, delivery_key

SPECS = (Spec(reports=2, recommendations=10, agencies=67), Spec.for_actions(10_000))
"""About 1,000 actions (1,001) and about 10,000."""


def _flows() -> Any:
    """The naive flow and its tasks, defined on first use (Prefect is imported only in the process that runs them)."""
    from prefect import flow, task
    from sqlmodel import col, select

    from models.bank_holidays import around
    from models.rules.deadlines import action_due
    from models.rules.ladder import latest_stage
    from models.rules.recipients import recipients_by_recommendation
    from models.store.db import session_scope
    from models.store.register import group_members
    from models.store.reports import report_due_on
    from models.store.sweep import default_ladder
    from models.store.tables import Action, Agency, Contact, Delivery, Event, Recommendation, Report

    @task
    def create_action(recommendation_id: int, agency_id: str) -> int:
        now = datetime.now(UTC)
        with session_scope() as session:
            rec = session.get(Recommendation, recommendation_id)
            assert rec is not None
            report = session.get(Report, rec.report_id)
            assert report is not None
            owner = session.exec(
                select(Contact).where(Contact.agency_id == agency_id, Contact.role == "owner").order_by(col(Contact.id))
            ).first()
            action = Action(
                recommendation_id=recommendation_id,
                report_id=rec.report_id,
                agency_id=agency_id,
                owner_email=owner.email if owner else None,
                owner_name=owner.name if owner else None,
                assignment=1 if owner else 0,
                due_on=action_due(own_due_on=rec.due_on, report_due_on=report_due_on(report)),
                status="open" if owner else "awaiting_allocation",
                version=1,
                created_at=now,
                updated_at=now,
                last_event_at=now,
            )
            session.add(action)
            session.flush()
            assert action.id is not None
            session.add(Event(action_id=action.id, at=now, actor="actioned", kind="created", to_value=action.status))
            return action.id

    @task
    def remind_action(action_id: int, today: date) -> int:
        ladder = default_ladder()
        with session_scope() as session:
            action = session.get(Action, action_id)
            assert action is not None
            if action.owner_email is None or action.status not in ladder.statuses or action.due_on is None:
                return 0
            stage = latest_stage(action.due_on, today=today, ladder=ladder, holidays=around(today))
            if stage is None:
                return 0
            key = delivery_key(action_id, action.assignment, stage.name)
            if session.exec(select(Delivery.id).where(Delivery.key == key)).first() is not None:
                return 0
            session.add(
                Delivery(
                    key=key,
                    kind=stage.kind,
                    stage=stage.name,
                    action_id=action_id,
                    recipient=action.owner_email,
                    created_at=datetime.now(UTC),
                )
            )
            return 1

    @flow(name="naive-cycle")
    def naive_cycle(today: date) -> dict[str, int]:
        with session_scope() as session:
            recs = list(session.exec(select(Recommendation).order_by(col(Recommendation.id))))
            agencies = list(session.exec(select(Agency.id)))
            members = group_members(session)
        targets = {str(r.id): r.groups for r in recs}
        recipients = recipients_by_recommendation(targets, members, agencies)
        ids = [create_action(r.id, a) for r in recs if r.id is not None for a in sorted(recipients[str(r.id)])]
        logged = sum(remind_action(action_id, today) for action_id in ids)
        return {"actions": len(ids), "deliveries": logged}

    @flow(name="warm-up")
    def warm_up() -> None:
        return None

    return naive_cycle, warm_up


def run(url: str, side: str, today: str) -> dict[str, Any]:
    """One side's flow run (``side``: "naive" or "actioned"), timed after a trivial flow has started the server."""
    from sqlalchemy import text

    from flows.prefect_env import run_flow
    from models.store.db import engine_for

    naive_cycle, warm_up = _flows()
    run_flow(warm_up)
    day = date.fromisoformat(today)
    started = time.perf_counter()
    if side == "naive":
        run_flow(naive_cycle, day)
    else:
        from flows.daily_cycle import daily_cycle

        run_flow(daily_cycle, day)
    seconds = time.perf_counter() - started
    with engine_for(url).connect() as conn:
        actions = int(conn.execute(text("SELECT COUNT(*) FROM actions")).scalar() or 0)
        deliveries = int(
            conn.execute(text("SELECT COUNT(*) FROM deliveries WHERE action_id IS NOT NULL")).scalar() or 0
        )
    return {"seconds": seconds, "rows": actions, "deliveries": deliveries}


def figures() -> list[Figure]:
    out: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="actioned-bench-naive-") as tmp:
        prefect_home = Path(tmp) / "prefect"
        for spec in SPECS:
            size = spec.expected_actions()
            results: dict[str, dict[str, Any]] = {}
            for side in ("actioned", "naive"):
                folder = Path(tmp) / f"{side}-{size}"
                url = f"sqlite:///{folder / 'actioned.db'}"
                build(url, spec, actions=False)
                env = {
                    **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACTIONED_"))},
                    "ACTIONED_HOME": str(folder),
                    "ACTIONED_DATABASE_URL": url,
                    "PREFECT_HOME": str(prefect_home),
                }
                results[side] = step("naive.run", url, env=env, side=side, today=DEFAULT_TODAY.isoformat())
            ours, base = results["actioned"], results["naive"]
            out.append(
                Figure.compared(
                    f"daily cycle vs one task per action, {ours['rows']:,} actions",
                    "sqlite",
                    "s",
                    ours,
                    base,
                    "seconds",
                    target="measured (information)",
                    notes=[
                        (
                            f"ours (tasks per report and per batch): {ours['rows']:,} actions, {ours['deliveries']:,} "
                            f"reminder rows, messages composed and written, returns judged, in {ours['seconds']:.1f} s"
                        ),
                        (
                            f"one task per action: {base['rows']:,} actions, {base['deliveries']:,} reminder rows, in "
                            f"{base['seconds']:.1f} s ({base['seconds'] / max(base['rows'], 1) * 1000:.1f} ms an action)"
                        ),
                    ],
                )
            )
    return out
