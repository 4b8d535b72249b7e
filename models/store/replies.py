"""Repository functions for replies to returns: each reply read from the return address's mailbox is matched to the
return it answers (its In-Reply-To or References name the Message-ID the return went with) and kept in that agency's
return history. Keyword-only; each takes the session.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.store.tables import Delivery, Return, ReturnReply


def matching_return(session: Session, *, message_ids: Sequence[str]) -> tuple[Return, str] | None:
    """The return whose delivery went with one of ``message_ids`` (In-Reply-To first, then References), and that id."""
    wanted = [m.strip() for m in message_ids if m and m.strip()]
    if not wanted:
        return None
    found = {
        d.message_id: d.return_id
        for d in session.exec(
            select(Delivery).where(col(Delivery.message_id).in_(wanted), col(Delivery.return_id).is_not(None))
        )
    }
    for message_id in wanted:
        return_id = found.get(message_id)
        if return_id is not None:
            row = session.get(Return, return_id)
            if row is not None:
                return row, message_id
    return None


def record_reply(
    session: Session,
    *,
    message_id: str,
    answers: Sequence[str],
    from_address: str,
    subject: str,
    text: str,
    received_at: datetime,
) -> ReturnReply | None:
    """Keep a reply in its return's history; None when it answers no return we sent. Recording the same message twice
    keeps the first (its Message-ID is unique), so reading a mailbox again is safe.
    """
    existing = session.exec(select(ReturnReply).where(ReturnReply.message_id == message_id)).first()
    if existing is not None:
        return existing
    match = matching_return(session, message_ids=answers)
    if match is None:
        return None
    row, answered = match
    assert row.id is not None
    reply = ReturnReply(
        return_id=row.id,
        message_id=message_id,
        in_reply_to=answered,
        from_address=from_address,
        subject=subject,
        text=text,
        received_at=received_at,
    )
    session.add(reply)
    session.flush()
    return reply


def replies_to(session: Session, *, report_id: str, agency_id: str) -> list[ReturnReply]:
    """Every reply to the agency's returns on a report, oldest first: the return history's answers."""
    return list(
        session.exec(
            select(ReturnReply)
            .join(Return, col(Return.id) == ReturnReply.return_id)
            .where(Return.report_id == report_id, Return.agency_id == agency_id)
            .order_by(col(ReturnReply.received_at), col(ReturnReply.id))
        )
    )
