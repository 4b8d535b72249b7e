"""Repository functions for returns: keyword-only, each takes the session; the only code that writes ``returns``.

A return is one row per (report, agency, kind, round). Its document is stored as compiled; once it has been handed to
the delivery log (``delivery_id`` set) it is frozen: what was sent is what is kept, hash and all. A new round exists only
through ``resubmit``, an explicit command.
"""

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models.rules.errors import ActionedError, NotFound
from models.rules.returns import (
    ActionInput,
    Person,
    RecommendationInput,
    ReturnContent,
    ReturnState,
    all_closed,
    assemble,
    comments_due,
    decide_return,
    is_due,
)
from models.rules.vocabulary import ContactRole, DeliveryStatus, ReturnDecision, ReturnKind, Status
from models.store.decisions import decision_text, latest_decisions
from models.store.reports import get_report, report_due_on
from models.store.tables import (
    Action,
    Agency,
    Contact,
    Delivery,
    NationalResponse,
    Recommendation,
    Report,
    Return,
    ReturnComments,
)

LIAISON = "liaison_officer"
CHIEF_OFFICER = "chief_officer"
PCC_CONTACT = "pcc_contact"


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _kind(kind: str | ReturnKind) -> ReturnKind:
    try:
        return ReturnKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in ReturnKind)
        raise ActionedError(f"{kind!r} is not a kind of return (expected one of: {known})", field="--kind") from None


# --- reading ------------------------------------------------------------------------------------------------------


def current_return(
    session: Session, *, report_id: str, agency_id: str, kind: str | ReturnKind = ReturnKind.PROGRESS
) -> Return | None:
    """The latest round of an agency's return on a report, or None if there is none yet."""
    return session.exec(
        select(Return)
        .where(Return.report_id == report_id, Return.agency_id == agency_id, Return.kind == _kind(kind).value)
        .order_by(col(Return.round).desc())
        .limit(1)
    ).first()


def get_return(session: Session, *, return_id: int) -> Return:
    row = session.get(Return, return_id)
    if row is None:
        raise NotFound(f"return {return_id} does not exist")
    return row


def _sent(row: Return) -> bool:
    """Handed to the delivery log or recorded as sent: the round is frozen."""
    return row.delivery_id is not None or row.submitted_at is not None


def _saved(session: Session, row: Return) -> Return:
    session.add(row)
    session.flush()
    return row


def _current_or_new(session: Session, *, report_id: str, agency_id: str, kind: ReturnKind) -> Return:
    row = current_return(session, report_id=report_id, agency_id=agency_id, kind=kind)
    if row is None:
        get_report(session, report_id=report_id)
        if session.get(Agency, agency_id) is None:
            raise NotFound(f"agency {agency_id!r} is not registered")
        row = Return(report_id=report_id, agency_id=agency_id, kind=kind.value, round=1)
        session.add(row)
        session.flush()
    return row


def agencies_with_actions(session: Session, *, report_id: str) -> list[str]:
    return list(
        session.exec(
            select(Action.agency_id).where(Action.report_id == report_id).distinct().order_by(col(Action.agency_id))
        )
    )


def _first_contacts(session: Session, *, agency_ids: list[str], role: str) -> dict[str, Contact]:
    rows = session.exec(
        select(Contact).where(col(Contact.agency_id).in_(agency_ids), Contact.role == role).order_by(col(Contact.id))
    )
    first: dict[str, Contact] = {}
    for c in rows:
        first.setdefault(c.agency_id, c)
    return first


def _person(contact: Contact | None) -> Person | None:
    if contact is None:
        return None
    from models.rules.returns import DEFAULT_LIAISON_ROLE

    return Person(name=contact.name, role=contact.title or DEFAULT_LIAISON_ROLE, email=contact.email)


def return_contents(
    session: Session,
    *,
    report_id: str,
    today: date,
    agency_ids: list[str] | None = None,
    kind: str | ReturnKind = ReturnKind.PROGRESS,
) -> dict[str, ReturnContent]:
    """Agency id -> the content of its return, for many agencies in a handful of queries (one per table).

    A progress return holds the agency's own actions. The s.55 comments of a local policing body hold the
    recommendations addressed to the body or to the force it oversees, with the body's response where it has one and
    the force's otherwise; the chief officer's comments come from the force where the body has none of its own.
    """
    kind = _kind(kind)
    report = get_report(session, report_id=report_id)
    agency_ids = agency_ids if agency_ids is not None else agencies_with_actions(session, report_id=report_id)
    agencies = {a.id: a for a in session.exec(select(Agency).where(col(Agency.id).in_(agency_ids)))}
    unknown = [a for a in agency_ids if a not in agencies]
    if unknown:
        raise NotFound(f"agency {unknown[0]!r} is not registered")
    related = {a.oversees for a in agencies.values() if a.oversees} if kind is ReturnKind.COMMENTS else set()
    wanted = sorted(set(agency_ids) | {r for r in related if r})
    recs = [
        RecommendationInput(number=r.number, addressee=r.addressee, text=r.text, position=r.position)
        for r in session.exec(select(Recommendation).where(Recommendation.report_id == report_id))
    ]
    actions: dict[str, dict[str, ActionInput]] = defaultdict(dict)
    query = (
        sa_select(
            col(Action.agency_id),
            col(Recommendation.number),
            col(Action.status),
            col(Action.response),
            col(Action.id),
            col(Agency.name),
        )
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .outerjoin(NationalResponse, col(NationalResponse.id) == Action.national_response_id)
        .outerjoin(Agency, col(Agency.id) == NationalResponse.agency_id)
        .where(col(Action.report_id) == report_id, col(Action.agency_id).in_(wanted))
    )
    found = list(session.execute(query).all())
    decided = latest_decisions(session, action_ids=[row[4] for row in found if row[4] is not None])
    for agency_id, number, status, response, action_id, body in found:
        actions[agency_id][number] = ActionInput(
            number=number,
            status=Status(status),
            response=response,
            covered_by=body,
            inspectorate=decision_text(decided.get(action_id or -1)),
        )
    comments = {
        c.agency_id: c
        for c in session.exec(
            select(ReturnComments).where(
                ReturnComments.report_id == report_id, col(ReturnComments.agency_id).in_(wanted)
            )
        )
    }
    liaisons = _first_contacts(session, agency_ids=list(agency_ids), role=LIAISON)
    leads = _first_contacts(session, agency_ids=list(agency_ids), role=ContactRole.PORTFOLIO_LEAD)
    round_query = (
        select(Return.agency_id, func.max(Return.round))
        .where(Return.report_id == report_id, Return.kind == kind.value, col(Return.agency_id).in_(agency_ids))
        .group_by(col(Return.agency_id))
    )
    rounds: dict[str, int] = {agency_id: n for agency_id, n in session.exec(round_query).all()}  # noqa: C416
    contents: dict[str, ReturnContent] = {}
    for agency_id in agency_ids:
        agency = agencies[agency_id]
        own = comments.get(agency_id)
        mine = actions.get(agency_id, {})
        chief = own.chief_officer if own else None
        if kind is ReturnKind.COMMENTS and agency.oversees:
            force = actions.get(agency.oversees, {})
            mine = {n: _prefer_response(mine.get(n), force.get(n)) for n in {*mine, *force}}
            force_comments = comments.get(agency.oversees)
            if chief is None and force_comments is not None:
                chief = force_comments.chief_officer
        contents[agency_id] = assemble(
            kind=kind,
            today=today,
            report_title=report.title,
            agency_name=agency.name,
            recommendations=recs,
            actions=mine.values(),
            chief_officer=chief,
            portfolio_lead=own.portfolio_lead if own else None,
            pcc=own.pcc if own else None,
            body_comments=own.lpb_comments if own else None,
            liaison=_person(liaisons.get(agency_id)),
            round=rounds.get(agency_id) or 1,
            signer=_person(leads.get(agency_id)),
        )
    return contents


def _prefer_response(body: ActionInput | None, force: ActionInput | None) -> ActionInput:
    if body is not None and body.response and body.response.strip():
        return body
    if force is not None and (body is None or (force.response and force.response.strip())):
        return force
    assert body is not None
    return body


def return_content(
    session: Session, *, report_id: str, agency_id: str, today: date, kind: str | ReturnKind = ReturnKind.PROGRESS
) -> ReturnContent:
    return return_contents(session, report_id=report_id, today=today, agency_ids=[agency_id], kind=kind)[agency_id]


# --- writing ------------------------------------------------------------------------------------------------------


def _keep_document(session: Session, row: Return, *, document: bytes, now: datetime | None) -> bool:
    """Put a freshly compiled document on the round (added to the session, not flushed), unless the round is frozen
    (False: it keeps the document that went).
    """
    if _sent(row):
        return False
    row.document = document
    row.sha256 = hashlib.sha256(document).hexdigest()
    row.compiled_at = _now(now)
    if row.status == "draft":
        row.status = "compiled"
    session.add(row)
    return True


def store_compiled_many(
    session: Session,
    *,
    report_id: str,
    documents: Mapping[str, bytes],
    kind: str | ReturnKind = ReturnKind.PROGRESS,
    now: datetime | None = None,
) -> dict[str, Return]:
    """Keep freshly compiled documents (agency id -> document) on each agency's current round, with their sha256 and
    when they were compiled: the rows, in the order given. A round already handed to the delivery log keeps the
    document that went. One query for the current rounds and one flush for every insert and update, not two or three
    round trips per agency.
    """
    kind = _kind(kind)
    if not documents:
        return {}
    current: dict[str, Return] = {}
    for found in session.exec(
        select(Return)
        .where(Return.report_id == report_id, Return.kind == kind.value, col(Return.agency_id).in_(list(documents)))
        .order_by(col(Return.round))
    ):
        current[found.agency_id] = found  # rounds ascend: the last one kept is the latest
    new = [agency_id for agency_id in documents if agency_id not in current]
    if new:
        get_report(session, report_id=report_id)
        registered = set(session.exec(select(Agency.id).where(col(Agency.id).in_(new))))
        for agency_id in new:
            if agency_id not in registered:
                raise NotFound(f"agency {agency_id!r} is not registered")
    for agency_id, document in documents.items():
        row = current.get(agency_id)
        if row is None:
            row = current[agency_id] = Return(report_id=report_id, agency_id=agency_id, kind=kind.value, round=1)
        _keep_document(session, row, document=document, now=now)
    session.flush()
    return {agency_id: current[agency_id] for agency_id in documents}


def _open_round(session: Session, *, report_id: str, agency_id: str, kind: str | ReturnKind) -> Return:
    row = _current_or_new(session, report_id=report_id, agency_id=agency_id, kind=_kind(kind))
    if _sent(row):
        raise ActionedError(
            f"{agency_id}'s {row.kind} return on {report_id} (round {row.round}) has already been sent: "
            "use `actioned returns resubmit` to start a new round"
        )
    return row


def approve(
    session: Session,
    *,
    report_id: str,
    agency_id: str,
    by: str,
    kind: str | ReturnKind = ReturnKind.PROGRESS,
    now: datetime | None = None,
) -> Return:
    """The liaison officer's approval: with every action closed, it lets the return go early (where allowed)."""
    row = _open_round(session, report_id=report_id, agency_id=agency_id, kind=kind)
    row.approved_by, row.approved_at = by, _now(now)
    return _saved(session, row)


def hold(
    session: Session,
    *,
    report_id: str,
    agency_id: str,
    by: str,
    reason: str | None = None,
    kind: str | ReturnKind = ReturnKind.PROGRESS,
) -> Return:
    """Stop a return from going until it is released; nothing is sent and no notices go while it is held."""
    row = _open_round(session, report_id=report_id, agency_id=agency_id, kind=kind)
    row.on_hold, row.held_by, row.hold_reason = True, by, reason
    return _saved(session, row)


def release(
    session: Session, *, report_id: str, agency_id: str, by: str, kind: str | ReturnKind = ReturnKind.PROGRESS
) -> Return:
    row = _open_round(session, report_id=report_id, agency_id=agency_id, kind=kind)
    if not row.on_hold:
        raise ActionedError(f"{agency_id}'s return on {report_id} is not on hold")
    row.on_hold, row.held_by, row.hold_reason = False, by, None
    return _saved(session, row)


def send_as_is(
    session: Session,
    *,
    report_id: str,
    agency_id: str,
    by: str,
    kind: str | ReturnKind = ReturnKind.PROGRESS,
    now: datetime | None = None,
) -> Return:
    """The liaison officer's explicit choice to send the return with responses missing (recorded: who and when)."""
    row = _open_round(session, report_id=report_id, agency_id=agency_id, kind=kind)
    row.send_as_is_by, row.send_as_is_at = by, _now(now)
    return _saved(session, row)


def resubmit(
    session: Session, *, report_id: str, agency_id: str, by: str, kind: str | ReturnKind = ReturnKind.PROGRESS
) -> Return:
    """Start a new round after a return has been sent: the only way a second return for the same report goes.

    The new round is approved by whoever asked for it (the command is the liaison officer's decision), so it is due at
    once where the first round was.
    """
    current = current_return(session, report_id=report_id, agency_id=agency_id, kind=kind)
    if current is None or not _sent(current):
        raise ActionedError(
            f"{agency_id}'s return on {report_id} has not been sent yet: there is nothing to resubmit "
            "(`actioned returns submit` sends it when it is due)"
        )
    row = Return(
        report_id=report_id,
        agency_id=agency_id,
        kind=current.kind,
        round=current.round + 1,
        approved_by=by,
        approved_at=datetime.now(UTC),
    )
    return _saved(session, row)


def mark_queued(session: Session, *, return_id: int, delivery_id: int, today: date | None = None) -> Return:
    """The delivery that will send this round is decided and logged: from now on the document is frozen."""
    row = get_return(session, return_id=return_id)
    row.delivery_id = delivery_id
    row.queued_on = today
    row.status = "queued"
    return _saved(session, row)


def mark_submitted(session: Session, *, return_id: int, sent_at: datetime) -> Return:
    row = get_return(session, return_id=return_id)
    row.submitted_at = sent_at
    row.status = "submitted"
    return _saved(session, row)


# --- what is due --------------------------------------------------------------------------------------------------


def _refused_deliveries(session: Session, ids: list[int]) -> set[int]:
    """Of these deliveries, the ones that gave up before their main recipient (the return address) accepted them."""
    if not ids:
        return set()
    found = session.exec(
        select(Delivery.id).where(
            col(Delivery.id).in_(ids),
            Delivery.status == DeliveryStatus.FAILED,
            col(Delivery.next_attempt_at).is_(None),
            col(Delivery.sent_at).is_(None),
        )
    ).all()
    return {i for i in found if i is not None}


@dataclass(frozen=True)
class DueCheck:
    """One agency's return on one report, judged for today."""

    report_id: str
    agency_id: str
    kind: ReturnKind
    due_on: date | None
    decision: ReturnDecision
    missing: tuple[str, ...]
    return_id: int | None


def list_due(
    session: Session, *, today: date, report_id: str | None = None, kind: str | ReturnKind = ReturnKind.PROGRESS
) -> list[DueCheck]:
    """Every agency's return on every report (or one), with what the rules decide for it today."""
    kind = _kind(kind)
    reports = [get_report(session, report_id=report_id)] if report_id else list(session.exec(select(Report)))
    checks: list[DueCheck] = []
    for report in sorted(reports, key=lambda r: r.id):
        agency_ids = agencies_with_actions(session, report_id=report.id)
        if kind is ReturnKind.COMMENTS:
            from models.store.s55 import owing  # only the bodies the report concerns (models.rules.s55)

            agency_ids = owing(session, report=report)
            due_on: date | None = comments_due(report.published_on, report.comments_convention)
            early = True
        else:
            due_on, early = report_due_on(report), report.early_returns
        if not agency_ids:
            continue
        contents = return_contents(session, report_id=report.id, today=today, agency_ids=agency_ids, kind=kind)
        statuses: dict[str, list[Status]] = defaultdict(list)
        for agency_id, status in session.exec(
            select(Action.agency_id, Action.status).where(
                Action.report_id == report.id, col(Action.agency_id).in_(agency_ids)
            )
        ):
            statuses[agency_id].append(Status(status))
        rows = {
            r.agency_id: r
            for r in session.exec(
                select(Return)
                .where(Return.report_id == report.id, Return.kind == kind.value)
                .order_by(col(Return.round))
            )
        }
        refused = _refused_deliveries(session, [r.delivery_id for r in rows.values() if r.delivery_id])
        for agency_id in agency_ids:
            content, row = contents[agency_id], rows.get(agency_id)
            closed = all_closed(statuses[agency_id]) or kind is ReturnKind.COMMENTS
            missing_responses = sum(1 for r in content.rows if not r.has_response)
            state = ReturnState(
                due=is_due(
                    today=today,
                    due_on=due_on,
                    early_returns=early,
                    all_closed=closed,
                    approved=bool(row and row.approved_by),
                ),
                submitted=bool(row and row.submitted_at),
                queued=bool(row and row.delivery_id and not row.submitted_at),
                refused=bool(row and not row.submitted_at and row.delivery_id in refused),
                on_hold=bool(row and row.on_hold),
                has_liaison=content.liaison is not None,
                missing_responses=missing_responses
                + (1 if kind is ReturnKind.COMMENTS and content.body_comments is None else 0),
                send_as_is=bool(row and row.send_as_is_by),
            )
            checks.append(
                DueCheck(
                    report_id=report.id,
                    agency_id=agency_id,
                    kind=kind,
                    due_on=due_on,
                    decision=decide_return(state),
                    missing=tuple(content.missing),
                    return_id=row.id if row else None,
                )
            )
    return checks
