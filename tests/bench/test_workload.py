"""The benchmark workload generator builds what it says, the same way every time, on either database."""

from collections import Counter
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from bench.workload import Spec, build, delivery_key
from models.settings import Settings
from models.store.db import engine_for, session_scope
from models.store.tables import Action, Delivery, Event, Recommendation


def counts(url: str) -> dict[str, int]:
    with engine_for(url).connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() or 0)
            for t in ("agencies", "reports", "recommendations", "actions", "events", "deliveries", "contacts")
        }


def test_a_tiny_workload_has_the_planned_rows_and_a_realistic_mix(db: Settings) -> None:
    spec = Spec(reports=3, recommendations=4, agencies=20, seed=3)

    summary = build(db.database_url, spec)

    found = counts(db.database_url)
    assert found["agencies"] == 20
    assert found["reports"] == 3
    assert found["recommendations"] == 12
    assert found["actions"] == spec.expected_actions() == summary.counts["actions"]
    assert found["events"] == found["actions"], "one created event per action"
    assert found["deliveries"] == summary.counts["deliveries"]
    with session_scope() as session:
        actions = session.exec(select(Action)).all()
        recs = {r.id: r for r in session.exec(select(Recommendation))}
        deliveries = session.exec(select(Delivery)).all()
        created = session.exec(select(Event.kind)).all()
    assert set(created) == {"created"}
    assert len({(a.recommendation_id, a.agency_id) for a in actions}) == len(actions)
    assert all(a.report_id == recs[a.recommendation_id].report_id for a in actions)
    assert all((a.owner_email is None) == (a.status == "awaiting_allocation") for a in actions)
    assert all(a.owner_email is None or a.owner_email.endswith(".example.org") for a in actions)
    assert len(Counter(a.status for a in actions)) >= 4, "a mix of statuses"
    by_id = {a.id: a for a in actions}
    assert all(
        d.key == delivery_key(d.action_id, by_id[d.action_id].assignment, d.stage or "")
        for d in deliveries
        if d.action_id
    )
    assert all(d.recipient == by_id[d.action_id].owner_email for d in deliveries if d.action_id)


def test_the_same_seed_gives_the_same_rows_on_either_database(db: Settings, tmp_path: Path) -> None:
    spec = Spec(reports=2, recommendations=3, agencies=10, seed=5, deliveries=False)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    build(db.database_url, spec)
    build(other, spec)

    def rows(url: str) -> list[tuple[str, ...]]:
        with engine_for(url).connect() as conn:
            return [
                tuple(str(v) for v in r)
                for r in conn.execute(
                    text("SELECT id, agency_id, status, due_on, owner_email FROM actions ORDER BY id")
                )
            ]

    assert rows(db.database_url) == rows(other)
