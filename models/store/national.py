"""Repository functions for the national view: the inspectorate's decisions on actions, national responses that
cover many agencies, the returns actually accepted, and where every agency's return stands. Keyword-only; each takes
the session.
"""

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.rules.days import london_day
from models.rules.errors import ActionedError, NotFound
from models.rules.national import return_progress, working_days_late
from models.rules.rag import overall, rag
from models.rules.vocabulary import AgencyKind, EventKind, Rag, ReturnKind, ReturnProgress, Status
from models.store.actions import write_action
from models.store.decisions import decision_text, latest_decisions
from models.store.reports import get_report, report_due_on
from models.store.returns import list_due, return_contents
from models.store.tables import (
    Action,
    Agency,
    Delivery,
    Event,
    GroupMember,
    NationalResponse,
    Recommendation,
    Return,
)

# --- national responses -------------------------------------------------------------------------------------------


def _recommendation(session: Session, *, report_id: str, number: str) -> Recommendation:
    get_report(session, report_id=report_id)
    rec = session.exec(
        select(Recommendation).where(Recommendation.report_id == report_id, Recommendation.number == number)
    ).first()
    if rec is None:
        raise NotFound(f"{report_id} has no recommendation {number}")
    return rec


def record_national_response(
    session: Session,
    *,
    report_id: str,
    number: str,
    body_id: str,
    response: str,
    by: str,
    now: datetime | None = None,
) -> NationalResponse:
    """A national body's response to a recommendation on behalf of the agencies it speaks for (re-recording replaces
    the text).
    """
    rec = _recommendation(session, report_id=report_id, number=number)
    body = session.get(Agency, body_id)
    if body is None:
        raise NotFound(f"agency {body_id!r} is not registered")
    if body.kind != AgencyKind.NATIONAL_BODY:
        raise ActionedError(f"{body_id} is not a national body ({body.kind})", field="--body")
    if not response.strip():
        raise ActionedError("give the national response's text", field="--response")
    row = session.exec(
        select(NationalResponse).where(
            NationalResponse.recommendation_id == rec.id, NationalResponse.agency_id == body_id
        )
    ).first()
    assert rec.id is not None
    row = row or NationalResponse(
        report_id=report_id, recommendation_id=rec.id, agency_id=body_id, response="", recorded_by=by
    )
    row.response, row.recorded_by, row.recorded_at = response, by, now or datetime.now(UTC)
    session.add(row)
    session.flush()
    return row


def cover(
    session: Session,
    *,
    report_id: str,
    number: str,
    body_id: str,
    agency_ids: list[str] | None,
    by: str,
    now: datetime | None = None,
) -> list[Action]:
    """Point agencies' actions on a recommendation at the national response that covers them (None: every agency with
    an action on it other than the body itself). The agency's return then says so instead of repeating it.
    """
    rec = _recommendation(session, report_id=report_id, number=number)
    national = session.exec(
        select(NationalResponse).where(
            NationalResponse.recommendation_id == rec.id, NationalResponse.agency_id == body_id
        )
    ).first()
    if national is None:
        raise NotFound(
            f"{body_id} has no national response to recommendation {number} of {report_id} "
            "(record it first: actioned national respond)"
        )
    actions = {
        a.agency_id: a
        for a in session.exec(select(Action).where(Action.recommendation_id == rec.id, Action.agency_id != body_id))
    }
    wanted = sorted(actions) if agency_ids is None else agency_ids
    missing = [a for a in wanted if a not in actions]
    if missing:
        raise NotFound(f"{missing[0]} has no action on recommendation {number} of {report_id}")
    now = now or datetime.now(UTC)
    changed = []
    for agency_id in wanted:
        action = actions[agency_id]
        if action.national_response_id == national.id:
            continue
        event = Event(
            action_id=action.id or 0,
            actor=by,
            kind=EventKind.NATIONAL_RESPONSE,
            to_value=body_id,
            note=f"Covered by the national response of {body_id}",
        )
        changed.append(
            write_action(
                session,
                action=action,
                values={"national_response_id": national.id},
                events=[event],
                expected_version=None,
                now=now,
            )
        )
    return changed


# --- the returns accepted -----------------------------------------------------------------------------------------


def accepted_returns(session: Session, *, report_id: str) -> list[Return]:
    """The latest accepted round of each agency's progress return on the report (accepted: the return address's server
    took it), in agency order.
    """
    latest: dict[str, Return] = {}
    for row in session.exec(
        select(Return)
        .where(
            Return.report_id == report_id,
            Return.kind == ReturnKind.PROGRESS.value,
            col(Return.submitted_at).is_not(None),
        )
        .order_by(col(Return.round))
    ):
        latest[row.agency_id] = row
    return [latest[a] for a in sorted(latest)]


def addressed(session: Session, *, report_id: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """(recommendation number -> the agencies it landed on, agency id -> name), from the report's actions."""
    numbers: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for number, agency_id, name in session.exec(
        select(Recommendation.number, Action.agency_id, Agency.name)
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .join(Agency, col(Agency.id) == Action.agency_id)
        .where(Action.report_id == report_id)
    ):
        numbers[number].append(agency_id)
        names[agency_id] = name
    return dict(numbers), names


def decisions_by_number(session: Session, *, report_id: str) -> dict[tuple[str, str], str]:
    """(agency, recommendation number) -> the inspectorate's latest decision in words, for a report."""
    pairs = {
        action_id: (agency_id, number)
        for action_id, agency_id, number in session.exec(
            select(Action.id, Action.agency_id, Recommendation.number)
            .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
            .where(Action.report_id == report_id)
        )
        if action_id is not None
    }
    out = {}
    for action_id, row in latest_decisions(session, action_ids=list(pairs)).items():
        text = decision_text(row)
        if text:
            out[pairs[action_id]] = text
    return out


def accepted_day(row: Return) -> date | None:
    """The day a return counts as accepted: the as-of day of the run that sent it (the real clock's day when that was
    not recorded), or None while the server has not accepted it.
    """
    if row.submitted_at is None:
        return None
    return row.queued_on or london_day(row.submitted_at)


# --- where every agency's return stands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyStanding:
    """One addressed agency on the national page: its return's state, lateness, RAG of its actions, chaser trail."""

    agency_id: str
    agency_name: str
    kind: str
    progress: ReturnProgress
    days_late: int
    rag: dict[Rag, int]
    worst: Rag
    actions: int
    missing: tuple[str, ...]
    trail: tuple[tuple[datetime, str, str, str], ...]
    """(when, what, to whom, its delivery state), newest first."""
    accepted_at: datetime | None


def standings(session: Session, *, report_id: str, today: date, holidays: Set[date]) -> list[AgencyStanding]:
    """Every agency the report is addressed to, with where its progress return stands today (in a few queries)."""
    report = get_report(session, report_id=report_id)
    due_on = report_due_on(report)
    checks = {c.agency_id: c for c in list_due(session, today=today, report_id=report_id)}
    contents = return_contents(session, report_id=report_id, today=today, agency_ids=list(checks))
    agencies = {a.id: a for a in session.exec(select(Agency).where(col(Agency.id).in_(list(checks))))}
    rows: dict[str, Return] = {}
    for r in session.exec(
        select(Return)
        .where(Return.report_id == report_id, Return.kind == ReturnKind.PROGRESS.value)
        .order_by(col(Return.round))
    ):
        rows[r.agency_id] = r
    rags: dict[str, dict[Rag, int]] = defaultdict(lambda: dict.fromkeys(Rag, 0))
    action_agency: dict[int, str] = {}
    for action_id, agency_id, status, due, last in session.execute(
        sa_select(
            col(Action.id), col(Action.agency_id), col(Action.status), col(Action.due_on), col(Action.last_event_at)
        ).where(col(Action.report_id) == report_id)
    ).all():
        rags[agency_id][rag(Status(status), due, london_day(last), today)] += 1
        if action_id is not None:
            action_agency[action_id] = agency_id
    trails: dict[str, list[tuple[datetime, str, str, str]]] = defaultdict(list)
    return_agency = {r.id: r.agency_id for r in rows.values()}
    missing_prefix = f"return-missing:{report_id}:"
    for d in session.exec(
        select(Delivery).where(
            col(Delivery.action_id).in_(list(action_agency))
            | col(Delivery.return_id).in_(list(return_agency))
            | col(Delivery.key).startswith(missing_prefix)
        )
    ):
        agency_id = (
            action_agency.get(d.action_id or -1)
            or return_agency.get(d.return_id or -1)
            or (d.key.removeprefix(missing_prefix).split(":", 1)[0] if d.key.startswith(missing_prefix) else None)
        )
        if agency_id is None:
            continue
        what = d.stage or d.kind
        trails[agency_id].append((d.sent_at or d.created_at, what, d.recipient, d.status))
    out = []
    for agency_id, check in checks.items():
        row, content, agency = rows.get(agency_id), contents[agency_id], agencies[agency_id]
        accepted = row.submitted_at if row else None
        counts = rags[agency_id]
        worst = overall(r for r, n in counts.items() if n) or Rag.GREEN
        trail = tuple(sorted({(t[0], t[1], t[2], t[3]) for t in trails[agency_id]}, reverse=True))
        out.append(
            AgencyStanding(
                agency_id=agency_id,
                agency_name=agency.name,
                kind=agency.kind,
                progress=return_progress(
                    responses=sum(1 for r in content.rows if r.has_response),
                    missing=len(check.missing),
                    on_hold=bool(row and row.on_hold),
                    send_as_is=bool(row and row.send_as_is_by),
                    queued=bool(row and row.delivery_id),
                    accepted=accepted is not None,
                ),
                days_late=working_days_late(
                    due_on=due_on,
                    today=today,
                    accepted_on=accepted_day(row) if row else None,
                    holidays=holidays,
                ),
                rag=counts,
                worst=worst,
                actions=sum(counts.values()),
                missing=check.missing,
                trail=trail,
                accepted_at=accepted,
            )
        )
    return sorted(out, key=lambda s: (s.agency_name.casefold(), s.agency_id))


# --- who sees what, and the national responses as the pages show them ----------------------------------------------


def group_memberships(session: Session) -> dict[str, frozenset[str]]:
    """Agency id -> the register's groups it belongs to (what a national coordinator's ``agency_groups`` match)."""
    found: dict[str, set[str]] = defaultdict(set)
    for group_id, agency_id in session.exec(select(GroupMember.group_id, GroupMember.agency_id)):
        found[agency_id].add(group_id)
    return {agency_id: frozenset(groups) for agency_id, groups in found.items()}


@dataclass(frozen=True)
class NationalAnswer:
    """A national body's response to one recommendation, and the agencies whose actions point to it."""

    id: int
    number: str
    body_id: str
    body_name: str
    response: str
    recorded_by: str
    recorded_at: datetime
    covered: tuple[tuple[str, str], ...]
    """(agency id, name) of every agency it covers, by name."""


def national_answers(session: Session, *, report_id: str) -> list[NationalAnswer]:
    """The national responses recorded on a report, in the report's order, each with the agencies it covers."""
    covered: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for response_id, agency_id, name in session.exec(
        select(Action.national_response_id, Action.agency_id, Agency.name)
        .join(Agency, col(Agency.id) == Action.agency_id)
        .where(Action.report_id == report_id, col(Action.national_response_id).is_not(None))
    ):
        covered[response_id or 0].append((agency_id, name))
    out = []
    for row, rec, body in session.exec(
        select(NationalResponse, Recommendation, Agency)
        .join(Recommendation, col(Recommendation.id) == NationalResponse.recommendation_id)
        .join(Agency, col(Agency.id) == NationalResponse.agency_id)
        .where(NationalResponse.report_id == report_id)
        .order_by(col(Recommendation.position), col(Agency.name))
    ):
        assert row.id is not None
        out.append(
            NationalAnswer(
                id=row.id,
                number=rec.number,
                body_id=body.id,
                body_name=body.name,
                response=row.response,
                recorded_by=row.recorded_by,
                recorded_at=row.recorded_at,
                covered=tuple(sorted(covered[row.id], key=lambda pair: pair[1].casefold())),
            )
        )
    return out
