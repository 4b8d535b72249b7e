"""The agency's delivery log as the page and ``actioned agencies deliveries`` read it: only the agency's messages,
newest first, a page at a time; a reminder stage shown through the digest that carried it; filters by state, kind
and report; and the query plan uses the agency index (no scan of the table).
"""

from datetime import UTC, datetime

from sqlalchemy import text, update
from sqlmodel import col, select

from models.settings import Settings
from models.store.db import session_scope
from models.store.delivery_log import LogFilter, log_page, page_statements
from models.store.tables import Action, Delivery
from notifications.delivery import Outgoing, enqueue

NOW = datetime(2021, 6, 1, 9, 0, tzinfo=UTC)


def _message(action_id: int, n: int, kind: str = "chaser") -> Outgoing:
    return Outgoing(key=f"test:{action_id}:{n}", kind=kind, to="sam@example.org", subject=f"message {n}", text="t")


def test_the_log_pages_filters_and_keeps_to_its_agency(assigned: Settings) -> None:
    with session_scope() as session:
        wiltshire = session.exec(select(Action.id).where(Action.agency_id == "wiltshire-police")).first()
        dorset = session.exec(select(Action.id).where(Action.agency_id == "dorset-police")).first()
        assert wiltshire is not None
        assert dorset is not None
        for n in range(7):
            message = _message(wiltshire, n, "chaser" if n % 2 else "reminder")
            message.action_id = wiltshire
            enqueue(session, message, now=NOW)
        other = _message(dorset, 0)
        other.action_id = dorset
        enqueue(session, other, now=NOW)
        # a stage row carried by a digest is not listed; the digest is
        stage = Delivery(key="reminder:x", kind="reminder", stage="due", action_id=wiltshire, recipient="s@example.org")
        stage.agency_id, stage.report_id, stage.batch = "wiltshire-police", "safe-to-share", "test:digest"
        session.add(stage)
        session.execute(update(Delivery).where(col(Delivery.key) == f"test:{wiltshire}:3").values(status="failed"))

    with session_scope() as session:
        first = log_page(session, agency_id="wiltshire-police", wanted=LogFilter(), page=1, per_page=3)
        assert first.total == 7
        assert first.pages == 3
        assert [d.subject for d in first.rows] == ["message 6", "message 5", "message 4"]
        last = log_page(session, agency_id="wiltshire-police", wanted=LogFilter(), page=99, per_page=3)
        assert last.page == 3
        assert [d.subject for d in last.rows] == ["message 0"]
        assert log_page(session, agency_id="wiltshire-police", wanted=LogFilter(kind="chaser")).total == 3
        failed = log_page(session, agency_id="wiltshire-police", wanted=LogFilter(status="failed"))
        assert [d.subject for d in failed.rows] == ["message 3"]
        by_report = LogFilter(report_id="safe-to-share", kind="reminder")
        assert log_page(session, agency_id="wiltshire-police", wanted=by_report).total == 4
        assert log_page(session, agency_id="wiltshire-police", wanted=LogFilter(report_id="nope")).total == 0
        assert [d.subject for d in log_page(session, agency_id="dorset-police", wanted=LogFilter()).rows] == [
            "message 0"
        ]


def test_counting_and_paging_read_the_agency_index_only(assigned: Settings) -> None:
    with session_scope() as session:
        if session.get_bind().dialect.name != "sqlite":
            return  # the plan's words are SQLite's; PostgreSQL's planner picks by statistics
        for wanted in (LogFilter(), LogFilter(status="failed", kind="chaser"), LogFilter(report_id="safe-to-share")):
            for statement in page_statements("wiltshire-police", wanted, page=3, per_page=50):
                compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
                plan = " ".join(str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
                assert "USING COVERING INDEX ix_deliveries_agency" in plan, plan
                assert "SCAN deliveries" not in plan.replace("USING COVERING INDEX", ""), plan
