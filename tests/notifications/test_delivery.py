"""The generic delivery API: decide and log once, send once, mark; outbox, SMTP, sandbox, failures and retries."""

import email
import email.policy
import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import col, select

from models.rules.errors import ActionedError
from models.settings import Settings
from models.store.db import session_scope
from models.store.tables import Delivery
from notifications.delivery import MAX_ATTEMPTS, Attachment, Outgoing, dispatch, enqueue
from notifications.transport import parse_smtp_url
from tests.conftest import SmtpSink

NOW = datetime(2021, 5, 20, 8, 0, tzinfo=UTC)


def outgoing(key: str = "signoff:1:1", **overrides: object) -> Outgoing:
    values: dict[str, object] = {
        "key": key,
        "kind": "signoff",
        "to": "sam.carter@wiltshire-police.example",
        "subject": "Please sign off recommendation 5",
        "text": "Plain text body",
        "html": "<p>HTML body</p>",
        "cc": ["priya.shah@wiltshire-police.example"],
        "attachments": [Attachment("deadline.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")],
    }
    values.update(overrides)
    return Outgoing(**values)  # type: ignore[arg-type]


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert part is not None
    return str(part.get_content())


def rows() -> list[Delivery]:
    with session_scope() as session:
        return list(session.exec(select(Delivery).order_by(col(Delivery.id))))


def test_enqueue_logs_once_per_key(db: Settings) -> None:
    with session_scope() as session:
        first = enqueue(session, outgoing(), now=NOW)
        again = enqueue(session, outgoing(subject="changed"), now=NOW)
    assert first is not None
    assert again is None
    (row,) = rows()
    assert (row.status, row.recipient, row.subject, row.attempts) == ("pending", outgoing().to, outgoing().subject, 0)


def test_an_enqueue_rolled_back_decided_nothing(db: Settings) -> None:
    def decide_then_fail() -> None:
        with session_scope() as session:
            enqueue(session, outgoing(), now=NOW)
            raise RuntimeError("the caller failed after deciding")

    with pytest.raises(RuntimeError):
        decide_then_fail()
    assert rows() == []


def test_dispatch_sends_over_smtp_once_with_a_message_id_from_the_key(db: Settings, smtp: SmtpSink) -> None:
    with session_scope() as session:
        enqueue(session, outgoing(), now=NOW)
    report = dispatch(now=NOW)
    assert [d.key for d in report.sent] == ["signoff:1:1"]
    assert dispatch(now=NOW + timedelta(days=1)).sent == []
    (message,) = smtp.messages
    assert message["To"] == "sam.carter@wiltshire-police.example"
    assert message["Cc"] == "priya.shah@wiltshire-police.example"
    assert message["Subject"] == "Please sign off recommendation 5"
    assert message["Message-ID"] == "<signoff.1.1@localhost>"
    assert body(message, "plain").strip() == "Plain text body"
    assert body(message, "html").strip() == "<p>HTML body</p>"
    (ics,) = list(message.iter_attachments())
    assert (ics.get_filename(), ics.get_content_type()) == ("deadline.ics", "text/calendar")
    envelope = smtp.envelopes[0]
    assert sorted(envelope.rcpt_tos) == ["priya.shah@wiltshire-police.example", "sam.carter@wiltshire-police.example"]
    (row,) = rows()
    assert (row.status, row.message_id, row.sent_at, row.attempts) == ("sent", "<signoff.1.1@localhost>", NOW, 1)


def test_without_smtp_each_message_is_an_eml_file_in_the_outbox(db: Settings) -> None:
    with session_scope() as session:
        enqueue(session, outgoing(), now=NOW)
    (sent,) = dispatch(now=NOW).sent
    assert sent.path is not None
    path = Path(sent.path)
    assert path.parent == db.outbox
    assert "signoff" in path.name
    assert "sam.carter@wiltshire-police.example" in path.name
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["Message-ID"] == "<signoff.1.1@localhost>"
    assert message["To"] == "sam.carter@wiltshire-police.example"


LONG_SUBJECT = "OFFICIAL: Safe to share?: escalation, 3 actions overdue since 17 June 2021"


def test_a_long_subject_arrives_as_written_over_smtp_and_in_the_outbox(db: Settings, smtp: SmtpSink) -> None:
    """Folded at 78 characters, Python breaks this subject straight after "Subject:" and readers show a leading
    space; headers are folded only past RFC 5322's 998.
    """
    with session_scope() as session:
        enqueue(session, outgoing(subject=LONG_SUBJECT), now=NOW)
    dispatch(now=NOW)
    (message,) = smtp.messages
    assert message["Subject"] == LONG_SUBJECT
    assert f"Subject: {LONG_SUBJECT}\r\n".encode() in smtp.envelopes[0].content


def test_a_long_subject_is_written_whole_to_the_outbox(db: Settings) -> None:
    with session_scope() as session:
        enqueue(session, outgoing(subject=LONG_SUBJECT), now=NOW)
    (sent,) = dispatch(now=NOW).sent
    assert sent.path is not None
    message = email.message_from_bytes(Path(sent.path).read_bytes(), policy=email.policy.default)
    assert message["Subject"] == LONG_SUBJECT


def test_the_sandbox_redirects_every_message_and_keeps_the_real_recipients(
    db: Settings, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIONED_SANDBOX_TO", "sandbox@example.org")
    with session_scope() as session:
        enqueue(session, outgoing(), now=NOW)
    dispatch(now=NOW)
    (message,) = smtp.messages
    assert message["To"] == "sandbox@example.org"
    assert message["Cc"] is None
    assert message["X-Actioned-Original-To"] == "sam.carter@wiltshire-police.example"
    assert message["X-Actioned-Original-Cc"] == "priya.shah@wiltshire-police.example"
    assert smtp.envelopes[0].rcpt_tos == ["sandbox@example.org"]


def test_smtp_down_marks_failed_with_the_reason_and_a_later_dispatch_delivers(db: Settings, smtp: SmtpSink) -> None:
    with session_scope() as session:
        enqueue(session, outgoing("a:1"), now=NOW)
        enqueue(session, outgoing("a:2"), now=NOW)
    smtp.stop()
    report = dispatch(now=NOW)
    assert not report.ok
    assert [d.key for d in report.failed] == ["a:1"]
    assert report.deferred == ["a:2"]
    failed = rows()[0]
    assert failed.status == "failed"
    assert "unreachable" in (failed.last_error or "")
    assert failed.next_attempt_at == NOW + timedelta(minutes=5)
    smtp.start()
    later = dispatch(now=NOW + timedelta(minutes=10))
    assert later.ok
    ids = sorted(m["Message-ID"] for m in smtp.messages)
    assert ids == ["<a.1@localhost>", "<a.2@localhost>"]
    assert {r.status for r in rows()} == {"sent"}


def test_retries_back_off_and_give_up_after_the_last_attempt(db: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONED_SMTP_URL", "smtp://127.0.0.1:9")  # the discard port: nothing listens
    with session_scope() as session:
        enqueue(session, outgoing(), now=NOW)
    at = NOW
    waits = []
    for _ in range(MAX_ATTEMPTS):
        (failed,) = dispatch(now=at).failed
        (row,) = rows()
        if row.next_attempt_at is None:
            break
        waits.append(row.next_attempt_at - at)
        assert dispatch(now=row.next_attempt_at - timedelta(seconds=1)).failed == []  # not due yet
        at = row.next_attempt_at
    assert waits == [timedelta(minutes=5 * 2**i) for i in range(MAX_ATTEMPTS - 1)]
    assert failed.gave_up
    (row,) = rows()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    assert dispatch(now=at + timedelta(days=30)).failed == []


def test_two_dispatchers_at_once_send_each_message_once(db: Settings, smtp: SmtpSink) -> None:
    with session_scope() as session:
        for i in range(20):
            enqueue(session, outgoing(f"race:{i}"), now=NOW)
    threads = [threading.Thread(target=dispatch, kwargs={"now": NOW}) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [m["Message-ID"] for m in smtp.messages]
    assert sorted(ids) == sorted({f"<race.{i}@localhost>" for i in range(20)})


def test_a_row_abandoned_while_sending_goes_again_after_its_lease(db: Settings, smtp: SmtpSink) -> None:
    with session_scope() as session:
        enqueue(session, outgoing(), now=NOW)
        row = session.exec(select(Delivery)).one()
        row.status, row.claimed_at, row.attempts = "sending", NOW, 1  # a dispatcher died mid-send
    assert dispatch(now=NOW + timedelta(minutes=1)).sent == []
    assert [d.key for d in dispatch(now=NOW + timedelta(hours=1)).sent] == ["signoff:1:1"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, "plain", None, None)),
        ("smtp://mail.example.org:587?mode=starttls", ("mail.example.org", 587, "starttls", None, None)),
        ("smtps://u%40x:p%3Ass@mail.example.org", ("mail.example.org", 465, "tls", "u@x", "p:ss")),
        ("smtp://user:pw@mail.example.org?mode=starttls", ("mail.example.org", 587, "starttls", "user", "pw")),
    ],
)
def test_smtp_urls(url: str, expected: tuple[object, ...]) -> None:
    server = parse_smtp_url(url)
    assert (server.host, server.port, server.security, server.username, server.password) == expected


@pytest.mark.parametrize("url", ["http://x", "smtp://", "smtp://h:port", "smtp://h?mode=weird"])
def test_a_bad_smtp_url_is_one_clear_error(url: str) -> None:
    with pytest.raises(ActionedError, match="ACTIONED_SMTP_URL"):
        parse_smtp_url(url)
