"""An iCalendar (RFC 5545) file with one all-day event per deadline, to attach to a reminder."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Deadline:
    uid: str
    on: date
    summary: str
    description: str = ""
    url: str | None = None


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


def calendar(deadlines: Sequence[Deadline], *, stamp: datetime) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Actioned//Reminders//EN",
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
    ]
    for d in deadlines:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{d.uid}",
            f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{d.on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{d.on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(d.summary)}",
        ]
        if d.description:
            lines.append(f"DESCRIPTION:{_escape(d.description)}")
        if d.url:
            lines.append(f"URL:{d.url}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return ("\r\n".join(folded) + "\r\n").encode()


def item_deadlines(items: Sequence[Mapping[str, Any]]) -> list[Deadline]:
    """The calendar entries for the dated items of a message (each with action_id, due_date, report_title, number,
    agency_name, text and url, as the message templates list them)."""
    return [
        Deadline(
            uid=f"action-{i['action_id']}@actioned",
            on=i["due_date"],
            summary=f"Due: {i['report_title']}, recommendation {i['number']} ({i['agency_name']})",
            description=i["text"],
            url=i["url"],
        )
        for i in items
        if i["due_date"] is not None
    ]
