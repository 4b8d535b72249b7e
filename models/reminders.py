"""Deciding the reminders in sets: which (action, stage) pairs are due today, logged as delivery rows in a few
INSERT ... SELECT statements, never a loop over actions.

Why this is set-based and still the same rule as ``models.ladder``: for a given day the ladder stage due for an action
depends only on its due date (and its report's ladder), so the pure rule is worked out once per distinct (report, due
date), and each answer becomes one INSERT ... SELECT over the actions with those due dates. The unique delivery key
``reminder:<action>:<assignment>:<stage>`` is what makes a stage go once per assignment; inserting "only if the key is
new" is the ladder's "unless already sent". Nudges work the same way over ranges of the last-event time.

Rows written here carry no message yet (``message`` is NULL): the digest step (``notifications.reminders``) groups them
into one message per recipient, and they follow that message's status.
"""

import functools
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import String, and_, cast, literal, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from models.bank_holidays import around
from models.errors import ActionedError
from models.ladder import Ladder, LadderError, latest_stage
from models.tables import Action, Delivery, Report
from models.working_days import is_working_day

DEFAULTS = Path(__file__).parent / "data" / "ladder.yaml"
REMINDER_KINDS = ("reminder", "chaser", "escalation", "nudge")
CHUNK = 500


@functools.cache
def default_ladder() -> Ladder:
    """The shipped defaults (``models/data/ladder.yaml``), checked."""
    data = yaml.safe_load(DEFAULTS.read_text()) or {}
    try:
        return Ladder().updated(data, source=DEFAULTS.name)
    except LadderError as exc:
        raise ActionedError(str(exc)) from None


def ladder_for(report_id: str, settings: Mapping[str, Any] | None) -> Ladder:
    """The report's ladder: the defaults with its ``settings["ladder"]`` applied."""
    overrides = (settings or {}).get("ladder") or {}
    if not isinstance(overrides, Mapping):
        raise ActionedError(f"report {report_id!r}: settings.ladder must be a mapping of ladder settings")
    try:
        return default_ladder().updated(overrides, source=f"report {report_id!r}: settings.ladder")
    except LadderError as exc:
        raise ActionedError(str(exc)) from None


def _insert_ignoring_existing(session: Session, columns: list[str], source: Any) -> int:
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make(Delivery).from_select(columns, source).on_conflict_do_nothing(index_elements=["key"])
    # counted through RETURNING: psycopg reports no rowcount for INSERT ... SELECT ... ON CONFLICT DO NOTHING
    return sum(1 for _ in session.execute(statement.returning(col(Delivery.id))))


def _text(value: Any) -> Any:
    return cast(value, String)


def _source(*, stage: Any, kind: str, now: datetime, where: Any) -> Any:
    """The delivery rows for the actions matching ``where``: key, kind, stage, action, recipient..."""
    deliveries = Delivery.__table__.c  # type: ignore[attr-defined]
    key: Any = literal("reminder:") + _text(col(Action.id)) + ":" + _text(col(Action.assignment)) + ":" + stage
    return select(
        key,
        literal(kind, type_=deliveries.kind.type),
        stage,
        col(Action.id),
        col(Action.owner_email),
        literal_column("'[]'"),
        literal("email", type_=deliveries.channel.type),
        literal("pending", type_=deliveries.status.type),
        literal(0),
        literal(now, type_=deliveries.created_at.type),
    ).where(where)


COLUMNS = ["key", "kind", "stage", "action_id", "recipient", "cc", "channel", "status", "attempts", "created_at"]


def decide_reminders(
    session: Session, *, today: date, report_id: str | None = None, now: datetime | None = None
) -> int:
    """Log every (action, stage) due on ``today`` that was not logged before; returns how many rows were written.

    Nothing is decided on a weekend or an England and Wales bank holiday. Safe to run any number of times a day.
    """
    holidays = around(today)
    if not is_working_day(today, holidays):
        return 0
    now = now or datetime.now(UTC)
    query = select(col(Report.id), col(Report.settings)).order_by(col(Report.id))
    if report_id is not None:
        query = query.where(col(Report.id) == report_id)
    written = 0
    for rid, settings in session.execute(query).all():
        ladder = ladder_for(rid, settings)
        remindable = and_(
            col(Action.report_id) == rid,
            col(Action.status).in_(sorted(ladder.statuses)),
            col(Action.owner_email).is_not(None),
        )
        written += _decide_ladder(session, rid=rid, ladder=ladder, today=today, now=now, remindable=remindable)
        written += _decide_nudges(session, ladder=ladder, today=today, now=now, remindable=remindable)
    return written


def _decide_ladder(session: Session, *, rid: str, ladder: Ladder, today: date, now: datetime, remindable: Any) -> int:
    holidays = around(today)
    due_dates = session.execute(
        select(col(Action.due_on)).where(remindable, col(Action.due_on).is_not(None)).distinct()
    ).scalars()
    by_stage: dict[tuple[str, str], list[date]] = defaultdict(list)
    for due_on in due_dates:
        stage = latest_stage(due_on, today=today, ladder=ladder, holidays=holidays)
        if stage is not None:
            by_stage[(stage.name, stage.kind)].append(due_on)
    written = 0
    for (name, kind), dates in sorted(by_stage.items()):
        for i in range(0, len(dates), CHUNK):
            where = and_(remindable, col(Action.due_on).in_(dates[i : i + CHUNK]))
            source = _source(stage=literal(name, type_=String), kind=kind, now=now, where=where)
            written += _insert_ignoring_existing(session, COLUMNS, source)
    return written


def _decide_nudges(session: Session, *, ladder: Ladder, today: date, now: datetime, remindable: Any) -> int:
    """One INSERT per period of silence: actions whose last event fell ``n`` periods ago get "nudge-v<version>-<n>"."""
    if not ladder.nudge_after_days:
        return 0
    oldest = session.execute(select(col(Action.last_event_at)).where(remindable).order_by(col(Action.last_event_at)))
    first = oldest.scalars().first()
    if first is None:
        return 0
    period = ladder.nudge_after_days
    most = (today - first.astimezone(UTC).date()).days // period
    written = 0
    for n in range(1, most + 1):
        # silent for n periods: the last event's (UTC) date is on or before today - n*period, after today - (n+1)*period
        upper = datetime.combine(today - timedelta(days=n * period - 1), time(), tzinfo=UTC)
        lower = datetime.combine(today - timedelta(days=(n + 1) * period - 1), time(), tzinfo=UTC)
        where = and_(remindable, col(Action.last_event_at) < upper, col(Action.last_event_at) >= lower)
        stage = literal("nudge-v") + _text(col(Action.version)) + literal(f"-{n}")
        written += _insert_ignoring_existing(session, COLUMNS, _source(stage=stage, kind="nudge", now=now, where=where))
    return written
