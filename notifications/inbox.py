r"""Reading the return address's mailbox over IMAP: each new message is matched to the return it answers (by
In-Reply-To / References against the Message-IDs returns went with) and kept in the agency's return history.

Configured by ACTIONED_IMAP_URL: ``imap://user:password@host:port/MAILBOX`` (``imaps://`` for TLS; the mailbox
defaults to INBOX). Messages are read without marking them (BODY.PEEK), recorded and committed, and only then marked
\\Seen: a crash in between reads them again, and the unique Message-ID keeps each reply once.
"""

import contextlib
import email
import email.policy
import imaplib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from urllib.parse import unquote, urlsplit

from models.rules.errors import ActionedError
from models.store.db import session_scope
from models.store.replies import record_reply


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    mailbox: str = "INBOX"
    tls: bool = False


def mailbox_from_url(url: str) -> Mailbox:
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ActionedError("expected imap://user:password@host:port/MAILBOX (or imaps://)", field="ACTIONED_IMAP_URL")
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if parts.scheme == "imaps" else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
        tls=parts.scheme == "imaps",
    )


def configured_mailbox() -> Mailbox:
    url = os.environ.get("ACTIONED_IMAP_URL")
    if not url:
        raise ActionedError("set ACTIONED_IMAP_URL to the return address's mailbox", field="ACTIONED_IMAP_URL")
    return mailbox_from_url(url)


@dataclass
class Received:
    """What one reading of the mailbox found."""

    recorded: list[int] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    """Message-IDs (or subjects) of messages that answer no return we sent: left for a person to read."""


def _answers(message: EmailMessage) -> list[str]:
    found = [str(message.get("In-Reply-To") or "").strip()]
    found += str(message.get("References") or "").split()
    return [m for m in found if m]


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain", "html"))
    return body.get_content() if body is not None else ""


def _when(message: EmailMessage) -> datetime:
    try:
        when = parsedate_to_datetime(str(message.get("Date")))
    except (TypeError, ValueError):
        return datetime.now(UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def record_message(raw: bytes) -> int | None:
    """Record one message (its own transaction); the reply's id, or None when it answers no return."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    message_id = str(message.get("Message-ID") or "").strip()
    if not message_id:
        return None
    with session_scope() as session:
        reply = record_reply(
            session,
            message_id=message_id,
            answers=_answers(message),
            from_address=parseaddr(str(message.get("From") or ""))[1],
            subject=str(message.get("Subject") or ""),
            text=_text(message),
            received_at=_when(message),
        )
        return reply.id if reply else None


def _connect(box: Mailbox) -> imaplib.IMAP4:
    client = imaplib.IMAP4_SSL(box.host, box.port) if box.tls else imaplib.IMAP4(box.host, box.port)
    client.login(box.user, box.password)
    return client


def receive(box: Mailbox) -> Received:
    """Read the mailbox's unseen messages; record those that answer a return; mark every one read afterwards."""
    received = Received()
    client = _connect(box)
    try:
        client.select(box.mailbox)
        _, data = client.uid("SEARCH", "UNSEEN")
        for uid in (data[0] or b"").decode().split():
            _, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if raw is None:
                continue
            reply_id = record_message(raw)
            if reply_id is None:
                received.unmatched.append(uid)
            else:
                received.recorded.append(reply_id)
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return received
