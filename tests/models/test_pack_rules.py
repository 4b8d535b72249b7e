"""The committee pack's rules: which section a finding stands in, and open findings by RAG over time."""

from datetime import date

import pytest

from models.rules.pack import Finding, Section, chart_days, rag_on, rag_series, sections
from models.rules.vocabulary import Rag, Status

D = date.fromisoformat
SINCE, NEXT, TODAY = D("2021-04-01"), D("2021-07-15"), D("2021-06-20")


def finding(status=Status.IN_PROGRESS, due="2021-06-17", created="2021-01-01", updated="2021-06-01", closed=None):
    return Finding(status, D(due) if due else None, D(created), D(updated), D(closed) if closed else None)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (finding(), {Section.OVERDUE}),
        (finding(due="2021-07-01"), {Section.DUE_SOON}),
        (finding(due="2021-06-20"), {Section.DUE_SOON}),  # due today: not overdue yet
        (finding(due="2021-07-15"), set()),  # due on the next meeting's day: that meeting's business
        (finding(due=None), set()),
        (finding(Status.COMPLETE, closed="2021-05-01"), {Section.CLOSED}),
        (finding(Status.COMPLETE, closed="2021-03-31"), set()),  # closed before the last meeting
        (finding(Status.NOT_ACCEPTED, closed="2021-05-01"), {Section.CLOSED, Section.NOT_ACCEPTED}),
        (finding(Status.NOT_ACCEPTED, closed="2021-02-01"), {Section.NOT_ACCEPTED}),
        (finding(Status.PENDING_SIGNOFF), {Section.OVERDUE}),  # not closed until signed off
    ],
)
def test_sections(item, expected):
    assert sections(item, since=SINCE, next_meeting=NEXT, today=TODAY) == expected


@pytest.mark.parametrize(
    ("since", "today", "days"),
    [
        ("2021-04-01", "2021-04-01", ["2021-04-01"]),
        ("2021-04-01", "2021-04-03", ["2021-04-01", "2021-04-02", "2021-04-03"]),
        (
            "2021-01-01",
            "2021-06-30",
            ["2021-01-01", "2021-02-06", "2021-03-14", "2021-04-19", "2021-05-25", "2021-06-30"],
        ),
    ],
)
def test_chart_days(since, today, days):
    assert chart_days(D(since), D(today)) == [D(d) for d in days]


@pytest.mark.parametrize(
    ("item", "day", "expected"),
    [
        (finding(created="2021-02-01"), "2021-01-15", None),  # not yet created
        (finding(due="2021-06-17", updated="2021-01-01"), "2021-01-15", Rag.GREEN),
        (finding(due="2021-06-17", updated="2021-01-01"), "2021-03-01", Rag.AMBER),  # silent for 30 days
        (finding(due="2021-06-17"), "2021-06-01", Rag.AMBER),  # due within 28 days
        (finding(due="2021-06-17"), "2021-06-18", Rag.RED),
        (finding(Status.COMPLETE, closed="2021-05-01"), "2021-04-30", Rag.GREEN),  # still open then
        (finding(Status.COMPLETE, closed="2021-05-01"), "2021-05-01", None),
    ],
)
def test_rag_on_a_past_day(item, day, expected):
    assert rag_on(item, D(day)) is expected


def test_rag_series_counts_open_findings_per_day():
    items = [finding(), finding(due="2021-12-31", updated="2021-06-19"), finding(Status.COMPLETE, closed="2021-05-01")]
    series = rag_series(items, [D("2021-04-15"), D("2021-06-20")])
    assert series == [
        {Rag.RED: 0, Rag.AMBER: 0, Rag.GREEN: 3},
        {Rag.RED: 1, Rag.AMBER: 0, Rag.GREEN: 1},
    ]
