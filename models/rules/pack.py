"""The audit committee's exception report: which findings go in which section, and open findings by RAG over time.
Pure: "today", the meetings and every date are parameters.

What forces' committees read at each meeting: what is overdue, what falls due before the next meeting, what closed
since the last one, which target dates changed (and why), and what was not accepted; with a chart of the open
findings by RAG at each point since, so a committee sees the trend and not only today's picture.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from models.rules.rag import rag
from models.rules.vocabulary import CLOSED, Rag, Status


class Section(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    CLOSED = "closed"
    NOT_ACCEPTED = "not_accepted"


@dataclass(frozen=True)
class Finding:
    """What the pack needs of one action: its state now and the days it was created, last changed and closed."""

    status: Status
    due_on: date | None
    created_on: date
    last_update_on: date
    closed_on: date | None


def sections(finding: Finding, *, since: date, next_meeting: date, today: date) -> frozenset[Section]:
    """The sections a finding stands in (none when all is well and nothing happened since the last meeting)."""
    found: set[Section] = set()
    open_now = finding.status not in CLOSED
    if open_now and finding.due_on is not None and finding.due_on < today:
        found.add(Section.OVERDUE)
    if open_now and finding.due_on is not None and today <= finding.due_on < next_meeting:
        found.add(Section.DUE_SOON)
    if not open_now and finding.closed_on is not None and finding.closed_on >= since:
        found.add(Section.CLOSED)
    if finding.status is Status.NOT_ACCEPTED:
        found.add(Section.NOT_ACCEPTED)
    return frozenset(found)


def chart_days(since: date, today: date, *, points: int = 6) -> list[date]:
    """Evenly spaced days from the last meeting to today, both included (one day when they are the same)."""
    if today <= since:
        return [today]
    span = (today - since).days
    count = min(points, span + 1)
    return sorted({since + timedelta(days=round(i * span / (count - 1))) for i in range(count)})


def rag_on(finding: Finding, day: date) -> Rag | None:
    """The finding's RAG as it stood on ``day``, or None when it was not open then (not yet created, or closed)."""
    if finding.created_on > day or (finding.closed_on is not None and finding.closed_on <= day):
        return None
    if finding.status in CLOSED and finding.closed_on is None:
        return None
    return rag(Status.IN_PROGRESS, finding.due_on, min(finding.last_update_on, day), day)


def rag_series(findings: Sequence[Finding], days: Sequence[date]) -> list[dict[Rag, int]]:
    """Per day: how many findings were open, by RAG (the chart of open findings over time)."""
    series: list[dict[Rag, int]] = []
    for day in days:
        counts = dict.fromkeys(Rag, 0)
        for finding in findings:
            rating = rag_on(finding, day)
            if rating is not None:
                counts[rating] += 1
        series.append(counts)
    return series
