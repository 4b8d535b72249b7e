"""The delivery log and the sender: every message is decided, logged, then sent, then marked.

The protocol, for reminders, sign-off requests and returns alike:

1. **Decide and log** (:func:`enqueue`, inside the caller's transaction): one ``deliveries`` row per decision, under a
   unique key ("reminder:42:1:before-14", "signoff:42:3", "return:7"), holding the whole rendered message. A key that
   was decided before is not written again, so deciding twice (a rerun, two schedulers) is harmless. Nothing has been
   sent when the transaction commits; if it rolls back, nothing was decided.
2. **Claim** (:func:`dispatch`): a conditional UPDATE moves one row from ``pending`` (or ``failed`` whose retry is due)
   to ``sending`` and commits. Only one dispatcher can win that UPDATE, so two running at once never send one message
   twice.
3. **Send**: SMTP, or an .eml file in the outbox folder when no SMTP server is configured; extra Apprise channels get
   their own row (key + "#channels") so a failing Teams hook never makes an email go twice.
4. **Mark**: ``sent`` with its Message-ID and time, or ``failed`` with the reason, the attempt count and when to retry
   (back-off doubling from five minutes; after :data:`MAX_ATTEMPTS`, or at once for a permanent refusal, it gives up:
   ``failed`` with no retry time). Rows that went inside a digest (``batch`` = the digest's key) follow it.

After a crash: rows decided but never claimed are still ``pending`` and go on the next dispatch; rows marked ``sent``
never go again. The one window left is between the SMTP server accepting a message and the ``sent`` mark committing: a
row left ``sending`` is retried once its claim is :data:`CLAIM_LEASE` old, and goes with the same Message-ID (derived
from its key), so the receiving side can recognise the repeat. Nothing is ever lost; a repeat is possible only there.
"""

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.settings import Settings, load_settings
from models.store.db import session_scope
from models.store.tables import Delivery
from notifications.transport import (
    DeliveryFailed,
    SmtpServer,
    build_email,
    message_id_for,
    outbox_name,
    parse_smtp_url,
    send_apprise,
    send_smtp,
    write_outbox,
)

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=5)
CLAIM_LEASE = timedelta(minutes=15)
"""A row left ``sending`` this long belongs to a dispatcher that died: it may be claimed again."""

CHANNELS_SUFFIX = "#channels"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Outgoing:
    key: str  # unique per decision, e.g. "signoff:42:3", "return:7", "reminder:42:1:due-14"
    kind: str  # reminder | chaser | escalation | nudge | digest | signoff | signoff-rejected | return | return-missing
    to: str
    subject: str
    text: str
    html: str | None = None
    cc: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    action_id: int | None = None
    return_id: int | None = None
    apprise_urls: list[str] = field(default_factory=list)  # extra channels (Teams, Slack)
    stage: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    """Who it is from and whom to answer: see ``notifications.headers``."""


@dataclass(frozen=True)
class Dispatched:
    """What happened to one row in a dispatch."""

    id: int
    key: str
    kind: str
    status: str  # sent | failed
    message_id: str | None = None
    error: str | None = None
    gave_up: bool = False
    path: str | None = None  # the .eml file, when written to the outbox


@dataclass
class DispatchReport:
    sent: list[Dispatched] = field(default_factory=list)
    failed: list[Dispatched] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    """Keys not attempted this time because the SMTP server was unreachable: still pending, they go next time."""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.deferred


# --- decide and log -----------------------------------------------------------------------------------------------


def _message_payload(outgoing: Outgoing, *, channels_only: bool = False) -> dict[str, Any]:
    return {
        "to": outgoing.to,
        "cc": list(outgoing.cc),
        "subject": outgoing.subject,
        "text": outgoing.text,
        "html": outgoing.html,
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type, "data": base64.b64encode(a.data).decode()}
            for a in outgoing.attachments
        ],
        "apprise_urls": list(outgoing.apprise_urls) if channels_only else [],
        "headers": dict(outgoing.headers),
    }


def insert_new(session: Session, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert delivery rows whose key is new; rows whose key exists are left alone. Returns the new rows' ids."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = make(Delivery).values(list(rows)).on_conflict_do_nothing(index_elements=["key"])
    return list(session.execute(statement.returning(col(Delivery.id))).scalars())


def enqueue(
    session: Session, outgoing: Outgoing, *, now: datetime, carries: Sequence[int] = (), batch: str | None = None
) -> int | None:
    """Decide and log: insert a pending delivery (unique key) holding everything needed to send it later;
    returns its id, or None when that key was decided before (nothing written).

    ``carries``: ids of rows (one per action and stage) that this message carries as a digest; they take its key as
    their ``batch`` and follow its status when it is sent or fails. Extra ``apprise_urls`` get a row of their own.
    """
    base = {
        "kind": outgoing.kind,
        "stage": outgoing.stage,
        "action_id": outgoing.action_id,
        "return_id": outgoing.return_id,
        "recipient": outgoing.to,
        "cc": list(outgoing.cc),
        "status": "pending",
        "attempts": 0,
        "subject": outgoing.subject,
        "batch": batch,
        "created_at": now,
    }
    ids = insert_new(
        session, [{**base, "key": outgoing.key, "channel": "email", "message": _message_payload(outgoing)}]
    )
    if not ids:
        return None
    if outgoing.apprise_urls:
        channels = {
            **base,
            "key": outgoing.key + CHANNELS_SUFFIX,
            "channel": "apprise",
            "cc": [],
            "message": _message_payload(outgoing, channels_only=True),
            "batch": outgoing.key,
        }
        insert_new(session, [channels])
    if carries:
        session.execute(
            update(Delivery)
            .where(col(Delivery.id).in_(list(carries)), col(Delivery.batch).is_(None))
            .values(batch=outgoing.key)
        )
    return ids[0]


# --- claim, send, mark --------------------------------------------------------------------------------------------


def _claimable(now: datetime) -> Any:
    return and_(
        col(Delivery.message).is_not(None),
        or_(
            col(Delivery.status) == "pending",
            and_(col(Delivery.status) == "failed", col(Delivery.next_attempt_at) <= now),
            and_(col(Delivery.status) == "sending", col(Delivery.claimed_at) <= now - CLAIM_LEASE),
        ),
    )


def _claim(row_id: int, now: datetime) -> bool:
    """Take the row for this dispatcher, or learn that another one has it (a conditional UPDATE, committed)."""
    with session_scope() as session:
        result = session.execute(
            update(Delivery)
            .where(and_(col(Delivery.id) == row_id, _claimable(now)))
            .values(status="sending", claimed_at=now, attempts=col(Delivery.attempts) + 1)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _retry_at(attempts: int, now: datetime, *, transient: bool) -> datetime | None:
    """When to try again: 5, 10, 20, 40 minutes...; never after MAX_ATTEMPTS or a permanent refusal."""
    if not transient or attempts >= MAX_ATTEMPTS:
        return None
    wait: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return now + wait


def _mark(row: Delivery, *, values: dict[str, Any]) -> None:
    """Mark the row and the rows it carried (its digest items), in one transaction."""
    with session_scope() as session:
        session.execute(update(Delivery).where(col(Delivery.id) == row.id).values(**values))
        follow = {k: v for k, v in values.items() if k in ("status", "sent_at", "message_id", "last_error")}
        follow["attempts"] = row.attempts
        session.execute(
            update(Delivery)
            .where(col(Delivery.batch) == row.key, col(Delivery.message).is_(None), col(Delivery.status) != "skipped")
            .values(**follow)
        )


def _attachments(message: dict[str, Any]) -> list[tuple[str, str, bytes]]:
    return [(a["filename"], a["content_type"], base64.b64decode(a["data"])) for a in message.get("attachments", [])]


def _send(row: Delivery, settings: Settings, server: SmtpServer | None, now: datetime) -> tuple[str | None, str | None]:
    """Send one claimed row; returns (Message-ID, outbox path). Raises DeliveryFailed."""
    message = row.message or {}
    if row.channel == "apprise":
        send_apprise(list(message.get("apprise_urls", [])), title=message["subject"], body=message["text"])
        return None, None
    envelope = build_email(
        key=row.key,
        to=message["to"],
        cc=list(message.get("cc", [])),
        subject=message["subject"],
        text=message["text"],
        html=message.get("html"),
        attachments=_attachments(message),
        mail_from=settings.mail_from,
        sandbox_to=settings.sandbox_to,
        date=now,
        headers=dict(message.get("headers", {})),
    )
    message_id = message_id_for(row.key, settings.mail_from)
    if server is None:
        name = outbox_name(created=row.created_at, kind=row.kind, to=message["to"], key=row.key)
        return message_id, str(write_outbox(settings.outbox, name, envelope))
    send_smtp(server, envelope, mail_from=settings.mail_from)
    return message_id, None


def dispatch(
    *,
    now: datetime | None = None,
    keys: Sequence[str] | None = None,
    after_each: Callable[[Dispatched], None] | None = None,
) -> DispatchReport:
    """Send the pending deliveries (and failed ones whose retry is due), each claimed atomically first (a conditional
    UPDATE, so two concurrent dispatchers never send one twice), marking each sent (Message-ID, sent_at) or failed
    (attempts, last_error, next_attempt_at with back-off, give up after N attempts). Opens its own sessions.

    ``keys`` limits it to those deliveries (and their extra channels). ``after_each`` is called after each row is
    marked (progress output; tests use it to kill the process at a chosen point).
    """
    now = now or datetime.now(UTC)
    settings = load_settings()
    server = parse_smtp_url(settings.smtp_url) if settings.smtp_url else None
    with session_scope() as session:
        query = select(Delivery.id, Delivery.key).where(_claimable(now)).order_by(col(Delivery.id))
        if keys is not None:
            wanted = list(keys) + [k + CHANNELS_SUFFIX for k in keys]
            query = query.where(col(Delivery.key).in_(wanted))
        candidates = [(int(i), k) for i, k in session.exec(query).all() if i is not None]
    report = DispatchReport()
    smtp_down: str | None = None
    for row_id, key in candidates:
        if smtp_down is not None and not key.endswith(CHANNELS_SUFFIX):
            report.deferred.append(key)
            continue
        if not _claim(row_id, now):
            continue
        with session_scope() as session:
            row = session.get(Delivery, row_id)
            assert row is not None
            session.expunge(row)
        try:
            message_id, path = _send(row, settings, server, now)
        except DeliveryFailed as exc:
            retry = _retry_at(row.attempts, now, transient=exc.transient)
            error = str(exc)[:2000]
            _mark(row, values={"status": "failed", "last_error": error, "next_attempt_at": retry, "claimed_at": None})
            done = Dispatched(row_id, key, row.kind, "failed", error=error, gave_up=retry is None)
            report.failed.append(done)
            if exc.transient and row.channel == "email" and "unreachable" in error:
                smtp_down = error
        else:
            _mark(
                row,
                values={
                    "status": "sent",
                    "sent_at": now,
                    "message_id": message_id,
                    "last_error": None,
                    "next_attempt_at": None,
                },
            )
            done = Dispatched(row_id, key, row.kind, "sent", message_id=message_id, path=path)
            report.sent.append(done)
        if after_each is not None:
            after_each(done)
    return report


def pending_count(session: Session) -> int:
    """Deliveries still to go (pending, or failed with a retry to come)."""
    rows = session.exec(
        select(Delivery.id).where(
            col(Delivery.message).is_not(None),
            or_(
                col(Delivery.status).in_(["pending", "sending"]),
                and_(col(Delivery.status) == "failed", col(Delivery.next_attempt_at).is_not(None)),
            ),
        )
    ).all()
    return len(rows)
