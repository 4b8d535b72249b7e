"""Per-recipient outcomes against a real SMTP server (aiosmtpd on 127.0.0.1) that answers 450 or 550 to chosen
recipients, defers at DATA, drops the connection mid-transaction, or refuses the greeting: each recipient is judged on
its own, retried on the real clock when deferred, and a person is told when one is refused for good.
"""

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from models.rules.vocabulary import ContactRole, DeliveryStatus
from models.settings import Settings
from models.store.db import session_scope
from models.store.register import contacts_of
from models.store.tables import Action, Delivery
from notifications.delivery import MAX_ATTEMPTS, Outgoing, dispatch, enqueue, unfinished
from tests.conftest import SmtpSink

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
OWNER = "owner@wiltshire-police.example"
COPY = "copy@wiltshire-police.example"
OTHER = "other@wiltshire-police.example"


def decide(key: str = "signoff:1:v2", *, to: str = OWNER, cc: tuple[str, ...] = (COPY,), action: bool = True) -> str:
    with session_scope() as session:
        action_id = None
        if action:
            action_id = session.exec(select(Action.id).where(Action.agency_id == "wiltshire-police")).first()
        outgoing = Outgoing(
            key=key, kind="signoff", to=to, cc=list(cc), subject="Sign-off", text="body", action_id=action_id
        )
        enqueue(session, outgoing, now=NOW)
    return key


def row(key: str) -> Delivery:
    with session_scope() as session:
        found = session.exec(select(Delivery).where(Delivery.key == key)).one()
        session.expunge(found)
        return found


def people(role: ContactRole) -> list[str]:
    with session_scope() as session:
        return [c.email for c in contacts_of(session, agency_id="wiltshire-police", role=role)]


def delivered(smtp: SmtpSink) -> Counter[str]:
    """How many times each of the test's addresses was handed a message (accepted at RCPT and DATA); the refusal
    notices to the agency's liaison officer and chief officer are counted apart.
    """
    ours = {OWNER, COPY, OTHER}
    return Counter(a for envelope in smtp.envelopes for a in envelope.rcpt_tos if a in ours)


def test_a_refused_copy_never_fails_the_message_and_the_liaison_officer_is_told(
    assigned: Settings, smtp: SmtpSink
) -> None:
    smtp.answers[COPY] = "550 5.1.1 <copy@wiltshire-police.example>: no such user"
    key = decide()
    report = dispatch(now=NOW)
    sent = row(key)
    assert sent.status == DeliveryStatus.SENT
    assert sent.sent_at == NOW
    assert sent.outcomes is not None
    assert sent.outcomes[OWNER]["state"] == "accepted"
    assert sent.outcomes[COPY]["state"] == "refused"
    assert "550 5.1.1" in sent.outcomes[COPY]["reply"]
    assert delivered(smtp)[OWNER] == 1
    assert delivered(smtp)[COPY] == 0
    # the refusal notice: to the liaison officer, copied to the chief officer, with the server's reply
    (liaison,) = people(ContactRole.LIAISON_OFFICER)
    notice = next(m for m in smtp.messages if "Not delivered to" in str(m["Subject"]))
    assert notice["To"] == liaison
    assert set(people(ContactRole.CHIEF_OFFICER)) <= set(str(notice["Cc"]).split(", "))
    assert "550 5.1.1" in notice.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert [d.key for d in report.sent] == [key, f"refused:{key}:{COPY}"]
    # told once: a later dispatch sends nothing more
    assert dispatch(now=NOW + timedelta(hours=1)).sent == []


def test_a_deferred_copy_is_retried_alone_after_its_back_off_and_gets_its_copy_once(
    assigned: Settings, smtp: SmtpSink
) -> None:
    smtp.answers[COPY] = "450 4.7.1 Greylisted, try again later"
    key = decide()
    first = dispatch(now=NOW)
    partly = row(key)
    assert [d.key for d in first.partly] == [key]
    assert partly.status == DeliveryStatus.PARTLY_SENT
    assert partly.sent_at == NOW  # the main recipient has it
    assert partly.next_attempt_at == NOW + timedelta(minutes=5)
    with session_scope() as session:
        assert unfinished(session, [key]) == {"partly sent": 1}
    assert dispatch(now=NOW + timedelta(minutes=1)).partly == []  # not before its back-off, on the real clock
    del smtp.answers[COPY]
    dispatch(now=NOW + timedelta(minutes=6))
    done = row(key)
    assert done.status == DeliveryStatus.SENT
    assert done.attempts == 2
    assert delivered(smtp) == Counter({OWNER: 1, COPY: 1})
    assert smtp.rcpts.count(OWNER) == 1  # the retry offered the message to the deferred copy only
    ids = {str(m["Message-ID"]) for m in smtp.messages}
    assert ids == {"<signoff.1.v2@localhost>"}  # derived from what the message is: the same on the retry


def test_a_deferred_main_recipient_is_retried_and_the_refused_copy_is_not_offered_again(
    assigned: Settings, smtp: SmtpSink
) -> None:
    smtp.answers[OWNER] = "451 4.3.0 Mailbox busy"
    smtp.answers[COPY] = "550 5.7.1 Relaying denied"
    key = decide(cc=(COPY, OTHER))
    dispatch(now=NOW)
    first = row(key)
    assert first.status == DeliveryStatus.PARTLY_SENT  # OTHER has it; OWNER deferred
    assert first.sent_at is None  # the main recipient does not have it yet
    del smtp.answers[OWNER]
    dispatch(now=NOW + timedelta(minutes=5))
    done = row(key)
    assert done.status == DeliveryStatus.SENT
    assert done.sent_at == NOW + timedelta(minutes=5)
    assert delivered(smtp) == Counter({OWNER: 1, OTHER: 1})
    assert smtp.rcpts.count(COPY) == 1


def test_a_main_recipient_refused_for_good_fails_the_message_and_says_why(assigned: Settings, smtp: SmtpSink) -> None:
    smtp.answers[OWNER] = "550 5.1.1 No such user"
    key = decide(cc=())
    report = dispatch(now=NOW)
    failed = row(key)
    assert failed.status == DeliveryStatus.FAILED
    assert failed.next_attempt_at is None
    assert failed.sent_at is None
    assert "550 5.1.1 No such user" in (failed.last_error or "")
    assert report.failed[0].gave_up
    with session_scope() as session:
        assert unfinished(session, [key]) == {}  # nothing left to try: the run that gave up says so, once
    assert any("Not delivered to" in str(m["Subject"]) for m in smtp.messages)


def test_a_deferral_at_data_is_retried_for_every_recipient(assigned: Settings, smtp: SmtpSink) -> None:
    smtp.data_answer = "451 4.3.0 Queue full"
    key = decide()
    dispatch(now=NOW)
    assert row(key).status == DeliveryStatus.FAILED
    assert row(key).next_attempt_at == NOW + timedelta(minutes=5)
    smtp.data_answer = None
    dispatch(now=NOW + timedelta(minutes=5))
    assert row(key).status == DeliveryStatus.SENT
    assert delivered(smtp) == Counter({OWNER: 1, COPY: 1})


def test_a_server_that_drops_mid_transaction_defers_the_rest_and_the_next_run_sends_each_once(
    assigned: Settings, smtp: SmtpSink
) -> None:
    smtp.drop_at_data = 1
    keys = [decide(f"signoff:{i}:v2") for i in range(1, 4)]
    report = dispatch(now=NOW)
    assert [d.key for d in report.failed] == keys[:1]
    assert report.deferred == keys[1:]  # the server is down: the others wait, untried
    assert not report.ok
    later = dispatch(now=NOW + timedelta(minutes=5))
    assert later.ok
    assert sorted(d.key for d in later.sent) == sorted(keys)
    assert delivered(smtp) == Counter({OWNER: 3, COPY: 3})


def test_deferred_until_the_last_attempt_gives_up_and_tells_the_liaison_officer(
    assigned: Settings, smtp: SmtpSink
) -> None:
    smtp.answers[COPY] = "452 4.2.2 Mailbox full"
    key = decide()
    at = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        dispatch(now=at)
        assert row(key).attempts == attempt
        at += timedelta(hours=3)
    done = row(key)
    assert done.status == DeliveryStatus.SENT  # the owner had it on the first attempt
    assert done.outcomes is not None
    assert done.outcomes[COPY]["state"] == "refused"
    assert done.outcomes[COPY]["reply"].startswith(f"gave up after {MAX_ATTEMPTS} attempts: 452 4.2.2")
    assert delivered(smtp)[OWNER] == 1
    assert sum(1 for m in smtp.messages if "Not delivered to" in str(m["Subject"])) == 1


@pytest.fixture
def busy_server() -> Iterator[int]:
    """A server that answers every connection "421 4.3.2 Service not available" at the greeting, then hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.sendall(b"421 4.3.2 Service not available, try later\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_a_4xx_greeting_is_temporary_and_leaves_the_rest_for_later(
    assigned: Settings, busy_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTIONED_SMTP_URL", f"smtp://127.0.0.1:{busy_server}")
    keys = [decide(f"signoff:{i}:v2") for i in (1, 2)]
    report = dispatch(now=NOW)
    (failed,) = report.failed
    assert failed.key == keys[0]
    assert not failed.gave_up
    assert report.deferred == keys[1:]
    assert "421" in (row(keys[0]).last_error or "")
    assert row(keys[0]).next_attempt_at == NOW + timedelta(minutes=5)
    with session_scope() as session:
        states = {d.status for d in session.exec(select(Delivery).where(col(Delivery.key).in_(keys)))}
    assert states == {DeliveryStatus.FAILED, DeliveryStatus.PENDING}
