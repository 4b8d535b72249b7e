"""The staff home's counts, made in the database by groups, agree action for action with the rating rule asked of
each action: across the stale line (30 days in London, on both sides of a clock change), due dates either side of
today and of the 28-day line, and every status.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from models.rules.rag import action_rag
from models.rules.vocabulary import CLOSED, Status
from models.settings import Settings
from models.store.db import session_scope
from models.store.tables import Action
from web.workplace import summaries, summary_of

TODAY = date(2021, 4, 12)  # British Summer Time began on 28 March 2021: 30 days before is in GMT
STATUSES = [s.value for s in Status]
LAST_UPDATES = [
    datetime(2021, 3, 13, 23, 59, tzinfo=UTC),  # 13 March in London: 30 days before today, stale
    datetime(2021, 3, 14, 0, 0, tzinfo=UTC),  # 14 March in London: 29 days, not stale
    datetime(2021, 3, 12, 12, 0, tzinfo=UTC),
    datetime(2021, 4, 11, 23, 30, tzinfo=UTC),  # 12 April in London (BST)
    datetime(2021, 4, 12, 8, 0, tzinfo=UTC),
]
DUE_DATES = [
    None,
    TODAY - timedelta(days=1),
    TODAY,
    TODAY + timedelta(days=28),
    TODAY + timedelta(days=29),
    date(2021, 6, 17),
]


def spread_the_actions() -> None:
    """Give the fanned-out actions every combination of status, due date and last update, in turn."""
    with session_scope() as session:
        ids = list(session.exec(select(Action.id).order_by(col(Action.id))))
        for i, action_id in enumerate(ids):
            session.execute(
                update(Action)
                .where(col(Action.id) == action_id)
                .values(
                    status=STATUSES[i % len(STATUSES)],
                    due_on=DUE_DATES[(i // len(STATUSES)) % len(DUE_DATES)],
                    last_event_at=LAST_UPDATES[i % len(LAST_UPDATES)],
                )
            )


def test_the_grouped_counts_are_the_rule_asked_of_every_action(assigned: Settings) -> None:
    spread_the_actions()
    with session_scope() as session:
        found = summaries(session, agency_ids=None, today=TODAY)
        actions = list(session.exec(select(Action)))
    expected: dict[tuple[str, str], Counter[str]] = {}
    for a in actions:
        c = expected.setdefault((a.agency_id, a.report_id), Counter())
        c["total"] += 1
        c[f"rag:{action_rag(a, TODAY).value}"] += 1
        status = Status(a.status)
        if status in CLOSED:
            c["closed"] += 1
        elif a.due_on is not None and a.due_on < TODAY:
            c["overdue"] += 1
        elif a.due_on is not None and a.due_on <= TODAY + timedelta(days=28):
            c["due_soon"] += 1
        c["awaiting"] += status == Status.AWAITING_ALLOCATION
        c["pending"] += status == Status.PENDING_SIGNOFF
    got: dict[tuple[str, str], Counter[str]] = {}
    for s in found:
        c = got.setdefault((s.agency.id, s.report.id), Counter())
        c.update({"total": s.total, "closed": s.closed, "overdue": s.overdue, "due_soon": s.due_soon})
        c.update({"awaiting": s.awaiting_allocation, "pending": s.pending_signoff})
        c.update({f"rag:{r.value}": n for r, n in s.rag.items()})
    assert {k: +v for k, v in got.items()} == {k: +v for k, v in expected.items()}
    assert sum(c["total"] for c in got.values()) == len(actions) == 270
    assert len({c["rag:amber"] > 0 for c in got.values()}) == 2  # the cases reach both sides of each line


def test_one_agency_and_one_report(assigned: Settings) -> None:
    with session_scope() as session:
        (only,) = summaries(session, agency_ids=frozenset({"wiltshire-police"}), today=TODAY, report_id="safe-to-share")
    assert (only.agency.id, only.report.id, only.total) == ("wiltshire-police", "safe-to-share", 4)


def test_a_pages_own_count_is_the_databases(assigned: Settings) -> None:
    """The agency's report page counts the actions it has read (``summary_of``); the home counts in the database by
    groups (``summaries``): the same figures for every (agency, report), across every line the spread reaches.
    """
    spread_the_actions()
    with session_scope() as session:
        found = summaries(session, agency_ids=None, today=TODAY)
        actions = list(session.exec(select(Action)))
    assert found
    for s in found:
        own = summary_of(
            s.agency, s.report, [a for a in actions if (a.agency_id, a.report_id) == (s.agency.id, s.report.id)], TODAY
        )
        assert own == s
