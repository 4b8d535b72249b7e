"""Receiving returns by email: a reply to a sent return, delivered to a real IMAP server (Debian's dovecot on
127.0.0.1), is matched to its return by In-Reply-To / References and kept in the agency's return history; a message
that answers no return is left; reading the mailbox again records nothing twice.
"""

from email.message import EmailMessage
from pathlib import Path

import pytest

from flows.receive_replies import read_mailbox
from models.store.db import session_scope
from models.store.replies import replies_to
from models.store.returns import current_return
from models.store.tables import Delivery
from notifications.inbox import mailbox_from_url, receive
from tests.national import imap_server
from tests.national.conftest import DUE, submit


def reply(message_id: str, *, in_reply_to: str | None, references: str | None = None, text: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Policing Super-complaints <policesupercomplaint@hmicfrs.example.org>"
    message["To"] = "morgan.hale@wiltshire-police.example"
    message["Subject"] = "RE: Progress update: Wiltshire Police"
    message["Message-ID"] = message_id
    message["Date"] = "Fri, 18 Jun 2021 09:30:00 +0100"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(text)
    return message.as_bytes()


def test_a_reply_to_a_return_is_kept_in_the_agencys_return_history(
    answered, smtp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    submit(DUE)
    with session_scope() as session:
        row = current_return(session, report_id="safe-to-share", agency_id="wiltshire-police")
        assert row is not None
        assert row.delivery_id is not None
        delivery = session.get(Delivery, row.delivery_id)
        assert delivery is not None
        sent_id, return_id = delivery.message_id, row.id
    assert sent_id
    with imap_server.running() as server:
        server.append(reply("<r1@hmicfrs.example.org>", in_reply_to=sent_id, text="Received with thanks."))
        server.append(
            reply(
                "<r2@hmicfrs.example.org>",
                in_reply_to="<elsewhere@x.test>",
                references=f"<a@x.test> {sent_id}",
                text="A second answer, threaded by References.",
            )
        )
        server.append(reply("<r3@hmicfrs.example.org>", in_reply_to=None, text="An unrelated message."))
        found = receive(mailbox_from_url(server.url))
        assert len(found.recorded) == 2
        assert len(found.unmatched) == 1
        # Everything read is marked read: a second reading finds nothing new.
        again = receive(mailbox_from_url(server.url))
        assert again.recorded == []
        assert again.unmatched == []
        # The flow's task reads the configured mailbox: a late reply, recorded once even if delivered twice.
        late = reply("<r4@hmicfrs.example.org>", in_reply_to=sent_id, text="Following up.")
        server.append(late)
        server.append(late)
        monkeypatch.setenv("ACTIONED_IMAP_URL", server.url)
        result = read_mailbox.fn()
    assert len(result["recorded"]) == 2
    assert len(set(result["recorded"])) == 1
    with session_scope() as session:
        history = replies_to(session, report_id="safe-to-share", agency_id="wiltshire-police")
    assert [(r.message_id, r.return_id, r.in_reply_to) for r in history] == [
        ("<r1@hmicfrs.example.org>", return_id, sent_id),
        ("<r2@hmicfrs.example.org>", return_id, sent_id),
        ("<r4@hmicfrs.example.org>", return_id, sent_id),
    ]
    assert history[0].text.strip() == "Received with thanks."
    assert history[0].from_address == "policesupercomplaint@hmicfrs.example.org"


def test_receive_without_a_mailbox_is_one_clear_line(db, cli_in_process, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ACTIONED_IMAP_URL", raising=False)
    result = cli_in_process("national", "receive")
    assert result.code == 1
    assert result.stderr.strip() == (
        "actioned: error: ACTIONED_IMAP_URL: set ACTIONED_IMAP_URL to the return address's mailbox"
    )
    monkeypatch.setenv("ACTIONED_IMAP_URL", "http://not-imap.test/")
    result = cli_in_process("national", "receive")
    assert result.code == 1
    assert "expected imap://user:password@host:port/MAILBOX" in result.stderr
