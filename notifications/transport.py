"""How a built message leaves the machine: SMTP (plain, STARTTLS or TLS), the outbox folder, or extra Apprise channels.

Email is built here with the standard library (``email.message.EmailMessage``) and sent with ``smtplib``, not through
Apprise's email plugin, because Apprise cannot set the Message-ID: a ``+Message-ID=...`` URL header is added *before*
Apprise writes its own random one, so the message carries two Message-ID headers (RFC 5322 allows one), and Apprise
builds the plain-text part from the HTML instead of using ours. Apprise still carries the extra channels an agency
lists (Teams ``workflows://``, Slack ``slack://``); its ``notify()`` never raises, so its result is checked here.

SMTP is judged per recipient (RFC 5321 §4.2.1): each RCPT reply decides that address alone, a 4xx is temporary
(greylisting, a full mailbox, a busy gateway: retry later) and a 5xx permanent; the DATA reply then decides every address
accepted at RCPT. :func:`send_smtp` returns one :class:`Reply` per recipient; what went wrong for the whole attempt
(the server unreachable, a refused greeting or sender, the connection dropped mid-transaction) raises
:class:`TransportError`, typed: ``permanent`` and the SMTP ``code``, never a text to parse.
"""

import hashlib
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from models.rules.errors import ActionedError
from models.settings import write_private

SMTP_TIMEOUT_SECONDS = 30
FROM_NAME = "X-Actioned-From-Name"
"""Not sent: the display name to put before the sender address in From (the address is a setting, read at send)."""


class TransportError(Exception):
    """A message that did not go this time, for every recipient it was tried for.

    ``permanent``: trying again cannot help (a 5xx, an unusable channel URL); otherwise it is retried with back-off.
    ``code``: the SMTP reply code, when the server answered one. ``server_down``: the server could not be used at all
    (unreachable, a 4xx greeting, the connection dropped), so the messages after this one wait for the next run.
    """

    def __init__(
        self, reason: str, *, permanent: bool = False, code: int | None = None, server_down: bool = False
    ) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.code = code
        self.server_down = server_down


@dataclass(frozen=True)
class Reply:
    """The SMTP server's answer about one recipient: 2xx accepted, 4xx deferred (try again), 5xx refused."""

    code: int
    text: str

    @property
    def accepted(self) -> bool:
        return 200 <= self.code < 300

    @property
    def permanent(self) -> bool:
        return self.code >= 500

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


@dataclass(frozen=True)
class SmtpServer:
    """ACTIONED_SMTP_URL, understood: ``smtp://[user:pass@]host:port`` is plain, ``?mode=starttls`` upgrades, and
    ``smtps://`` is TLS from the first byte. ``verify=no`` accepts a self-signed certificate (test servers only).
    """

    host: str
    port: int
    security: str  # plain | starttls | tls
    username: str | None = None
    password: str | None = None
    verify: bool = True


def parse_smtp_url(url: str) -> SmtpServer:
    """The SMTP server named by ``url``, or one line saying what is wrong with it."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ActionedError(f"ACTIONED_SMTP_URL: {url!r} must start smtp:// or smtps://")
    if not parts.hostname:
        raise ActionedError(f"ACTIONED_SMTP_URL: {url!r} names no host (expected smtp://host:port)")
    query = {k.lower(): v[-1].lower() for k, v in parse_qs(parts.query).items()}
    mode = query.get("mode", "")
    if scheme == "smtps":
        security = "tls"
    elif mode in ("", "plain", "insecure"):
        security = "plain"
    elif mode == "starttls":
        security = "starttls"
    elif mode in ("ssl", "tls"):
        security = "tls"
    else:
        raise ActionedError(f"ACTIONED_SMTP_URL: mode={mode!r} is not one of plain, starttls, tls")
    try:
        port = parts.port
    except ValueError:
        raise ActionedError(f"ACTIONED_SMTP_URL: {url!r} has a port that is not a number") from None
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if security == "tls" else 587 if security == "starttls" else 25),
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        verify=query.get("verify", "yes") not in ("no", "false", "0"),
    )


def message_id_for(key: str, mail_from: str) -> str:
    """A Message-ID derived from the delivery key only, so a repeat of one decision carries the same id."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    local = re.sub(r"[^A-Za-z0-9.\-]+", ".", key).strip(".") or "message"
    if len(local) > 40:  # short enough that the header is never folded; the hash keeps it unique
        local = f"{local[:27]}.{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    return f"<{local}@{domain}>"


@dataclass(frozen=True)
class Envelope:
    """A built message and the addresses the SMTP server is asked to deliver it to."""

    message: EmailMessage
    recipients: list[str]


def build_email(
    *,
    key: str,
    to: str,
    cc: list[str],
    subject: str,
    text: str,
    html: str | None,
    attachments: list[tuple[str, str, bytes]],
    mail_from: str,
    sandbox_to: str | None,
    date: datetime,
    headers: dict[str, str] | None = None,
) -> Envelope:
    """The message as it will be sent (or written to the outbox). With a sandbox address every message goes there
    instead, with no copies; the real recipients are kept in X-Actioned-Original-To and X-Actioned-Original-Cc.
    """
    msg = EmailMessage()
    extra = dict(headers or {})
    from_name = extra.pop(FROM_NAME, "")
    msg["From"] = formataddr((from_name, parseaddr(mail_from)[1] or mail_from)) if from_name else mail_from
    if sandbox_to:
        msg["To"] = sandbox_to
        msg["X-Actioned-Original-To"] = to
        if cc:
            msg["X-Actioned-Original-Cc"] = ", ".join(cc)
        recipients = [sandbox_to]
    else:
        msg["To"] = to
        if cc:
            msg["Cc"] = ", ".join(cc)
        recipients = [to, *[c for c in cc if c != to]]
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id_for(key, mail_from)
    msg["X-Actioned-Key"] = key
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a machine
    for name, value in extra.items():
        msg[name] = value
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        params: dict[str, Any] = {}
        if content_type == "text/calendar":  # the part's method says what the file does (PUBLISH, CANCEL)
            method = re.search(rb"^METHOD:(\w+)", data, re.MULTILINE)
            params["params"] = {"method": method.group(1).decode() if method else "PUBLISH"}
        msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=filename, **params)
    return Envelope(message=msg, recipients=recipients)


def _connect(server: SmtpServer) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if not server.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    client: smtplib.SMTP
    if server.security == "tls":
        client = smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
    if server.security == "starttls":
        client.starttls(context=context)
    if server.username:
        client.login(server.username, server.password or "")
    return client


def send_smtp(server: SmtpServer, envelope: Envelope, *, mail_from: str, to: Sequence[str]) -> dict[str, Reply]:
    """Offer the message to the SMTP server for the addresses ``to``; the server's reply for each.

    One transaction: MAIL FROM, a RCPT per address (each judged alone), then DATA for those accepted, whose final
    reply decides them all. An address refused at RCPT is never sent the message; one accepted at RCPT and then
    deferred at DATA is retried. Raises :class:`TransportError` when the attempt failed as a whole.
    """
    sender = parseaddr(mail_from)[1] or mail_from
    where = f"SMTP server {server.host}:{server.port}"
    replies: dict[str, Reply] = {}
    try:
        with _connect(server) as client:
            client.ehlo_or_helo_if_needed()
            code, text = client.mail(sender)
            if code != 250:
                raise TransportError(  # noqa: TRY301 - a refused sender fails the attempt, typed like the rest
                    f"{where} refused the sender {sender} ({code} {_text(text)})",
                    permanent=code >= 500,
                    code=code,
                    server_down=code < 500,
                )
            for address in to:
                code, text = client.rcpt(address)
                replies[address] = Reply(code, _text(text))
            accepted = [a for a in to if replies[a].accepted]
            if not accepted:
                client.rset()
                return replies
            try:
                code, answer = client.data(_wire(envelope.message))
                final = Reply(code, _text(answer))
            except smtplib.SMTPDataError as exc:  # the DATA command itself refused (no 354)
                final = Reply(exc.smtp_code, _text(exc.smtp_error))
            for address in accepted:
                replies[address] = final
    except TransportError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise TransportError(
            f"{where} refused the login ({exc.smtp_code} {_text(exc.smtp_error)})", permanent=True, code=exc.smtp_code
        ) from None
    except smtplib.SMTPResponseException as exc:  # the greeting, EHLO or STARTTLS answered with an error
        raise TransportError(
            f"{where} answered {exc.smtp_code} {_text(exc.smtp_error)}",
            permanent=exc.smtp_code >= 500,
            code=exc.smtp_code,
            server_down=exc.smtp_code < 500,
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        done = f" after {len(replies)} of {len(to)} recipients" if replies else ""
        raise TransportError(f"{where} unreachable or dropped the connection{done}: {exc}", server_down=True) from exc
    return replies


HEADER_LINE_LIMIT = 998
"""Headers are folded only past RFC 5322's hard limit: folding at its 78-character "SHOULD", Python's folder breaks
a subject such as "OFFICIAL: Safe to share?: escalation, ..." straight after "Subject:", and readers then show it
with a leading space.
"""


def as_bytes(message: EmailMessage, *, linesep: str = "\n") -> bytes:
    """The message's bytes, headers folded only where they must be (:data:`HEADER_LINE_LIMIT`)."""
    return message.as_bytes(policy=message.policy.clone(linesep=linesep, max_line_length=HEADER_LINE_LIMIT))


def _wire(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP: CRLF line ends (``smtplib.SMTP.data`` does not fix them in bytes)."""
    return as_bytes(message, linesep="\r\n")


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def outbox_name(*, created: datetime, kind: str, to: str, key: str) -> str:
    """A file name a person can find: when it was decided, what it is, who it is for, and its key (so a rerun of the
    same decision overwrites its own file instead of adding a second).
    """
    safe = re.sub(r"[^A-Za-z0-9@.\-]+", "_", f"{kind}-{to}")[:120]
    key_part = re.sub(r"[^A-Za-z0-9.\-]+", "_", key)[:100]
    return f"{created:%Y-%m-%d}-{safe}-{key_part}.eml"


def write_outbox(folder: Path, name: str, envelope: Envelope) -> Path:
    """Write the message as an .eml file, atomically (a crash leaves the old file or the new one, never half)."""
    try:
        path = write_private(folder / name, as_bytes(envelope.message))
    except OSError as exc:
        raise TransportError(f"cannot write {folder / name}: {exc}") from exc
    return path


def send_apprise(urls: list[str], *, title: str, body: str) -> None:
    """Notify extra channels (Teams, Slack...) through Apprise: one Apprise object per message (its email plugin
    throttles repeated sends on one instance) and a checked result, since ``notify()`` never raises.
    """
    import apprise

    if not urls:
        return
    notifier = apprise.Apprise()
    bad = [url for url in urls if not notifier.add(url)]
    if bad:
        raise TransportError(f"not a usable Apprise URL: {', '.join(_redact(u) for u in bad)}", permanent=True)
    with apprise.LogCapture(level=apprise.logging.WARNING) as logs:  # type: ignore[no-untyped-call]
        ok = notifier.notify(body=body, title=title)
        if not ok:
            reason = logs.getvalue().strip().replace("\n", " ") or "no reason given"
            raise TransportError(f"Apprise channel failed: {reason[:500]}")


def _redact(url: str) -> str:
    """An Apprise URL with its tokens hidden: good enough to recognise it in an error, useless to an attacker."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest[:6]}..."
