"""Section 55 comments in the database: which bodies owe them on which report, the date a body sets for its force's
chief officer, and each body's state for the reminders. The rules are ``models.rules.s55``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from models.rules.errors import NotFound
from models.rules.returns import comments_due
from models.rules.s55 import S55Error, S55State, bodies_owing, check_chief_date, chief_due
from models.rules.vocabulary import AgencyKind, ContactRole, ReturnKind
from models.store.tables import Action, Agency, ChiefCommentsDate, Contact, Report, Return, ReturnComments


def local_bodies(session: Session) -> dict[str, str | None]:
    """Every local policing body -> the force it oversees."""
    rows = session.exec(select(Agency.id, Agency.oversees).where(Agency.kind == AgencyKind.LOCAL_POLICING_BODY))
    return dict(rows.all())


def check_bodies(session: Session, *, listed: Sequence[str]) -> None:
    """A definition's ``comments.bodies``, checked against the register (one line naming the first unknown)."""
    bodies_owing(required=True, about=None, listed=listed, addressed=(), bodies=local_bodies(session))


def owing(session: Session, *, report: Report, bodies: dict[str, str | None] | None = None) -> list[str]:
    """The local policing bodies that owe comments on ``report``."""
    addressed = set(session.exec(select(Action.agency_id).where(Action.report_id == report.id).distinct()).all())
    return bodies_owing(
        required=report.comments_required,
        about=report.about,
        listed=report.comments_bodies,
        addressed=addressed,
        bodies=local_bodies(session) if bodies is None else bodies,
    )


def _owed(session: Session, report_id: str, body_id: str) -> tuple[Report, Agency]:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"report {report_id!r} is not registered", field="report")
    body = session.get(Agency, body_id)
    if body is None:
        raise NotFound(f"agency {body_id!r} is not registered", field="agency")
    if body_id not in owing(session, report=report):
        raise S55Error(f"{body.name} owes no s.55 comments on {report_id!r}", field="agency")
    return report, body


BODY_ROLES = (
    ContactRole.LIAISON_OFFICER,
    ContactRole.PORTFOLIO_LEAD,
    ContactRole.CHIEF_OFFICER,
    ContactRole.PCC_CONTACT,
)
"""Who sets the chief officer's date for a body: its liaison officer, portfolio lead or chief officer (the PCC), or
the force's PCC contact (the person at the PCC's office the force deals with)."""


def may_set_date(session: Session, *, body: Agency, email: str) -> bool:
    rows = session.exec(select(Contact.agency_id, Contact.role).where(Contact.email == email.strip())).all()
    return any(
        (agency == body.id and role in BODY_ROLES) or (agency == body.oversees and role == ContactRole.PCC_CONTACT)
        for agency, role in rows
    )


def set_chief_date(
    session: Session, *, report_id: str, body_id: str, due_on: date, by: str, now: datetime | None = None
) -> ChiefCommentsDate:
    """The date by which the body asks its force's chief officer for comments; set by the body's PCC contact or
    liaison officer. Setting it again restarts the chief officer's reminders from the new date.
    """
    now = now or datetime.now(UTC)
    report, body = _owed(session, report_id, body_id)
    if not may_set_date(session, body=body, email=by):
        raise S55Error(f"{by} speaks for neither {body.name} nor its office (PCC contact)", field="by")
    body_due = comments_due(report.published_on, report.comments_convention)
    try:
        check_chief_date(due_on, published_on=report.published_on, body_due=body_due)
    except S55Error as exc:
        raise exc.concerning(f"{body_id} on {report_id}") from None
    row = session.get(ChiefCommentsDate, (report_id, body_id))
    if row is None:
        row = ChiefCommentsDate(report_id=report_id, agency_id=body_id, due_on=due_on, set_by=by, set_at=now)
    else:
        row.due_on, row.round, row.set_by, row.set_at = due_on, row.round + 1, by, now
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class BodyComments:
    """One body's s.55 comments on one report, for the reminders."""

    report: Report
    body: Agency
    force_id: str | None
    state: S55State
    round: int


def states(session: Session, *, report_id: str | None = None) -> list[BodyComments]:
    """Every (report, body) that owes comments, with its dates and what has been recorded."""
    query = select(Report).where(col(Report.comments_required)).order_by(col(Report.id))
    if report_id is not None:
        query = query.where(Report.id == report_id)
    bodies = local_bodies(session)
    found: list[BodyComments] = []
    for report in session.exec(query).all():
        owed = owing(session, report=report, bodies=bodies)
        if not owed:
            continue
        body_due = comments_due(report.published_on, report.comments_convention)
        agencies = {a.id: a for a in session.exec(select(Agency).where(col(Agency.id).in_(owed)))}
        forces = {bodies[b] for b in owed if bodies[b]}
        comments = {
            c.agency_id: c
            for c in session.exec(
                select(ReturnComments).where(
                    ReturnComments.report_id == report.id, col(ReturnComments.agency_id).in_([*owed, *forces])
                )
            )
        }
        dates = {
            d.agency_id: d
            for d in session.exec(select(ChiefCommentsDate).where(ChiefCommentsDate.report_id == report.id))
        }
        sent = set(
            session.exec(
                select(Return.agency_id).where(
                    Return.report_id == report.id,
                    Return.kind == ReturnKind.COMMENTS.value,
                    col(Return.submitted_at).is_not(None),
                )
            ).all()
        )
        for body_id in owed:
            force = bodies[body_id]
            own, of_force, set_on = comments.get(body_id), comments.get(force or ""), dates.get(body_id)
            chief_text = (own.chief_officer if own else None) or (of_force.chief_officer if of_force else None)
            state = S55State(
                published_on=report.published_on,
                body_due=body_due,
                chief_by=chief_due(
                    body_due=body_due, published_on=report.published_on, set_on=set_on.due_on if set_on else None
                ),
                chief_done=bool(chief_text and chief_text.strip()),
                body_done=bool(own and own.lpb_comments and own.lpb_comments.strip()) or body_id in sent,
            )
            found.append(BodyComments(report, agencies[body_id], force, state, set_on.round if set_on else 0))
    return found
