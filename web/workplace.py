"""What the agency's workplace shows: per report, its actions' ratings and what needs doing, and progress over time.

Views only: every change goes through the repository functions the command line calls.
"""

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import Select, bindparam, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.rules.days import london_midnight
from models.rules.rag import AMBER_WITHIN_DAYS, STALE_AFTER_DAYS, action_rag, rag
from models.rules.vocabulary import CLOSED, EventKind, Rag, Status
from models.store.tables import Action, Agency, Event, Report

SOON_DAYS = AMBER_WITHIN_DAYS
""""Due soon" is the rating's amber line: the page says "Amber: due within 28 days" beside the count."""


@dataclass
class Summary:
    """One agency's actions for one report, counted the way a board paper counts them."""

    agency: "AgencyName"
    report: "ReportHeading"
    total: int = 0
    rag: Counter[Rag] = field(default_factory=Counter)
    overdue: int = 0
    due_soon: int = 0
    awaiting_allocation: int = 0
    pending_signoff: int = 0
    closed: int = 0


class AgencyName(NamedTuple):
    id: str
    name: str


class ReportHeading(NamedTuple):
    id: str
    title: str
    published_on: date


@functools.cache
def _grouped(*, by_agency: bool, by_report: bool) -> Select[tuple[str, str, str, date | None, int, int]]:
    """The actions grouped as ``summaries`` counts them, for some agencies, one report, both or neither: each of the
    four built once. Built on every visit, with a report's and an agency's id bound one by one into the ``IN`` lists
    below, building took longer than running (a quarter to a third of a liaison officer's home).

    Grouped only as finely as the counts and the rating look, each group's earliest status and due date standing for
    it (any member gives the same answers):

    - by status only as far as the counts tell statuses apart: closed, awaiting allocation, pending sign-off, the rest;
    - by the band of the due date (none, overdue, due within 28 days, later): the counts and the rating draw their
      lines at the same places (before today; within ``AMBER_WITHIN_DAYS``);
    - by staleness (the last update 30 days old in London);
    - closed actions in one group: they are green and counted closed whatever their dates.

    Grouped by status, date and staleness as they are, an agency's home read about one row per action (owners' dates
    differ), and counting them was a third of the page.
    """
    status, due_on = col(Action.status), col(Action.due_on)
    closed = status.in_(sorted(CLOSED))
    kind = case((closed, 0), (status == Status.AWAITING_ALLOCATION, 1), (status == Status.PENDING_SIGNOFF, 2), else_=3)
    band = case(
        (closed, 0),
        (due_on.is_(None), 0),
        (due_on < bindparam("today"), 1),
        (due_on <= bindparam("soon_until"), 2),
        else_=3,
    )
    stale = case((closed, 0), (col(Action.last_event_at) < bindparam("stale_before"), 1), else_=0)
    query = sa_select(
        col(Action.agency_id), col(Action.report_id), func.min(status), func.min(due_on), stale, func.count()
    ).group_by(col(Action.agency_id), col(Action.report_id), kind, band, stale)
    if by_agency:
        query = query.where(col(Action.agency_id).in_(bindparam("agency_ids", expanding=True)))
    if by_report:
        query = query.where(col(Action.report_id) == bindparam("report_id"))
    return query


@functools.cache
def _names(*, by_agency: bool, by_report: bool) -> tuple[Select[str, str], Select[str, str, date]]:
    """The names of the agencies and the headings of the reports ``_grouped`` finds, with the same filters: read by
    the actions they have, not by a list of ids (a liaison officer's 139 reports bound one by one made the statement
    anew on every visit).
    """
    agencies = sa_select(col(Agency.id), col(Agency.name))
    reports = sa_select(col(Report.id), col(Report.title), col(Report.published_on))
    agency_has = sa_select(col(Action.id)).where(col(Action.agency_id) == col(Agency.id))
    report_has = sa_select(col(Action.id)).where(col(Action.report_id) == col(Report.id))
    if by_agency:
        agencies = agencies.where(col(Agency.id).in_(bindparam("agency_ids", expanding=True)))
        report_has = report_has.where(col(Action.agency_id).in_(bindparam("agency_ids", expanding=True)))
    if by_report:
        reports = reports.where(col(Report.id) == bindparam("report_id"))
        agency_has = agency_has.where(col(Action.report_id) == bindparam("report_id"))
    return agencies.where(agency_has.exists()), reports.where(report_has.exists())


def summaries(
    session: Session, *, agency_ids: frozenset[str] | None, today: date, report_id: str | None = None
) -> list[Summary]:
    """Every (agency, report) with actions, for ``agency_ids`` (None: every agency) and ``report_id`` (None: every
    report), ordered by agency name.

    Counted in the database: the actions grouped by what the rating and the counts read of them (status, due date,
    and whether the last update is 30 days old in London), so an administrator's home reads a few hundred groups,
    not every action (at 100,000 actions, reading them all took over a second). The rating itself is still the one
    rule (``models.rules.rag.rag``), asked once per group with a last-update day on the right side of the line.
    """
    stale_before = london_midnight(today - timedelta(days=STALE_AFTER_DAYS - 1))
    soon_until = today + timedelta(days=SOON_DAYS)
    params: dict[str, object] = {"stale_before": stale_before, "today": today, "soon_until": soon_until}
    if agency_ids is not None:
        params["agency_ids"] = sorted(agency_ids)
    if report_id is not None:
        params["report_id"] = report_id
    filters = {"by_agency": agency_ids is not None, "by_report": report_id is not None}
    rows = session.execute(_grouped(**filters), params).all()
    if not rows:
        return []
    # the names and titles only, as plain rows: whole reports (their settings decoded) were a quarter of the home page
    names, headings = _names(**filters)
    agencies = {a[0]: AgencyName(*a) for a in session.execute(names, params)}
    reports = {r[0]: ReportHeading(*r) for r in session.execute(headings, params)}
    found: dict[tuple[str, str], Summary] = {}
    stale_on = today - timedelta(days=STALE_AFTER_DAYS)
    for agency_id, action_report_id, action_status, due_on, is_stale, count in rows:
        s = found.get((agency_id, action_report_id))
        if s is None:
            s = found[agency_id, action_report_id] = Summary(agencies[agency_id], reports[action_report_id])
        status = Status(action_status)
        _count(s, status, due_on, rag(status, due_on, stale_on if is_stale else today, today), count, today)
    return sorted(found.values(), key=lambda s: (s.agency.name, s.report.published_on, s.report.id))


def summary_of(agency: AgencyName, report: ReportHeading, actions: Iterable[Action], today: date) -> Summary:
    """The summary of one agency's actions for one report, counted from the actions a page has already read (the
    agency's report page reads them all to list them): what ``summaries`` counts in the database, with no query.
    """
    s = Summary(agency=agency, report=report)
    for action in actions:
        _count(s, Status(action.status), action.due_on, action_rag(action, today), 1, today)
    return s


def _count(s: Summary, status: Status, due_on: date | None, rating: Rag, count: int, today: date) -> None:
    """Add ``count`` actions of one status, due date and rating to the summary."""
    s.total += count
    s.rag[rating] += count
    if status in CLOSED:
        s.closed += count
    elif due_on is not None:
        if due_on < today:
            s.overdue += count
        elif due_on <= today + timedelta(days=SOON_DAYS):
            s.due_soon += count
    if status == Status.AWAITING_ALLOCATION:
        s.awaiting_allocation += count
    elif status == Status.PENDING_SIGNOFF:
        s.pending_signoff += count


@dataclass(frozen=True)
class Point:
    day: date
    closed: int


@dataclass(frozen=True)
class Chart:
    """Closed actions over time as an inline SVG polyline, with the same figures in words beside it."""

    points: list[Point]
    total: int
    width: int = 600
    height: int = 160

    def coordinates(self) -> str:
        if not self.points:
            return ""
        first, last = self.points[0].day, self.points[-1].day
        span = max((last - first).days, 1)
        top = max(self.total, 1)
        return " ".join(
            f"{round((p.day - first).days / span * (self.width - 20)) + 10},"
            f"{round(self.height - 10 - p.closed / top * (self.height - 20))}"
            for p in self.points
        )


_STATUS_CHANGES = (
    select(col(Event.action_id), col(Event.to_value), col(Event.at))
    .where(col(Event.action_id).in_(bindparam("ids", expanding=True)), col(Event.kind) == EventKind.STATUS)
    .order_by(col(Event.at), col(Event.id))
)
"""Built once, and only the three columns the chart reads: the agency's report page draws it on every visit."""


def progress(session: Session, *, action_ids: Sequence[int], report: Report, today: date) -> Chart:
    """How many of ``action_ids`` (the agency's actions for the report, which the page has already read) were
    closed on each day something closed, from publication to ``today``.
    """
    ids = list(action_ids)
    closed_on: dict[int, date] = {}
    if ids:
        closing = {s.value for s in CLOSED}
        for action_id, to_value, at in session.exec(_STATUS_CHANGES, params={"ids": ids}):
            if to_value in closing:
                closed_on[action_id] = at.date()
            else:
                closed_on.pop(action_id, None)
    days = Counter(d for d in closed_on.values() if d <= today)
    points = [Point(report.published_on, 0)]
    running = 0
    for day in sorted(days):
        running += days[day]
        points.append(Point(max(day, report.published_on), running))
    points.append(Point(max(today, report.published_on), running))
    return Chart(points=points, total=len(ids))
