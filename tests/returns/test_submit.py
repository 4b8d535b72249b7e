"""Submitting returns to a real SMTP server on 127.0.0.1: exactly once per round, and what is missing, each day.

These call the submit flow's task functions directly (``task.fn``), in the flow's order; one test in
``test_flows.py`` runs the real flows.
"""

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from flows.submit_returns import decide, queue_batch, queue_notices, send, sendable
from models.definitions import ReportDefinition
from models.rules.errors import ActionedError
from models.store.actions import list_actions, record_response, update_action
from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.reports import import_report
from models.store.return_comments import set_return_comments
from models.store.returns import approve, current_return, hold, release, resubmit, send_as_is
from models.store.tables import Return
from tests.returns.conftest import LIAISON

DUE = date(2021, 6, 17)  # "Safe to share?": six months from 17 December 2020; a Thursday
INSPECTORATE = "policesupercomplaint@hmicfrs.gov.uk"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def submit(today: date, now: datetime | None = None) -> dict[str, Any]:
    """The submit flow's tasks as plain calls, in its order; ``now`` is the delivery clock."""
    now = now or datetime.now(UTC)
    checks = decide(today)
    keys: list[str] = []
    for (report_id, kind), agencies in sorted(sendable(checks).items()):
        keys += queue_batch.fn(report_id, kind, agencies, today, now)["keys"]
    keys += queue_notices.fn(checks, today, now)["keys"]
    return send.fn(keys, now)


def returns_to(smtp, address=INSPECTORATE):
    return [m for m in smtp.messages if m["To"] == address]


def the_return(agency="wiltshire-police", report="safe-to-share", kind="progress") -> Return:
    with session_scope() as session:
        row = current_return(session, report_id=report, agency_id=agency, kind=kind)
    assert row is not None
    return row


def attachment(message):
    (part,) = list(message.iter_attachments())
    return part.get_filename(), part.get_content_type(), part.get_content()


def test_the_inspectorate_receives_the_return_once_with_the_document_kept(answered, smtp):
    assert not submit(date(2021, 6, 16))["submitted"]  # not due yet, not everything closed
    assert smtp.messages == []

    result = submit(DUE)

    (message,) = returns_to(smtp)
    assert message["Subject"].strip().startswith("OFFICIAL: Safe to share?: Wiltshire Police, progress update on")
    assert message["Cc"].split(", ") == [LIAISON, "rowan.price@wiltshire-pcc.example"]
    assert message["From"] == "Wiltshire Police via Actioned <actioned@localhost>"
    assert message["Reply-To"] == LIAISON
    assert message["Auto-Submitted"] == "auto-generated"
    filename, content_type, data = attachment(message)
    assert filename == "safe-to-share--wiltshire-police--progress-round-1.docx"
    assert content_type == DOCX
    row = the_return()
    assert row.document is not None
    assert hashlib.sha256(data).hexdigest() == row.sha256 == hashlib.sha256(row.document).hexdigest()
    assert f"SHA-256: {row.sha256}" in message.get_body(("plain",)).get_content()
    assert row.submitted_at is not None
    assert row.delivery_id is not None
    assert row.status == "submitted"
    assert result["submitted"] == [row.id]

    # The other agencies that use the system are told, today, exactly what is missing.
    notices = {m["To"]: m for m in smtp.messages if "return due" in m["Subject"]}
    assert set(notices) == {"casey.brooks@wiltshire-pcc.example", "alex.morgan@avon-somerset-police.example"}
    avon = notices["alex.morgan@avon-somerset-police.example"]
    assert avon["Cc"] == "robin.lane@avon-somerset-police.example"  # the chief officer
    text = avon.get_body(("plain",)).get_content()
    for number in ("1", "4", "5", "8"):
        assert f"recommendation {number}: no response recorded" in text

    count = len(smtp.messages)
    assert not submit(DUE)["submitted"]  # again, the same day: nothing at all
    assert len(smtp.messages) == count


def test_smtp_down_then_back_sends_the_return_once(answered, smtp):
    smtp.stop()
    first = submit(DUE)
    assert not first["submitted"]
    assert any("not sent" in line or "wait" in line for line in first["lines"])
    row = the_return()
    assert row.delivery_id is not None
    assert row.submitted_at is None

    smtp.start()
    later = datetime.now(UTC) + timedelta(minutes=10)  # the retry is due
    assert submit(DUE, later)["submitted"] == [row.id]
    assert len(returns_to(smtp)) == 1
    assert not submit(DUE, later + timedelta(hours=1))["submitted"]
    assert len(returns_to(smtp)) == 1
    (message,) = returns_to(smtp)
    assert hashlib.sha256(attachment(message)[2]).hexdigest() == the_return().sha256


def test_the_missing_notice_goes_each_working_day_until_sent_as_is(answered, smtp):
    avon = "alex.morgan@avon-somerset-police.example"

    def notices():
        return [m for m in smtp.messages if m["To"] == avon]

    submit(DUE)  # Thursday
    submit(date(2021, 6, 18))  # Friday
    submit(date(2021, 6, 19))  # Saturday: none
    submit(date(2021, 6, 20))  # Sunday: none
    assert len(notices()) == 2
    with session_scope() as session:
        send_as_is(session, report_id="safe-to-share", agency_id="avon-and-somerset-police", by=avon)
    submit(date(2021, 6, 21))
    (sent,) = [m for m in returns_to(smtp) if "Avon" in m["Subject"]]
    assert "chose to send this return as it stands" in sent.get_body(("plain",)).get_content()
    assert len(notices()) == 2  # no notice once it has gone
    assert the_return("avon-and-somerset-police").send_as_is_by == avon


def test_a_held_return_waits_until_released(answered, smtp):
    with session_scope() as session:
        hold(session, report_id="safe-to-share", agency_id="wiltshire-police", by=LIAISON, reason="awaiting the PCC")
    submit(DUE)
    assert returns_to(smtp) == []
    with session_scope() as session:
        release(session, report_id="safe-to-share", agency_id="wiltshire-police", by=LIAISON)
    submit(date(2021, 6, 18))
    assert len(returns_to(smtp)) == 1


def close_all(agency: str) -> None:
    with session_scope() as session:
        for row in list_actions(session, report_id="safe-to-share", agency_id=agency):
            assert row.action.id is not None
            update_action(session, action_id=row.action.id, by=LIAISON, status="complete")
            update_action(session, action_id=row.action.id, by=LIAISON, status="complete")


def test_an_early_return_goes_once_everything_is_closed_and_approved(answered, smtp):
    early = date(2021, 3, 1)
    close_all("wiltshire-police")
    submit(early)
    assert returns_to(smtp) == []  # closed, but not approved
    with session_scope() as session:
        approve(session, report_id="safe-to-share", agency_id="wiltshire-police", by=LIAISON)
    submit(early)
    assert len(returns_to(smtp)) == 1
    with session_scope() as session, pytest.raises(ActionedError, match="resubmit"):
        hold(session, report_id="safe-to-share", agency_id="wiltshire-police", by=LIAISON)


def test_a_resubmission_is_a_new_round_only_on_command(answered, smtp):
    submit(DUE)
    with session_scope() as session:
        record_response(
            session, report_id="safe-to-share", agency_id="wiltshire-police", number="8", text="Updated.", by=LIAISON
        )
    submit(date(2021, 6, 18))
    assert len(returns_to(smtp)) == 1  # a changed response does not send the return again
    with session_scope() as session:
        second = resubmit(session, report_id="safe-to-share", agency_id="wiltshire-police", by=LIAISON)
    assert second.round == 2
    submit(date(2021, 6, 18))
    first_sent, resent = returns_to(smtp)
    assert "(resubmission 2)" in resent["Subject"]
    assert attachment(resent)[0].endswith("progress-round-2.docx")
    assert (
        hashlib.sha256(attachment(resent)[2]).hexdigest()
        == the_return().sha256
        != hashlib.sha256(attachment(first_sent)[2]).hexdigest()
    )


COMMENTS_REPORT = {
    "id": "wiltshire-peel",
    "title": "PEEL 2023-25: an inspection of Wiltshire Police",
    "published_on": date(2024, 1, 10),
    "return_address": "returns@hmicfrs.example",
    "return_months": 6,
    "comments": {
        "required": True,
        "convention": "after",
        "recipients": ["s55@hmicfrs.example", "home.secretary@homeoffice.example"],
    },
    "recommendations": [
        {
            "number": "1",
            "addressee": "To chief constables and police and crime commissioners (or equivalents)",
            "text": "Improve how calls for service are answered.",
        }
    ],
}


def test_s55_comments_are_reminded_before_the_deadline_and_sent_to_the_reports_recipients(registered, smtp):
    with session_scope() as session:
        import_report(session, definition=ReportDefinition.model_validate(COMMENTS_REPORT), source="test")
        fan_out(session, report_id="wiltshire-peel")
    # Due 2024-03-06 (56 days after publication, the report's convention): reminded 14 days before.
    submit(date(2024, 2, 21))
    (reminder,) = [m for m in smtp.messages if "section 55 comments due 6 March 2024 (in 14 days)" in m["Subject"]]
    assert reminder["To"] == "casey.brooks@wiltshire-pcc.example"
    assert "6 March 2024" in reminder.get_body(("plain",)).get_content()
    # Only the local policing body owes comments: no comments return for the force.
    with session_scope() as session:
        assert (
            current_return(session, report_id="wiltshire-peel", agency_id="wiltshire-police", kind="comments") is None
        )
        set_return_comments(
            session,
            report_id="wiltshire-peel",
            agency_id="wiltshire-pcc",
            by="t@x.example",
            lpb_comments="We welcome it.",
        )
        set_return_comments(
            session, report_id="wiltshire-peel", agency_id="wiltshire-police", by="t@x.example", chief_officer="Noted."
        )
        record_response(
            session,
            report_id="wiltshire-peel",
            agency_id="wiltshire-police",
            number="1",
            text="A new call centre.",
            by="t@x.example",
        )
        approve(
            session,
            report_id="wiltshire-peel",
            agency_id="wiltshire-pcc",
            by="casey.brooks@wiltshire-pcc.example",
            kind="comments",
        )
    submit(date(2024, 2, 22))
    (sent,) = returns_to(smtp, "s55@hmicfrs.example")
    assert "Police and Crime Commissioner for Wiltshire, section 55 comments" in sent["Subject"]
    assert "home.secretary@homeoffice.example" in sent["Cc"]
    from tests.returns.conftest import read_docx

    doc = read_docx(attachment(sent)[2])
    texts = [p.text for p in doc.paragraphs]
    assert "We welcome it." in texts
    assert "Noted." in texts  # the chief officer's comments, from the force
    assert doc.tables[0].rows[2].cells[1].text == "A new call centre."  # the force's response, where the body has none
