"""Telling a person when a message was refused for good: "the liaison officer is told it bounced".

When a recipient's server refuses a message permanently (a 5xx), or still defers it after the last attempt, the
agency's liaison officer is sent a notice naming the message, the address and the server's reply, copied to its chief
officers (for a return, which then has *not* been submitted, the chief officers always). The notice is a delivery like
any other, keyed by the refused message and address, so it is decided once however often the sweep runs; a notice that
is itself refused is only logged (no notices about notices).
"""

from datetime import datetime

from sqlmodel import Session, col, select

from models.rules.vocabulary import ContactRole
from models.store.db import session_scope
from models.store.register import contacts_of
from models.store.tables import Action, Agency, Delivery, Report, Return
from notifications.delivery import Outgoing, enqueue
from notifications.pages import agency_register_page, agency_return_page
from notifications.render import make_message, marking

REFUSED_KIND = "delivery-refused"


def _about(session: Session, row: Delivery) -> tuple[str | None, str | None]:
    """(agency, report) the message was about: its return, its action, or the first action its digest carried."""
    if row.return_id is not None:
        found = session.get(Return, row.return_id)
        return (found.agency_id, found.report_id) if found else (None, None)
    action_id = row.action_id
    if action_id is None:
        action_id = session.exec(
            select(Delivery.action_id).where(Delivery.batch == row.key, col(Delivery.action_id).is_not(None)).limit(1)
        ).first()
    action = session.get(Action, action_id) if action_id is not None else None
    return (action.agency_id, action.report_id) if action else (None, None)


def _unmarked(subject: str) -> str:
    """The refused message's subject without its protective marking (the notice's own subject carries one)."""
    prefix = f"{marking()}: "
    return subject.removeprefix(prefix) if marking() else subject


def refusal_notices(session: Session, row: Delivery, refused: dict[str, str]) -> list[Outgoing]:
    """One notice per refused address, to the agency's liaison officer (copied to its chief officers); none when
    the message was itself such a notice or concerns no agency, or nobody else is on record to tell.
    """
    if row.kind == REFUSED_KIND:
        return []
    agency_id, report_id = _about(session, row)
    if agency_id is None:
        return []
    agency = session.get(Agency, agency_id)
    report = session.get(Report, report_id) if report_id else None
    liaison = contacts_of(session, agency_id=agency_id, role=ContactRole.LIAISON_OFFICER)
    chiefs = contacts_of(session, agency_id=agency_id, role=ContactRole.CHIEF_OFFICER)
    notices = []
    for address, reply in refused.items():
        people = [c for c in [*liaison[:1], *chiefs] if c.email != address]
        if not people:
            continue
        to, cc = people[0], sorted({c.email for c in people[1:]} - {people[0].email})
        rendered = make_message(
            REFUSED_KIND,
            {
                "recipient_name": to.name,
                "agency_name": agency.name if agency else agency_id,
                "agency_id": agency_id,
                "report_id": report.id if report else "",
                "subject": _unmarked(row.subject or row.key),
                "address": address,
                "reply": reply,
                "is_return": row.return_id is not None and address == row.recipient,
                "return_page": agency_return_page(agency_id=agency_id, report_id=report.id if report else ""),
                "register_page": agency_register_page(agency_id=agency_id),
            },
        )
        notices.append(
            Outgoing(
                key=f"refused:{row.key}:{address}",
                kind=REFUSED_KIND,
                to=to.email,
                cc=cc,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                return_id=row.return_id,
                agency_id=agency_id,
                report_id=report_id,
            )
        )
    return notices


def tell_refused(delivery_id: int, refused: dict[str, str], *, now: datetime) -> list[str]:
    """Decide and log the notices about ``refused`` (address -> the server's reply); their keys, to send."""
    with session_scope() as session:
        row = session.get(Delivery, delivery_id)
        if row is None:
            return []
        keys = []
        for notice in refusal_notices(session, row, refused):
            enqueue(session, notice, now=now)
            keys.append(notice.key)
        return keys
