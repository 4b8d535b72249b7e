"""Section 55 comments: the force's chief officer asked first (then reminded towards the date the body set), and the
body's PCC contact reminded towards the body's own deadline, on the reminder ladder; decided, logged, then sent like
every other message. Whom and when is ``models.rules.s55.due_today``; this module finds the people and renders.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from models.bank_holidays import around
from models.rules.s55 import ASKED, CHIEF_OFFICER, PCC_CONTACT, due_today
from models.rules.vocabulary import UNFINISHED_DELIVERY, ContactRole
from models.store.s55 import BodyComments, states
from models.store.sweep import default_ladder
from models.store.tables import Agency, Contact, Delivery
from notifications.delivery import Outgoing, enqueue
from notifications.pages import agency_report_page
from notifications.reminders import stage_label
from notifications.render import make_message, uk_date

KIND = "s55-request"


@dataclass
class QueuedS55:
    keys: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _prefix(item: BodyComments, role: str) -> str:
    """``s55:<report>:<body>:chief_officer.<round>:`` (a new date restarts the chief officer's ladder) or
    ``s55:<report>:<body>:pcc_contact:``.
    """
    who = f"{CHIEF_OFFICER}.{item.round}" if role == CHIEF_OFFICER else PCC_CONTACT
    return f"s55:{item.report.id}:{item.body.id}:{who}:"


def _sent(session: Session, item: BodyComments) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for role in (CHIEF_OFFICER, PCC_CONTACT):
        prefix = _prefix(item, role)
        keys = session.exec(select(Delivery.key).where(col(Delivery.key).startswith(prefix))).all()
        found |= {(role, key.removeprefix(prefix)) for key in keys}
    return found


def _contact(session: Session, agency_id: str | None, role: ContactRole) -> Contact | None:
    if agency_id is None:
        return None
    return session.exec(
        select(Contact).where(Contact.agency_id == agency_id, Contact.role == role.value).order_by(col(Contact.id))
    ).first()


def queue_s55(session: Session, *, today: date, now: datetime, report_id: str | None = None) -> QueuedS55:
    """Decide and log today's s.55 messages for every body that owes comments; the keys to send."""
    queued = QueuedS55()
    holidays = around(today)
    ladder = default_ladder()
    for item in states(session, report_id=report_id):
        for role, stage in due_today(
            item.state, today=today, sent=_sent(session, item), ladder=ladder, holidays=holidays
        ):
            chief = role == CHIEF_OFFICER
            where = item.force_id if chief else item.body.id
            if chief:
                person = _contact(session, item.force_id, ContactRole.CHIEF_OFFICER)
            else:  # the force's contact at the PCC's office, else the body's liaison officer
                person = _contact(session, item.force_id, ContactRole.PCC_CONTACT) or _contact(
                    session, item.body.id, ContactRole.LIAISON_OFFICER
                )
            if person is None:
                queued.lines.append(f"{item.body.id}: s.55 {role.replace('_', ' ')} not on record; nobody told")
                continue
            force = session.get(Agency, item.force_id) if item.force_id else None
            due_on = item.state.chief_by if chief else item.state.body_due
            context = {
                "recipient_name": person.name,
                "role": role,
                "asked": stage.name == ASKED,
                "report_title": item.report.title,
                "body_name": item.body.name,
                "force_name": force.name if force else "the force",
                "due_on": uk_date(due_on),
                "body_due": uk_date(item.state.body_due),
                "stage_label": stage_label(stage.name, (due_on - today).days, 0) if stage.name != ASKED else "asked",
                "url": agency_report_page(agency_id=where or item.body.id, report_id=item.report.id, now=now),
            }
            message = make_message(KIND, context)
            outgoing = Outgoing(
                key=_prefix(item, role) + stage.name,
                kind=KIND,
                to=person.email,
                subject=message.subject,
                text=message.text,
                html=message.html,
                stage=stage.name,
            )
            if enqueue(session, outgoing, now=now) is not None:
                queued.lines.append(f"{item.body.id}: s.55 {stage.name}, {role.replace('_', ' ')} {person.email}")
            queued.keys.append(outgoing.key)
    # and any decided before and not yet delivered (the mail server was down, the process died): a rerun sends them
    unsent = session.exec(
        select(Delivery.key).where(col(Delivery.kind) == KIND, col(Delivery.status).in_(sorted(UNFINISHED_DELIVERY)))
    ).all()
    queued.keys = sorted({*queued.keys, *unsent})
    return queued
