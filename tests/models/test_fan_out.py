"""The fan-out against the shipped register: one action per (recommendation, addressed agency), idempotent."""

from sqlmodel import col, func, select

from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.tables import Action, Event


def test_safe_to_share_fans_out_to_every_chief_constable_and_commissioner(assigned):
    with session_scope() as session:
        counts = dict(
            session.exec(select(Action.recommendation_id, func.count()).group_by(col(Action.recommendation_id))).all()
        )
        assert sorted(counts.values()) == [46, 46, 89, 89]
        assert session.exec(select(func.count()).select_from(Event)).one() == 270


def test_fanning_out_again_creates_nothing(assigned):
    with session_scope() as session:
        summary = fan_out(session, report_id="safe-to-share")
    assert (summary.created, summary.existing) == (0, 270)
