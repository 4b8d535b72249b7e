"""Submitting returns: decide what goes today, log each message in the delivery log, and record what was sent.

Deciding and logging happen in the caller's transaction (``enqueue``: a unique key per return round, so a rerun decides
nothing twice); sending is ``notifications.delivery.dispatch``, which opens its own sessions. Once a round is logged its
document is frozen, so the attachment that goes is the document kept, byte for byte.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models.bank_holidays import around
from models.rules.returns import comments_reminder, missing_notice_due
from models.rules.vocabulary import ReturnDecision, ReturnKind
from models.rules.working_days import is_working_day
from models.store.register import contacts_of
from models.store.reports import get_report
from models.store.returns import CHIEF_OFFICER, LIAISON, PCC_CONTACT, DueCheck, get_return, list_due, mark_submitted
from models.store.returns import mark_queued as _mark_queued
from models.store.tables import Agency, Delivery, Report, Return
from notifications.delivery import Attachment, Outgoing, enqueue
from notifications.documents.compile import Compiled, compile_returns
from notifications.documents.render import DOCX_CONTENT_TYPE
from notifications.headers import for_owner, for_return
from notifications.pages import agency_report_page
from notifications.render import make_message, uk_date


def return_key(compiled: Compiled | Return) -> str:
    """The delivery key of a return round, and so its Message-ID: what the message is (report, agency, kind and
    round; one send per round), never a table's row id.
    """
    return f"return:{compiled.report_id}:{compiled.agency_id}:{ReturnKind(compiled.kind).value}:r{compiled.round}"


def missing_key(check: DueCheck, today: date) -> str:
    return f"return-missing:{check.report_id}:{check.agency_id}:{check.kind.value}:{today.isoformat()}"


@dataclass
class Queued:
    """What one submit run decided: the delivery keys to send and a line per decision for the summary."""

    keys: list[str] = field(default_factory=list)
    return_ids: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    artifacts: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def _unique(items: Iterable[str | None], *, skip: Iterable[str] = ()) -> list[str]:
    seen = set(skip)
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def _recipients(session: Session, compiled: Compiled) -> tuple[str | None, list[str]]:
    """(to, cc): the report's return address (or the s.55 recipients), copied to the liaison officer and PCC contact."""
    report = get_report(session, report_id=compiled.report_id)
    liaison = [c.email for c in contacts_of(session, agency_id=compiled.agency_id, role=LIAISON)][:1]
    pcc = [c.email for c in contacts_of(session, agency_id=compiled.agency_id, role=PCC_CONTACT)]
    if compiled.kind is ReturnKind.COMMENTS:
        targets = list(report.comments_recipients)
        to = targets[0] if targets else None
        return to, _unique([*targets[1:], *liaison, *pcc], skip=[to] if to else [])
    to = report.return_address
    return to, _unique([*liaison, *pcc], skip=[to] if to else [])


def submission(session: Session, compiled: Compiled, row: Return) -> Outgoing | str:
    """The message that carries a return, or why it cannot go (no address to send it to)."""
    to, cc = _recipients(session, compiled)
    if to is None:
        what = "comments_recipients" if compiled.kind is ReturnKind.COMMENTS else "return_address"
        return f"{compiled.report_id} has no {what}: {compiled.agency_id}'s return cannot be sent"
    content = compiled.content
    filename = f"{compiled.stem}.docx"
    values = {
        "kind": compiled.kind.value,
        "agency_name": content.agency_name,
        "report_title": content.report_title,
        "round": compiled.round,
        "rows": [
            {"number": r.number, "status_label": r.status.label, "has_response": r.has_response} for r in content.rows
        ],
        "sha256": hashlib.sha256(compiled.document).hexdigest(),
        "send_as_is": row.send_as_is_by,
        "filename": filename,
        "liaison": (
            {"name": content.liaison.name, "role": content.liaison.role, "email": content.liaison.email}
            if content.liaison
            else None
        ),
    }
    message = make_message("return", values)
    subject, text, html = message.subject, message.text, message.html
    return Outgoing(
        key=return_key(compiled),
        kind="return",
        to=to,
        cc=cc,
        subject=subject,
        text=text,
        html=html,
        attachments=[Attachment(filename, DOCX_CONTENT_TYPE, compiled.document)],
        return_id=compiled.return_id,
        headers=for_return(content.agency_name, content.liaison.email if content.liaison else None),
    )


def queue_returns(
    session: Session,
    *,
    report_id: str,
    agency_ids: list[str],
    today: date,
    now: datetime,
    kind: str | ReturnKind = ReturnKind.PROGRESS,
) -> Queued:
    """Compile the given agencies' returns (they are due and may go) and log one delivery per round."""
    queued = Queued()
    for compiled in compile_returns(session, report_id=report_id, today=today, agency_ids=agency_ids, kind=kind):
        row = get_return(session, return_id=compiled.return_id)
        queued.artifacts[compiled.agency_id] = _artifact(compiled)
        if row.delivery_id is not None:
            queued.keys.append(return_key(compiled))
            queued.return_ids.append(compiled.return_id)
            continue
        message = submission(session, compiled, row)
        if isinstance(message, str):
            queued.lines.append(message)
            continue
        delivery_id = enqueue(session, message, now=now)
        if delivery_id is None:  # decided before (a rerun): find the row that was
            found = session.exec(select(Delivery.id).where(Delivery.key == message.key)).one()
            assert found is not None
            delivery_id = found
        _mark_queued(session, return_id=compiled.return_id, delivery_id=delivery_id, today=today)
        queued.keys.append(message.key)
        queued.return_ids.append(compiled.return_id)
        queued.lines.append(f"return {compiled.stem} queued to {message.to} (cc {', '.join(message.cc) or 'nobody'})")
    return queued


def _artifact(compiled: Compiled) -> list[dict[str, str]]:
    from models.rules.returns import artifact_rows

    return artifact_rows(compiled.content)


@dataclass(frozen=True)
class _ToLiaison:
    """A notice about one agency's return: to its first liaison officer, copied to its chief officers."""

    to: str
    cc: list[str]
    recipient_name: str
    report: Report
    agency: Agency

    def notice(
        self,
        kind: str,
        key: str,
        more: dict[str, Any],
        *,
        now: datetime,
        return_id: int | None = None,
        stage: str | None = None,
    ) -> Outgoing:
        """The notice ``kind``, rendered from the templates of that name: they are given the recipient, agency and
        report, and ``more``.
        """
        values = {
            "recipient_name": self.recipient_name,
            "agency_name": self.agency.name,
            "agency_id": self.agency.id,
            "report_id": self.report.id,
            "report_title": self.report.title,
            "url": agency_report_page(agency_id=self.agency.id, report_id=self.report.id, now=now),
            **more,
        }
        message = make_message(kind, values)
        subject, text, html = message.subject, message.text, message.html
        return Outgoing(
            key=key,
            kind=kind,
            to=self.to,
            cc=self.cc,
            subject=subject,
            text=text,
            html=html,
            return_id=return_id,
            stage=stage,
            headers=for_owner(self.agency.name, None),
        )


def _to_liaison(session: Session, check: DueCheck) -> _ToLiaison | None:
    """Who a notice about ``check``'s return goes to; None when the agency has no liaison officer on record."""
    liaison = contacts_of(session, agency_id=check.agency_id, role=LIAISON)
    if not liaison:
        return None
    chiefs = [c.email for c in contacts_of(session, agency_id=check.agency_id, role=CHIEF_OFFICER)]
    report = get_report(session, report_id=check.report_id)
    agency = session.get(Agency, check.agency_id)
    assert agency is not None
    return _ToLiaison(
        to=liaison[0].email,
        cc=_unique(chiefs, skip=[liaison[0].email]),
        recipient_name=liaison[0].name,
        report=report,
        agency=agency,
    )


def queue_missing_notices(session: Session, *, checks: Iterable[DueCheck], today: date, now: datetime) -> Queued:
    """Each working day from the due date, tell the liaison officer and chief officer exactly what is missing."""
    queued = Queued()
    holidays = around(today)
    for check in checks:
        if check.decision is not ReturnDecision.MISSING:
            continue
        if not missing_notice_due(today=today, due_on=check.due_on, holidays=holidays):
            continue
        to = _to_liaison(session, check)
        if to is None:
            continue
        key = missing_key(check, today)
        outgoing = to.notice(
            "return-missing",
            key,
            {
                "kind": check.kind.value,
                "due_on": uk_date(check.due_on, ""),
                "missing": list(check.missing),
            },
            now=now,
            return_id=check.return_id,
        )
        if enqueue(session, outgoing, now=now) is not None:
            queued.lines.append(f"{check.agency_id}: {len(check.missing)} missing from its return, told {outgoing.to}")
        queued.keys.append(key)
    return queued


def queue_comments_reminders(
    session: Session, *, today: date, now: datetime, checks: Iterable[DueCheck] | None = None
) -> Queued:
    """Remind local policing bodies that owe s.55 comments, on the days before the deadline. ``checks``: the run's
    due list (computed once); without it, worked out here.
    """
    queued = Queued()
    if checks is None:
        checks = list_due(session, today=today, kind=ReturnKind.COMMENTS)
    for check in checks:
        if check.kind is not ReturnKind.COMMENTS:
            continue
        if check.due_on is None or check.decision in (
            ReturnDecision.SENT,
            ReturnDecision.SENDING,
            ReturnDecision.NOT_DELIVERED,
        ):
            continue
        days_left = comments_reminder(today=today, due_on=check.due_on)
        if days_left is None:
            continue
        to = _to_liaison(session, check)
        if to is None:
            continue
        key = f"comments-reminder:{to.report.id}:{to.agency.id}:{days_left}"
        outgoing = to.notice(
            "comments-reminder",
            key,
            {
                "due_on": uk_date(check.due_on),
                "days_left": days_left,
                "missing": [m for m in check.missing if "liaison officer" not in m],
            },
            now=now,
            stage=f"before-{days_left}",
        )
        if enqueue(session, outgoing, now=now) is not None:
            queued.lines.append(f"{to.agency.id}: s.55 comments due in {days_left} days, reminded {outgoing.to}")
        queued.keys.append(key)
    return queued


def unsent_return_keys(session: Session) -> list[str]:
    """Return rounds logged for sending and not yet accepted by the return address: a rerun after a crash or an
    outage sends them (the delivery log knows which recipients still need them).
    """
    keys = session.exec(
        select(Delivery.key)
        .join(Return, col(Return.delivery_id) == col(Delivery.id))
        .where(col(Return.submitted_at).is_(None))
    ).all()
    return list(keys)


def record_sent(session: Session) -> list[int]:
    """Record a return round as submitted once its main recipient, the return address, accepted it (the delivery's
    ``sent_at``), whatever its copies did: a refused or deferred cc never holds a delivered return back. The ids of
    the rounds newly submitted.
    """
    rows = session.exec(
        select(Return, Delivery.sent_at)
        .join(Delivery, col(Delivery.id) == Return.delivery_id)
        .where(col(Return.submitted_at).is_(None), col(Delivery.sent_at).is_not(None))
    ).all()
    done = []
    for row, sent_at in rows:
        assert row.id is not None
        assert sent_at is not None
        mark_submitted(session, return_id=row.id, sent_at=sent_at)
        done.append(row.id)
    return done


def working_day(today: date) -> bool:
    return is_working_day(today, around(today))
