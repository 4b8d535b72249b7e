"""The delivery log and the sender: every message is decided, logged, then sent, then judged per recipient.

The protocol, for reminders, sign-off requests and returns alike:

1. **Decide and log** (:func:`enqueue`, inside the caller's transaction): one ``deliveries`` row per decision, under a
   unique key saying what the message is ("reminder:42:1:before-14", "signoff:42:v3",
   "return:safe-to-share:wiltshire-police:progress:r1"), holding the whole rendered message. A key decided before is
   not written again, so deciding twice (a rerun, two schedulers) is harmless.
2. **Claim** (:func:`dispatch`): a conditional UPDATE moves one row from ``pending`` (or ``failed`` / ``partly_sent``
   whose retry is due) to ``sending`` and commits. Only one dispatcher can win it.
3. **Send**: SMTP to the recipients that do not have it yet, or an .eml file in the outbox folder when no SMTP server
   is configured (or ``ACTIONED_OUTBOX_ONLY``); extra Apprise channels get their own row (key + "#channels").
4. **Judge and mark** (:func:`judge`): each recipient's reply is kept in ``outcomes`` (accepted, deferred with a 4xx,
   refused with a 5xx); the row is ``sent``, ``partly_sent`` (retried for the deferred ones), or ``failed`` (with a
   retry time, or for good). ``sent_at`` is when the main recipient accepted it. Back-off doubles from five minutes on
   the real clock; after :data:`MAX_ATTEMPTS` a still-deferred recipient counts as refused. A recipient refused for
   good is reported to the agency's liaison officer (``notifications.refusals``).

After a crash: rows decided but never claimed are still ``pending`` and go on the next dispatch; recipients marked
accepted never get it again. The one window left is between the SMTP server accepting a message and the mark
committing: a row left ``sending`` is retried once its claim is :data:`CLAIM_LEASE` old, and goes with the same
Message-ID (derived from its key), so the receiving side can recognise the repeat. Nothing is lost; a repeat is
possible only there.
"""

import base64
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.rules.vocabulary import UNFINISHED_DELIVERY, DeliveryStatus, label_of
from models.settings import Settings, load_settings
from models.store.db import session_scope
from models.store.tables import Action, Delivery, Return
from notifications.transport import (
    Envelope,
    Reply,
    SmtpServer,
    TransportError,
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
    channel_text: str | None = None
    """What the extra channels are posted: shared rooms, so never the mail's personal signed links (any link left in
    it is taken out at logging, whatever the caller passed)."""
    headers: dict[str, str] = field(default_factory=dict)
    """Who it is from and whom to answer: see ``notifications.headers``."""
    agency_id: str | None = None
    """The agency it is about, for the agency's delivery log, when no one action or return says (worked out else)."""
    report_id: str | None = None


@dataclass(frozen=True)
class Dispatched:
    """What happened to one row in a dispatch."""

    id: int
    key: str
    kind: str
    status: DeliveryStatus  # sent | partly sent | failed
    message_id: str | None = None
    error: str | None = None
    gave_up: bool = False
    path: str | None = None  # the .eml file, when written to the outbox
    accepted: tuple[str, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()  # (address, the server's reply)
    deferred: tuple[str, ...] = ()


@dataclass
class DispatchReport:
    sent: list[Dispatched] = field(default_factory=list)
    partly: list[Dispatched] = field(default_factory=list)
    """Accepted for some recipients, deferred for others: those are retried."""
    failed: list[Dispatched] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    """Keys not attempted this time because the SMTP server was unreachable: still pending, they go next time."""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.deferred and not self.partly


# --- decide and log -----------------------------------------------------------------------------------------------


_LINK = re.compile(r"https?://\S+")


def shareable(text: str) -> str:
    """Text fit for a shared channel: every link taken out (signed links are personal)."""
    return _LINK.sub("[link sent by email]", text)


def _message_payload(outgoing: Outgoing, *, channels_only: bool = False) -> dict[str, Any]:
    return {
        "to": outgoing.to,
        "cc": list(outgoing.cc),
        "subject": outgoing.subject,
        "text": shareable(outgoing.channel_text or outgoing.subject) if channels_only else outgoing.text,
        "html": None if channels_only else outgoing.html,
        "attachments": []
        if channels_only
        else [
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


def about(session: Session, outgoing: Outgoing, carries: Sequence[int] = ()) -> tuple[str | None, str | None]:
    """(agency, report) a message is about, for the agency's delivery log: its action's, its return's, or (a digest)
    the first carried row's.
    """
    if outgoing.agency_id is not None:
        return outgoing.agency_id, outgoing.report_id
    if outgoing.action_id is not None:
        found = session.get(Action, outgoing.action_id)
        return (found.agency_id, found.report_id) if found else (None, None)
    if outgoing.return_id is not None:
        sent = session.get(Return, outgoing.return_id)
        return (sent.agency_id, sent.report_id) if sent else (None, None)
    if carries:
        row = session.exec(
            select(Delivery.agency_id, Delivery.report_id).where(col(Delivery.id) == min(carries))
        ).first()
        return (row[0], row[1]) if row else (None, None)
    return None, None


def enqueue(
    session: Session, outgoing: Outgoing, *, now: datetime, carries: Sequence[int] = (), batch: str | None = None
) -> int | None:
    """Decide and log: insert a pending delivery (unique key) holding everything needed to send it later;
    returns its id, or None when that key was decided before (nothing written).

    ``carries``: ids of rows (one per action and stage) that this message carries as a digest; they take its key as
    their ``batch`` and follow its status when it is sent or fails. Extra ``apprise_urls`` get a row of their own.
    """
    agency_id, report_id = about(session, outgoing, carries)
    base = {
        "kind": outgoing.kind,
        "stage": outgoing.stage,
        "action_id": outgoing.action_id,
        "return_id": outgoing.return_id,
        "agency_id": agency_id,
        "report_id": report_id,
        "recipient": outgoing.to,
        "cc": list(outgoing.cc),
        "status": DeliveryStatus.PENDING,
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

ACCEPTED, DEFERRED, REFUSED = "accepted", "deferred", "refused"
"""A recipient's outcome: the server took it for them; it deferred (4xx, retried); it refused (5xx, or gave up)."""

_RETRYABLE = (DeliveryStatus.FAILED, DeliveryStatus.PARTLY_SENT)


def _claimable(now: datetime) -> Any:
    return and_(
        col(Delivery.message).is_not(None),
        or_(
            col(Delivery.status) == DeliveryStatus.PENDING,
            and_(col(Delivery.status).in_(_RETRYABLE), col(Delivery.next_attempt_at) <= now),
            and_(col(Delivery.status) == DeliveryStatus.SENDING, col(Delivery.claimed_at) <= now - CLAIM_LEASE),
        ),
    )


def _claim(row_id: int, now: datetime) -> bool:
    """Take the row for this dispatcher, or learn that another one has it (a conditional UPDATE, committed)."""
    with session_scope() as session:
        result = session.execute(
            update(Delivery)
            .where(and_(col(Delivery.id) == row_id, _claimable(now)))
            .values(status=DeliveryStatus.SENDING, claimed_at=now, attempts=col(Delivery.attempts) + 1)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _retry_at(attempts: int, now: datetime) -> datetime | None:
    """When to try again: 5, 10, 20, 40 minutes... on the real clock; never after MAX_ATTEMPTS."""
    if attempts >= MAX_ATTEMPTS:
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
            .where(
                col(Delivery.batch) == row.key,
                col(Delivery.message).is_(None),
                col(Delivery.status) != DeliveryStatus.SKIPPED,
            )
            .values(**follow)
        )


def _attachments(message: dict[str, Any]) -> list[tuple[str, str, bytes]]:
    return [(a["filename"], a["content_type"], base64.b64decode(a["data"])) for a in message.get("attachments", [])]


@dataclass(frozen=True)
class _Attempt:
    """One try at a claimed row: who it was for (the first is the main recipient), and what each got."""

    recipients: list[str]
    replies: dict[str, Reply]
    message_id: str | None = None
    path: str | None = None
    error: TransportError | None = None


def _envelope(row: Delivery, settings: Settings, now: datetime) -> Envelope:
    message = row.message or {}
    return build_email(
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


def _send(row: Delivery, settings: Settings, server: SmtpServer | None, now: datetime) -> _Attempt:
    """Send one claimed row to the recipients that have not had it yet (accepted) or refused it for good."""
    message = row.message or {}
    done = {a for a, o in (row.outcomes or {}).items() if o.get("state") in (ACCEPTED, REFUSED)}
    if row.channel == "apprise":
        return _send_channels(row, settings)
    envelope = _envelope(row, settings, now)
    message_id = message_id_for(row.key, settings.mail_from)
    wanted = [a for a in envelope.recipients if a not in done]
    try:
        if server is None:
            name = outbox_name(created=row.created_at, kind=row.kind, to=message["to"], key=row.key)
            path = str(write_outbox(settings.outbox, name, envelope))
            return _Attempt(
                envelope.recipients, {a: Reply(250, "written to the outbox") for a in wanted}, message_id, path
            )
        replies = send_smtp(server, envelope, mail_from=settings.mail_from, to=wanted)
    except TransportError as exc:
        return _Attempt(envelope.recipients, {}, message_id, error=exc)
    return _Attempt(envelope.recipients, replies, message_id)


def _send_channels(row: Delivery, settings: Settings) -> _Attempt:
    """Extra channels (Teams, Slack): with a sandbox, its one channel instead of the agency's (or none, logged)."""
    message = row.message or {}
    urls = list(message.get("apprise_urls", []))
    if settings.outbox_only:
        return _Attempt(["channels"], {"channels": Reply(250, "not posted: messages go to the outbox only")})
    if settings.sandbox_to:
        if not settings.sandbox_apprise:
            return _Attempt(["channels"], {"channels": Reply(250, "not posted: sandbox, no ACTIONED_SANDBOX_APPRISE")})
        urls = [settings.sandbox_apprise]
    try:
        send_apprise(urls, title=message["subject"], body=message["text"])
    except TransportError as exc:
        return _Attempt(["channels"], {}, error=exc)
    return _Attempt(["channels"], {"channels": Reply(250, "posted")})


@dataclass(frozen=True)
class Judged:
    """A row's state after an attempt, and the recipients it has now gone to, or failed for good."""

    values: dict[str, Any]
    accepted: list[str]
    refused: dict[str, str]
    deferred: list[str]


def judge(row: Delivery, attempt: _Attempt, now: datetime) -> Judged:
    """Fold one attempt's replies into the row's per-recipient outcomes and decide its state.

    Sent: every recipient finished and the main one accepted it. Partly sent: the main one (or a copy) accepted it,
    others deferred and are retried. Failed, with a retry time: nobody has it yet and someone deferred. Failed for
    good: the main recipient refused it (5xx) or still deferred after the last attempt. A refused copy never fails a
    message its main recipient accepted.
    """
    outcomes = dict(row.outcomes or {})
    error = attempt.error
    replies = dict(attempt.replies)
    if error is not None:
        pending = [a for a in attempt.recipients if outcomes.get(a, {}).get("state") not in (ACCEPTED, REFUSED)]
        replies = {a: Reply(error.code or (550 if error.permanent else 451), str(error)) for a in pending}
    retry = _retry_at(row.attempts, now)
    newly_refused: dict[str, str] = {}
    for address, reply in replies.items():
        state = ACCEPTED if reply.accepted else REFUSED if reply.permanent else DEFERRED
        text = str(reply) if error is None else str(error)
        if state == DEFERRED and retry is None:
            state, text = REFUSED, f"gave up after {row.attempts} attempts: {text}"
        if state == REFUSED:
            newly_refused[address] = text
        outcomes[address] = {"state": state, "reply": text[:1000], "at": now.isoformat()}
    states = {a: outcomes.get(a, {}).get("state") for a in attempt.recipients}
    accepted = [a for a, s in states.items() if s == ACCEPTED]
    deferred = [a for a, s in states.items() if s == DEFERRED]
    main_ok = states.get(attempt.recipients[0]) == ACCEPTED
    problems = [f"{a}: {outcomes[a]['reply']}" for a in attempt.recipients if states[a] in (DEFERRED, REFUSED)]
    if deferred:
        status = DeliveryStatus.PARTLY_SENT if accepted else DeliveryStatus.FAILED
    else:
        status = DeliveryStatus.SENT if main_ok else DeliveryStatus.FAILED
    values: dict[str, Any] = {
        "status": status,
        "outcomes": outcomes,
        "claimed_at": None,
        "next_attempt_at": retry if deferred else None,
        "last_error": "; ".join(problems)[:2000] or None,
        "message_id": attempt.message_id if accepted else row.message_id,
        "sent_at": row.sent_at or (now if main_ok else None),
    }
    return Judged(values, accepted, newly_refused, deferred)


def dispatch(
    *,
    now: datetime | None = None,
    keys: Sequence[str] | None = None,
    after_each: Callable[[Dispatched], None] | None = None,
) -> DispatchReport:
    """Send the pending deliveries (and retries that are due), each claimed atomically first (a conditional UPDATE,
    so two concurrent dispatchers never send one twice), then judged per recipient (:func:`judge`). A recipient
    refused for good is reported to the agency's liaison officer (``notifications.refusals``). Opens its own
    sessions; ``now`` is the real clock (claims and back-offs), never the as-of day.

    ``keys`` limits it to those deliveries (and their extra channels). ``after_each`` is called after each row is
    marked (progress output; tests use it to kill the process at a chosen point).
    """
    from notifications.refusals import tell_refused

    now = now or datetime.now(UTC)
    settings = load_settings()
    server = parse_smtp_url(settings.smtp_url) if settings.smtp_url and not settings.outbox_only else None
    with session_scope() as session:
        query = select(Delivery.id, Delivery.key).where(_claimable(now)).order_by(col(Delivery.id))
        if keys is not None:
            wanted = list(keys) + [k + CHANNELS_SUFFIX for k in keys]
            query = query.where(col(Delivery.key).in_(wanted))
        candidates = [(int(i), k) for i, k in session.exec(query).all() if i is not None]
    report = DispatchReport()
    server_down = False
    notices: list[str] = []
    for row_id, key in candidates:
        if server_down and not key.endswith(CHANNELS_SUFFIX):
            report.deferred.append(key)
            continue
        if not _claim(row_id, now):
            continue
        with session_scope() as session:
            row = session.get(Delivery, row_id)
            assert row is not None
            session.expunge(row)
        attempt = _send(row, settings, server, now)
        judged = judge(row, attempt, now)
        _mark(row, values=judged.values)
        status = DeliveryStatus(judged.values["status"])
        done = Dispatched(
            row_id,
            key,
            row.kind,
            status,
            message_id=judged.values["message_id"],
            error=judged.values["last_error"],
            gave_up=status == DeliveryStatus.FAILED and judged.values["next_attempt_at"] is None,
            path=attempt.path,
            accepted=tuple(judged.accepted),
            refused=tuple(judged.refused.items()),
            deferred=tuple(judged.deferred),
        )
        {
            DeliveryStatus.SENT: report.sent,
            DeliveryStatus.PARTLY_SENT: report.partly,
            DeliveryStatus.FAILED: report.failed,
        }[status].append(done)
        if attempt.error is not None and attempt.error.server_down and row.channel == "email":
            server_down = True
        if judged.refused:
            notices += tell_refused(row_id, judged.refused, now=now)
        if after_each is not None:
            after_each(done)
    if notices and not server_down:
        more = dispatch(now=now, keys=notices, after_each=after_each)
        report.sent += more.sent
        report.partly += more.partly
        report.failed += more.failed
        report.deferred += more.deferred
    return report


def unfinished(session: Session, keys: Sequence[str] | None = None) -> dict[str, int]:
    """Messages still to go, by state (pending, sending, partly sent, failed with a retry to come): what a run's
    summary and exit status report, with the messages that gave up in that run. A message that gave up in an earlier
    run is not counted again: its liaison officer was told then. ``keys`` limits it to those messages.
    """
    query = select(Delivery.status).where(
        col(Delivery.message).is_not(None),
        col(Delivery.status).in_(sorted(UNFINISHED_DELIVERY)),
        or_(col(Delivery.status) != DeliveryStatus.FAILED, col(Delivery.next_attempt_at).is_not(None)),
    )
    counts: Counter[str] = Counter()
    wanted = list(keys) if keys is not None else None
    chunks = [wanted[i : i + 500] for i in range(0, len(wanted), 500)] if wanted is not None else [None]
    for chunk in chunks:
        q = query if chunk is None else query.where(col(Delivery.key).in_(chunk))
        for status in session.exec(q).all():
            counts[label_of(DeliveryStatus, status).lower()] += 1
    return dict(sorted(counts.items()))


def with_given_up(left: dict[str, int], report: "DispatchReport") -> dict[str, int]:
    """``left`` (from :func:`unfinished`) with the messages that gave up in this run, as "failed for good"."""
    gave_up = sum(1 for d in report.failed if d.gave_up)
    return {**left, "failed for good": gave_up} if gave_up else left


def pending_count(session: Session) -> int:
    """Deliveries still to go (pending, sending, partly sent, or failed with a retry to come)."""
    return sum(unfinished(session).values())
