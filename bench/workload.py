"""The one workload generator: N reports x recommendations x agencies, up to 1,000,000 actions, deterministic from a seed.

It writes what a national deployment holds after a few years: a register of agencies (forces, local policing bodies,
national bodies) with contacts on reserved example domains, reports published over the last three years, their
recommendations addressed to groups, the actions fanned out from them with a realistic mix of statuses, owners and due
dates, one "created" event per action, and the reminders already sent for the ladder stages that have passed.

Rows are written in bulk and streamed report by report, so memory stays flat at any size: executemany through
SQLAlchemy Core on SQLite, ``COPY`` through psycopg on PostgreSQL. Ids are given explicitly (so deliveries can point
at actions without reading them back) and PostgreSQL's sequences are moved past them at the end.

The same ``Spec`` and seed always give the same rows, on either database.
"""

import functools
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Table, insert, text

from models.rules.deadlines import add_months
from models.store.db import engine_for, migrate
from models.store.tables import Action, Agency, Contact, Delivery, Group, GroupMember, Recommendation, Report

DEFAULT_TODAY = date(2025, 6, 2)
"""A Monday: the day the benchmarks run "as of" (a parameter, never the clock)."""

AGENCY_KINDS = ("force",) * 6 + ("local_policing_body",) * 3 + ("national_body",)
"""Six forces, three local policing bodies and one national body in every ten agencies."""

GROUPS = {
    "bench-chief-constables": ("Chief constables", "force"),
    "bench-pccs": ("Police and crime commissioners", "local_policing_body"),
    "bench-national": ("National bodies", "national_body"),
}

ADDRESSEES: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("To chief constables", ("bench-chief-constables",), 0.4),
    ("To chief constables and police and crime commissioners", ("bench-chief-constables", "bench-pccs"), 0.2),
    ("To the national bodies", ("bench-national",), 0.1),
    ("To all recipients", ("bench-chief-constables", "bench-pccs", "bench-national"), 0.3),
)

OPEN_MIX = {
    "awaiting_allocation": 8,
    "open": 35,
    "in_progress": 35,
    "pending_signoff": 7,
    "complete": 12,
    "not_accepted": 2,
    "superseded": 1,
}
"""Statuses of actions not yet 90 days past their due date."""

OLD_MIX = {
    "awaiting_allocation": 3,
    "open": 7,
    "in_progress": 15,
    "pending_signoff": 5,
    "complete": 60,
    "not_accepted": 5,
    "superseded": 5,
}
"""Statuses of actions long past their due date: mostly closed."""

CLOSED = frozenset({"complete", "not_accepted", "superseded"})
REMINDED = frozenset({"open", "in_progress"})
"""The statuses the shipped ladder reminds: only these had reminders in the recent past."""
HISTORY_DAYS = 21
"""How far back the workload keeps the reminders already sent (older ones no longer matter to a sweep)."""


@dataclass(frozen=True)
class Spec:
    """What to build: ``reports`` x ``recommendations`` (per report) x up to ``agencies`` addressed agencies."""

    reports: int
    recommendations: int = 10
    agencies: int = 100
    seed: int = 7
    today: date = DEFAULT_TODAY
    deliveries: bool = True
    chunk: int = 20_000

    @classmethod
    def for_actions(cls, actions: int, *, agencies: int = 100, recommendations: int = 10, **kw: Any) -> "Spec":
        """The smallest spec with at least ``actions`` actions (each recommendation reaches ~73% of the agencies)."""
        per_report = recommendations * agencies * 0.73
        spec = cls(reports=max(1, math.ceil(actions / per_report)), recommendations=recommendations, agencies=agencies)
        spec = cls(**{**spec.__dict__, **kw})
        while spec.expected_actions() < actions:
            spec = cls(**{**spec.__dict__, "reports": spec.reports + 1})
        return spec

    def expected_actions(self) -> int:
        return sum(len(targets) for _report, recs in _plan_reports(self) for _rec, targets in recs)


@dataclass
class Summary:
    """What was written, table by table."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n


# --- the plan: deterministic rows --------------------------------------------------------------------------------


def agency_id(i: int) -> str:
    return f"bench-a{i:05d}"


def agency_kind(i: int) -> str:
    return AGENCY_KINDS[i % len(AGENCY_KINDS)]


def report_id(i: int) -> str:
    return f"bench-r{i:06d}"


def _members(spec: Spec) -> dict[str, list[int]]:
    """Group id -> the agency numbers in it, by kind."""
    by_kind: dict[str, list[int]] = {}
    for i in range(spec.agencies):
        by_kind.setdefault(agency_kind(i), []).append(i)
    return {group: by_kind.get(kind, []) for group, (_name, kind) in GROUPS.items()}


@dataclass(frozen=True)
class PlannedRecommendation:
    id: int
    report: int
    number: str
    addressee: str
    groups: tuple[str, ...]
    due_on: date | None


@dataclass(frozen=True)
class PlannedReport:
    number: int
    published_on: date
    due_on: date


def _plan_reports(spec: Spec) -> Iterator[tuple[PlannedReport, list[tuple[PlannedRecommendation, list[int]]]]]:
    """Reports with their recommendations and, for each, the agency numbers it reaches."""
    rng = random.Random(f"{spec.seed}:reports")
    members = _members(spec)
    weights = [w for _line, _groups, w in ADDRESSEES]
    rec_id = 0
    for r in range(spec.reports):
        published = spec.today - timedelta(days=rng.randrange(0, 1100))
        report = PlannedReport(number=r, published_on=published, due_on=add_months(published, 6))
        recs = []
        for n in range(spec.recommendations):
            rec_id += 1
            line, groups, _w = rng.choices(ADDRESSEES, weights)[0]
            own_due = add_months(published, 3) if rng.random() < 0.2 else None
            targets = sorted({i for g in groups for i in members[g]})
            recs.append((PlannedRecommendation(rec_id, r, str(n + 1), line, groups, own_due), targets))
        yield report, recs


def _as_datetime(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8, 0), tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 600))


@functools.cache
def past_stages(due_on: date, today: date) -> tuple[tuple[str, str, date], ...]:
    """The ladder rungs (name, kind, day) that a daily sweep logged in the ``HISTORY_DAYS`` before ``today``.

    The shipped ladder and the sweep's own rule (``models.rules.ladder.stages``) decide them, so today's sweep meets these
    keys and skips them, as it would in a deployment that has run every working day.
    """
    from models.bank_holidays import around
    from models.rules.ladder import stages
    from models.store.sweep import default_ladder

    rungs = stages(due_on, until=today - timedelta(days=1), ladder=default_ladder(), holidays=around(today))
    return tuple((r.name, r.kind, r.send_on) for r in rungs if r.send_on >= today - timedelta(days=HISTORY_DAYS))


def delivery_key(action_id: int, assignment: int, stage: str) -> str:
    """The sweep's key for an (action, assignment, stage): ``reminder:<action>:<assignment>:<stage>``."""
    return f"reminder:{action_id}:{assignment}:{stage}"


def owner_email(agency: int, which: int = 1) -> str:
    return f"owner{which}@{agency_id(agency)}.example.org"


# --- writing -------------------------------------------------------------------------------------------------------


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


class _Writer:
    """Bulk writes: COPY on PostgreSQL, executemany through SQLAlchemy Core elsewhere."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgresql = conn.dialect.name == "postgresql"

    def write(self, model: Any, rows: Sequence[dict[str, Any]]) -> int:
        if not rows:
            return 0
        table = _table(model)
        if not self.postgresql:
            self.conn.execute(insert(table), list(rows))
            return len(rows)
        import json

        columns = list(rows[0])
        json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
        raw = self.conn.connection.driver_connection
        assert raw is not None
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])
        return len(rows)


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_register(conn: Connection, spec: Spec) -> Summary:
    """Groups, agencies, memberships and contacts (owner, portfolio lead, chief officer, liaison officer, PCC)."""
    w, summary = _Writer(conn), Summary()
    summary.add(
        "groups",
        w.write(Group, [{"id": g, "name": n, "description": "", "aliases": []} for g, (n, _k) in GROUPS.items()]),
    )
    agencies: list[dict[str, Any]] = [
        {
            "id": agency_id(i),
            "name": f"Bench Agency {i:05d}",
            "kind": agency_kind(i),
            "oversees": None,
            "aliases": [],
            "apprise_urls": [],
        }
        for i in range(spec.agencies)
    ]
    summary.add("agencies", w.write(Agency, agencies))
    members = [{"group_id": g, "agency_id": agency_id(i)} for g, ids in _members(spec).items() for i in ids]
    summary.add("group_members", w.write(GroupMember, members))
    contacts: list[dict[str, Any]] = []
    for i in range(spec.agencies):
        domain = f"{agency_id(i)}.example.org"
        roles = ["owner", "owner", "portfolio_lead", "chief_officer", "liaison_officer"]
        if agency_kind(i) == "local_policing_body":
            roles.append("pcc_contact")
        for n, role in enumerate(roles):
            email = owner_email(i, n + 1) if role == "owner" else f"{role.replace('_', '-')}@{domain}"
            contacts.append(
                {
                    "id": len(contacts) + 1,
                    "agency_id": agency_id(i),
                    "role": role,
                    "name": f"{role} {n} of {i}",
                    "email": email,
                    "title": role,
                }
            )
    summary.add("contacts", w.write(Contact, contacts))
    return summary


def write_reports(conn: Connection, spec: Spec) -> Summary:
    """Reports and their recommendations, no actions (what a fan-out starts from)."""
    w, summary = _Writer(conn), Summary()
    now = datetime.combine(spec.today, time(7, 0), tzinfo=UTC)
    reports, recs = [], []
    for report, planned in _plan_reports(spec):
        reports.append(
            {
                "id": report_id(report.number),
                "title": f"Bench report {report.number}",
                "publisher": "HMICFRS",
                "published_on": report.published_on,
                "return_address": "returns@inspectorate.example.org",
                "return_months": 6,
                "return_due_on": None,
                "early_returns": False,
                "comments_required": False,
                "comments_convention": "day_one",
                "comments_recipients": [],
                "comments_bodies": [],
                "source_url": None,
                "settings": {},
                "created_at": now,
                "updated_at": now,
            }
        )
        for rec, _targets in planned:
            recs.append(
                {
                    "id": rec.id,
                    "report_id": report_id(rec.report),
                    "number": rec.number,
                    "kind": "recommendation",
                    "position": int(rec.number) - 1,
                    "addressee": rec.addressee,
                    "groups": list(rec.groups),
                    "text": f"Recommendation {rec.number} of bench report {rec.report}: {rec.addressee.lower()} should act.",
                    "due_on": rec.due_on,
                    "due_text": None,
                }
            )
    for chunk in _chunks(reports, spec.chunk):
        summary.add("reports", w.write(Report, chunk))
    for chunk in _chunks(recs, spec.chunk):
        summary.add("recommendations", w.write(Recommendation, chunk))
    return summary


def _action_rows(spec: Spec) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each action with the deliveries already sent for it."""
    rng = random.Random(f"{spec.seed}:actions")
    action_id = 0
    delivery_id = 0
    for report, planned in _plan_reports(spec):
        for rec, targets in planned:
            due_on = rec.due_on or report.due_on
            mix = OLD_MIX if due_on < spec.today - timedelta(days=90) else OPEN_MIX
            statuses, weights = list(mix), list(mix.values())
            for agency in targets:
                action_id += 1
                status = rng.choices(statuses, weights)[0]
                owned = status != "awaiting_allocation"
                owner = rng.choice((1, 1, 1, 2)) if owned else 0
                created = _as_datetime(report.published_on, rng)
                last = max(created, _as_datetime(spec.today - timedelta(days=rng.randrange(1, 120)), rng))
                assignment = 1 if owned else 0
                action = {
                    "id": action_id,
                    "recommendation_id": rec.id,
                    "report_id": report_id(rec.report),
                    "agency_id": agency_id(agency),
                    "owner_email": owner_email(agency, owner) if owned else None,
                    "owner_name": f"Owner {owner} of {agency}" if owned else None,
                    "assignment": assignment,
                    "due_on": due_on,
                    "status": status,
                    "response": f"Progress on {rec.number} at {agency_id(agency)}: work is under way."
                    if status in ("in_progress", "pending_signoff", "complete")
                    else None,
                    "version": 1 + (status != "open") + (status in CLOSED),
                    "original_due_on": due_on,
                    "due_changes": 0,
                    "due_round": 0,
                    "created_at": created,
                    "updated_at": last,
                    "last_event_at": last,
                    "closed_at": last if status in CLOSED else None,
                }
                deliveries = []
                if spec.deliveries and status in REMINDED:
                    for stage, kind, day in past_stages(due_on, spec.today):
                        delivery_id += 1
                        failed = rng.random() < 0.03
                        key = delivery_key(action_id, assignment, stage)
                        sent_at = _as_datetime(day, rng)
                        deliveries.append(
                            {
                                "id": delivery_id,
                                "key": key,
                                "kind": kind,
                                "stage": stage,
                                "action_id": action_id,
                                "return_id": None,
                                "agency_id": action["agency_id"],
                                "report_id": action["report_id"],
                                "recipient": action["owner_email"],
                                "cc": [],
                                "channel": "email",
                                "status": "failed" if failed else "sent",
                                "attempts": 3 if failed else 1,
                                "last_error": "550 mailbox unavailable" if failed else None,
                                "message_id": f"<{key}@actioned.example.org>",
                                "batch": f"digest:{day.isoformat()}:{action['owner_email']}",
                                "created_at": sent_at,
                                "next_attempt_at": None,
                                "sent_at": None if failed else sent_at,
                                "claimed_at": sent_at,
                            }
                        )
                yield action, deliveries


def write_actions(conn: Connection, spec: Spec) -> Summary:
    """Actions, their past deliveries, and one "created" event per action (set-based)."""
    w, summary = _Writer(conn), Summary()
    actions: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for action, sent in _action_rows(spec):
        actions.append(action)
        deliveries.extend(sent)
        if len(actions) >= spec.chunk:
            summary.add("actions", w.write(Action, actions))
            summary.add("deliveries", w.write(Delivery, deliveries))
            actions, deliveries = [], []
    summary.add("actions", w.write(Action, actions))
    summary.add("deliveries", w.write(Delivery, deliveries))
    events = conn.execute(
        text(
            "INSERT INTO events (action_id, at, actor, kind, to_value) "
            "SELECT id, created_at, 'actioned', 'created', status FROM actions"
        )
    )
    summary.add("events", events.rowcount)
    return summary


def fix_sequences(conn: Connection) -> None:
    """After explicit ids, PostgreSQL's sequences must start past them (SQLite's autoincrement needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in ("recommendations", "contacts", "actions", "deliveries", "events"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def analyse(conn: Connection) -> None:
    """Fresh planner statistics, as a database that has lived with its data would have."""
    conn.execute(text("ANALYZE"))


def build(url: str, spec: Spec, *, actions: bool = True) -> Summary:
    """Migrate the database at ``url`` and write the workload (``actions=False``: register and reports only)."""
    migrate(url)
    summary = Summary()
    with engine_for(url).begin() as conn:
        for part in (write_register(conn, spec), write_reports(conn, spec)):
            for table, n in part.counts.items():
                summary.add(table, n)
        if actions:
            for table, n in write_actions(conn, spec).counts.items():
                summary.add(table, n)
        fix_sequences(conn)
    with engine_for(url).begin() as conn:
        analyse(conn)
    return summary
