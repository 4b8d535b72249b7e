"""An iCalendar (RFC 5545) file with one all-day event per deadline, to attach to a reminder.

Each action is one event (its UID names the action), so a calendar that holds it updates it in place: the link to the
action's page is in DESCRIPTION (Outlook shows DESCRIPTION, not URL), the liaison officer is the ORGANIZER, and
SEQUENCE is the action's version, which grows with every recorded change, so a moved due date replaces the old one.
``method="CANCEL"`` (with STATUS:CANCELLED) takes the events out of the calendar once their actions are closed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


@dataclass(frozen=True)
class Deadline:
    uid: str
    on: date
    summary: str
    description: str = ""
    url: str | None = None
    sequence: int = 0
    organizer: tuple[str, str] | None = None
    """(name, email) of the person who answers for the deadline: the agency's liaison officer."""


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are folded: a CRLF and one space, never splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _organizer(name: str, email: str) -> str:
    quoted = name.replace('"', "'")
    return f'ORGANIZER;CN="{quoted}":mailto:{email}'


def calendar(deadlines: Sequence[Deadline], *, stamp: datetime, method: str = "PUBLISH") -> bytes:
    """The calendar file: PUBLISH adds or updates the deadlines, CANCEL removes them."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Actioned//Reminders//EN",
        f"METHOD:{method}",
        "CALSCALE:GREGORIAN",
    ]
    for d in deadlines:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{d.uid}",
            f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{d.on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d.on + timedelta(days=1):%Y%m%d}",
            f"SEQUENCE:{d.sequence}",
            f"SUMMARY:{_escape(d.summary)}",
        ]
        description = "\n\n".join(part for part in (f"Update it: {d.url}" if d.url else "", d.description) if part)
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        if d.url:
            lines.append(f"URL:{d.url}")
        if d.organizer:
            lines.append(_organizer(*d.organizer))
        if method == "CANCEL":
            lines.append("STATUS:CANCELLED")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode()
