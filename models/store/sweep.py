"""Deciding the reminders in sets: which (action, stage) pairs are due today, logged as delivery rows by a handful of
INSERT ... SELECT statements per ladder, never a loop over actions or over reports.

Why the SQL is shaped this way, and why it is still the same rule as ``models.rules.ladder``:

- For a given day the ladder stage due for an action depends only on its due date and its report's ladder. Reports
  are therefore grouped by the ladder they use (nearly all use the shipped default), and the pure rule
  (``models.rules.ladder.latest_stage``) is worked out once per distinct due date of the whole group, in Python, where
  "today" and the holidays are plain parameters. The answers go to the database as a small table of
  (due date, stage, kind) rows (a VALUES list in a derived table, which SQLite and PostgreSQL both accept; see
  :func:`_rungs` for its exact shape) and one INSERT ... SELECT joins the group's actions to it on the exact due
  date. A due date that was not in the table (an action added since) matches nothing and waits for the next sweep,
  exactly as before.
- An earlier version issued about seven statements per report: at a million actions (some 1,400 reports) building and
  compiling those statements cost more than the SQL itself. Now the statement count depends on the number of distinct
  ladders, not on the number of reports or actions (chunks of :data:`REPORTS_CHUNK` report ids and :data:`CHUNK`
  rungs only keep the bound parameters under SQLite's limit).
- The unique delivery key ``reminder:<action>:<assignment>:<stage>`` is what makes a stage go once per assignment
  (``<assignment>.<n>`` once the due date has moved n times: the ladder starts again from the new date);
  ``ON CONFLICT (key) DO NOTHING`` ("insert only if the key is new") is the ladder's "unless already sent".
- Nudges: an action silent for ``n`` whole periods gets "nudge-v<version>-<n>". The bands of last-event time for
  n = 1, 2, ... are contiguous, so one statement reads the group's silent actions once and a CASE over the band
  boundaries (bound instants, worked out here) picks ``n``: portable, with no date arithmetic in SQL.
- Written rows are counted through RETURNING: psycopg reports a rowcount of -1 for INSERT ... SELECT ... ON CONFLICT
  DO NOTHING, and counting the table before and after would scan it.

Rows written here carry no message yet (``message`` is NULL): the digest step (``notifications.reminders``) groups them
into one message per recipient, and they follow that message's status.
"""

import functools
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import CursorResult, String, and_, case, cast, column, func, literal, literal_column, select, values
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from models.bank_holidays import around
from models.rules.errors import ActionedError
from models.rules.ladder import Ladder, LadderError, ladder_for_kind, latest_stage
from models.rules.vocabulary import ItemKind
from models.rules.working_days import is_working_day
from models.store.tables import Action, Delivery, Recommendation, Report, Task

DEFAULTS = Path(__file__).parents[1] / "data" / "ladder.yaml"
REMINDER_KINDS = ("reminder", "chaser", "escalation", "nudge")
CHUNK = 2_000
"""Rungs (distinct due dates) per statement: three bound parameters each."""
REPORTS_CHUNK = 5_000
"""Report ids per statement. With :data:`CHUNK` this keeps a statement under SQLite's 32,766 bound parameters."""


@functools.cache
def _defaults() -> dict[str, Any]:
    data = yaml.safe_load(DEFAULTS.read_text()) or {}
    if not isinstance(data, dict):
        raise ActionedError(f"{DEFAULTS.name}: expected a mapping of ladder settings")
    return data


@functools.cache
def default_ladder(kind: str = ItemKind.RECOMMENDATION) -> Ladder:
    """The shipped defaults for ``kind`` (``models/data/ladder.yaml``), checked."""
    try:
        return ladder_for_kind(kind, defaults=_defaults(), defaults_source=DEFAULTS.name)
    except LadderError as exc:
        raise ActionedError(str(exc)) from None


def ladder_for(report_id: str, settings: Mapping[str, Any] | None, kind: str = ItemKind.RECOMMENDATION) -> Ladder:
    """The ladder for ``kind`` in the report: the shipped defaults (for every kind, then for this kind) with the
    report's ``settings["ladder"]`` applied (``models.rules.ladder.ladder_for_kind``). Every kind's settings are
    checked whichever kind is asked for.
    """
    overrides = (settings or {}).get("ladder") or {}
    if not isinstance(overrides, Mapping):
        raise ActionedError(f"report {report_id!r}: settings.ladder must be a mapping of ladder settings")
    try:
        return ladder_for_kind(
            kind,
            defaults=_defaults(),
            report=overrides,
            defaults_source=DEFAULTS.name,
            report_source=f"report {report_id!r}: settings.ladder",
        )
    except LadderError as exc:
        raise ActionedError(str(exc)) from None


def _insert_ignoring_existing(session: Session, columns: list[str], source: Any) -> int:
    """Insert the rows ``source`` selects whose key is new; how many went in.

    Counted by the driver on SQLite (``sqlite3_changes()``, the rows inserted, conflicts not counted); through RETURNING
    on PostgreSQL, where psycopg reports no rowcount for INSERT ... SELECT ... ON CONFLICT DO NOTHING. On SQLite,
    RETURNING buffered every new id and handed each to Python only to be counted (326,356 of them at a million
    actions).
    """
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    make = postgresql.insert if on_postgresql else sqlite.insert
    statement = make(Delivery).from_select(columns, source).on_conflict_do_nothing(index_elements=["key"])
    if not on_postgresql:
        return int(_cursor_result(session.execute(statement)).rowcount)
    return sum(1 for _ in session.execute(statement.returning(col(Delivery.id))))


def _cursor_result(result: Any) -> CursorResult[Any]:
    """An INSERT's result, which is a cursor result (its ``rowcount`` is the driver's)."""
    assert isinstance(result, CursorResult)
    return result


def _text(value: Any) -> Any:
    return cast(value, String)


def _pending_rows(*, key: Any, kind: Any, stage: Any, recipient: Any, now: datetime) -> Any:
    """The SELECT of new pending delivery rows in the order of :data:`COLUMNS` (the action and the rest fixed)."""
    deliveries = Delivery.__table__.c  # type: ignore[attr-defined]
    return select(
        key,
        kind,
        stage,
        col(Action.id),
        col(Action.agency_id),
        col(Action.report_id),
        recipient,
        literal_column("'[]'"),
        literal("email", type_=deliveries.channel.type),
        literal("pending", type_=deliveries.status.type),
        literal(0),
        literal(now, type_=deliveries.created_at.type),
    )


def _source(*, stage: Any, kind: Any, now: datetime, where: Any, rungs: Any = None) -> Any:
    """The delivery rows for the actions matching ``where``: key, kind, stage, action, recipient...

    With ``rungs`` (the table of decided stages, :func:`_rungs`) the actions are joined to it on their exact due date,
    and ``stage`` and ``kind`` come from its columns.
    """
    deliveries = Delivery.__table__.c  # type: ignore[attr-defined]
    moved = case((col(Action.due_round) > 0, literal(".") + _text(col(Action.due_round))), else_=literal(""))
    key: Any = literal("reminder:") + _text(col(Action.id)) + ":" + _text(col(Action.assignment)) + moved + ":" + stage
    query = _pending_rows(
        key=key,
        kind=kind if rungs is not None else literal(kind, type_=deliveries.kind.type),
        stage=stage,
        recipient=col(Action.owner_email),
        now=now,
    )
    if rungs is not None:
        query = query.select_from(Action).join(rungs, rungs.c.due_on == col(Action.due_on))
    # the WHERE is never empty: SQLite needs one before ON CONFLICT in an INSERT ... SELECT to parse it as an upsert
    return query.where(where)


COLUMNS = [
    "key",
    "kind",
    "stage",
    "action_id",
    "agency_id",
    "report_id",
    "recipient",
    "cc",
    "channel",
    "status",
    "attempts",
    "created_at",
]


def decide_reminders(
    session: Session,
    *,
    today: date,
    report_id: str | None = None,
    now: datetime | None = None,
    broken: list[str] | None = None,
) -> int:
    """Log every (action, stage) due on ``today`` that was not logged before; returns how many rows were written.

    Nothing is decided on a weekend or an England and Wales bank holiday. Safe to run any number of times a day.
    Reports sharing a ladder are decided together (see the module's docstring): the statements issued depend on the
    number of distinct ladders, not on the number of reports.
    """
    holidays = around(today)
    if not is_working_day(today, holidays):
        return 0
    now = now or datetime.now(UTC)
    groups = _ladder_groups(session, report_id=report_id, broken=broken)
    written = 0
    for (ladder, kind), rids in groups.items():
        for i in range(0, len(rids), REPORTS_CHUNK):
            # the report ids are listed, not "every report but the others": a report added since it was read (with
            # a ladder of its own, perhaps) is left for the next sweep, as it always was
            chunk = rids[i : i + REPORTS_CHUNK]
            remindable = and_(
                col(Action.report_id).in_(chunk),
                col(Action.status).in_(sorted(ladder.statuses)),
                col(Action.owner_email).is_not(None),
            )
            if kind is not None:  # only this kind's findings in these reports: the others have a ladder of their own
                of_kind = select(col(Recommendation.id)).where(
                    col(Recommendation.report_id).in_(chunk), col(Recommendation.kind) == kind
                )
                remindable = and_(remindable, col(Action.recommendation_id).in_(of_kind))
            written += _decide_ladder(session, ladder=ladder, holidays=holidays, today=today, now=now, where=remindable)
            written += _decide_nudges(session, ladder=ladder, today=today, now=now, where=remindable)
            written += _decide_tasks(session, ladder=ladder, holidays=holidays, today=today, now=now, where=remindable)
    return written


def _ladder_groups(
    session: Session, *, report_id: str | None, broken: list[str] | None
) -> dict[tuple[Ladder, str | None], list[str]]:
    """The reports to sweep, grouped by ladder: (ladder, None) for reports whose findings all share one ladder (the
    usual case: no kind filter is needed), (ladder, kind) for the findings of one kind in reports whose kinds differ.
    """
    query = select(col(Report.id), col(Report.settings)).order_by(col(Report.id))
    kinds_query = select(col(Recommendation.report_id), col(Recommendation.kind)).distinct()
    if report_id is not None:
        query = query.where(col(Report.id) == report_id)
        kinds_query = kinds_query.where(col(Recommendation.report_id) == report_id)
    kinds: dict[str, set[str]] = {}
    for rid, kind in session.execute(kinds_query).all():
        kinds.setdefault(rid, set()).add(kind)
    groups: dict[tuple[Ladder, str | None], list[str]] = {}
    for rid, settings in session.execute(query).all():
        try:
            ladders = {
                kind: ladder_for(rid, settings, kind) for kind in sorted(kinds.get(rid) or {ItemKind.RECOMMENDATION})
            }
        except ActionedError as exc:  # with ``broken``, one report's bad settings never stop the others
            if broken is None:
                raise
            broken.append(str(exc))
            continue
        if len(set(ladders.values())) == 1:
            groups.setdefault((next(iter(ladders.values())), None), []).append(rid)
        else:
            for kind, ladder in ladders.items():
                groups.setdefault((ladder, kind), []).append(rid)
    return groups


def _rungs(decided: Sequence[tuple[date, str, str]]) -> Any:
    """The decided stages as a derived table ``rungs(due_on, stage, kind)``, typed like the columns they meet.

    Written ``(WITH decided(...) AS (VALUES ...) SELECT ... FROM decided) AS rungs`` so that the INSERT still begins
    with INSERT: SQLite rejects column names after a VALUES alias, and a statement that begins with WITH is not seen
    as a write by Python's sqlite3 module, which then opens no transaction, so the rows would commit at once and a
    rollback (``notifications.reminders.preview``, a failure later in the sweep) would not undo them.
    """
    deliveries = Delivery.__table__.c  # type: ignore[attr-defined]
    table = values(
        column("due_on", Action.__table__.c.due_on.type),  # type: ignore[attr-defined]
        column("stage", deliveries.stage.type),
        column("kind", deliveries.kind.type),
        name="decided",
    ).data(list(decided))
    return select(table.cte("decided", nesting=True)).subquery("rungs")


def _decided(
    due_dates: Iterable[date], *, ladder: Ladder, holidays: AbstractSet[date], today: date
) -> list[tuple[date, str, str]]:
    """(due date, stage, kind) for each distinct due date that has a stage due today: the pure rule, once per date."""
    decided: list[tuple[date, str, str]] = []
    for due_on in sorted(due_dates):
        stage = latest_stage(due_on, today=today, ladder=ladder, holidays=holidays)
        if stage is not None:
            decided.append((due_on, stage.name, stage.kind))
    return decided


def _decide_ladder(
    session: Session, *, ladder: Ladder, holidays: AbstractSet[date], today: date, now: datetime, where: Any
) -> int:
    """One INSERT ... SELECT for the whole group: its actions joined to the stages decided per distinct due date."""
    due_dates = session.execute(
        select(col(Action.due_on)).where(where, col(Action.due_on).is_not(None)).distinct()
    ).scalars()
    decided = _decided(due_dates, ladder=ladder, holidays=holidays, today=today)
    written = 0
    for i in range(0, len(decided), CHUNK):
        rungs = _rungs(decided[i : i + CHUNK])
        source = _source(stage=rungs.c.stage, kind=rungs.c.kind, now=now, where=where, rungs=rungs)
        written += _insert_ignoring_existing(session, COLUMNS, source)
    return written


def _decide_nudges(session: Session, *, ladder: Ladder, today: date, now: datetime, where: Any) -> int:
    """One INSERT for every period of silence at once: actions whose last event fell ``n`` periods ago get
    "nudge-v<version>-<n>", ``n`` picked by a CASE over the bands' boundaries.
    """
    if not ladder.nudge_after_days:
        return 0
    first = session.execute(select(func.min(col(Action.last_event_at))).where(where)).scalar()
    if first is None:
        return 0
    period = ladder.nudge_after_days
    most = (today - first.astimezone(UTC).date()).days // period
    if most < 1:
        return 0

    def start(n: int) -> datetime:
        # silent for n periods: the last event's (UTC) date is on or before today - n*period, so before this instant
        return datetime.combine(today - timedelta(days=n * period - 1), time(), tzinfo=UTC)

    # band n is [start(n + 1), start(n)); the bands touch and start() falls with n, so the first n whose lower bound
    # the last event reaches is its band
    suffix = case(*((col(Action.last_event_at) >= start(n + 1), literal(f"-{n}")) for n in range(1, most + 1)))
    silent = and_(where, col(Action.last_event_at) < start(1), col(Action.last_event_at) >= start(most + 1))
    stage = literal("nudge-v") + _text(col(Action.version)) + suffix
    return _insert_ignoring_existing(session, COLUMNS, _source(stage=stage, kind="nudge", now=now, where=silent))


def _decide_tasks(
    session: Session, *, ladder: Ladder, holidays: AbstractSet[date], today: date, now: datetime, where: Any
) -> int:
    """The tasks of the group's remindable actions, each on its own ladder for its own owner: one INSERT ... SELECT
    per chunk of distinct task due dates, keyed ``task:<task>:<round>:<stage>`` (a new owner or date is a new round).
    Done tasks are not reminded; a closed action's tasks stop with it (``where`` only takes remindable actions).
    """
    open_task = and_(where, col(Task.status) != "done", col(Task.due_on).is_not(None))
    due_dates = session.execute(
        select(col(Task.due_on)).join(Action, col(Action.id) == col(Task.action_id)).where(open_task).distinct()
    ).scalars()
    decided = _decided(due_dates, ladder=ladder, holidays=holidays, today=today)
    written = 0
    for i in range(0, len(decided), CHUNK):
        rungs = _rungs(decided[i : i + CHUNK])
        key: Any = literal("task:") + _text(col(Task.id)) + ":" + _text(col(Task.round)) + ":" + rungs.c.stage
        source = (
            _pending_rows(key=key, kind=rungs.c.kind, stage=rungs.c.stage, recipient=col(Task.owner_email), now=now)
            .select_from(Task)
            .join(Action, col(Action.id) == col(Task.action_id))
            .join(rungs, rungs.c.due_on == col(Task.due_on))
            .where(open_task)
        )
        written += _insert_ignoring_existing(session, COLUMNS, source)
    return written
