"""The reminder ladder, by tables of cases: every boundary, weekends, bank holidays, gaps, closing, reassignment and
the "no update" nudge. "Today" is always a parameter; the calendar is England and Wales's.
"""

from datetime import date

import pytest

from models.bank_holidays import england_and_wales
from models.rules.ladder import (
    ActionState,
    Ladder,
    LadderError,
    Stage,
    due_today,
    latest_stage,
    most_severe,
    nudge_stage,
    stage_copies,
)

HOLIDAYS = england_and_wales([2020, 2021, 2022])
LADDER = Ladder()
DUE = date(2021, 6, 17)  # a Thursday: "Safe to share?" returns are due six months after 17 December 2020


def latest(due_on: date, today: date, ladder: Ladder = LADDER) -> str | None:
    stage = latest_stage(due_on, today=today, ladder=ladder, holidays=HOLIDAYS)
    return stage.name if stage else None


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2021, 5, 19), None),  # 29 days before: nothing yet
        (date(2021, 5, 20), "before-28"),
        (date(2021, 6, 2), "before-28"),  # still the latest (already sent, usually)
        (date(2021, 6, 3), "before-14"),
        (date(2021, 6, 10), "before-7"),
        (date(2021, 6, 16), "before-1"),
        (date(2021, 6, 17), "due"),
        (date(2021, 6, 18), "overdue-1"),  # the next working day after
        (date(2021, 6, 23), "overdue-1"),
        (date(2021, 6, 24), "overdue-7"),
        (date(2021, 7, 1), "overdue-14"),
        (date(2021, 7, 8), "overdue-21"),
        (date(2021, 9, 16), "overdue-91"),  # weekly, for as long as it stays open
        (date(2021, 6, 19), None),  # a Saturday: nothing goes
        (date(2021, 6, 20), None),  # a Sunday
    ],
)
def test_every_stage_boundary(today: date, expected: str | None) -> None:
    assert latest(DUE, today) == expected


@pytest.mark.parametrize(
    ("due_on", "today", "expected", "why"),
    [
        (date(2021, 6, 28), date(2021, 5, 28), "before-28", "28 days before is the 31 May bank holiday: the Friday"),
        (date(2021, 6, 28), date(2021, 5, 31), None, "bank holiday Monday: nothing goes"),
        (date(2021, 6, 28), date(2021, 6, 1), "before-28", "already due the working day before"),
        (date(2021, 4, 1), date(2021, 4, 2), None, "Good Friday"),
        (date(2021, 4, 1), date(2021, 4, 5), None, "Easter Monday"),
        (date(2021, 4, 1), date(2021, 4, 6), "overdue-1", "the next working day after Thursday 1 April"),
        (
            date(2021, 4, 5),
            date(2021, 4, 1),
            "due",
            "due on Easter Monday: on the day and a day before both fall on Thursday 1 April; the later wins",
        ),
        (date(2021, 6, 12), date(2021, 6, 11), "due", "due on a Saturday: warned on the Friday"),
        (date(2021, 6, 12), date(2021, 6, 14), "overdue-1", "due Saturday: chased on Monday"),
        (date(2021, 5, 24), date(2021, 6, 1), "overdue-7", "7 days overdue is the 31 May bank holiday: Tuesday"),
        (date(2021, 5, 24), date(2021, 5, 31), None, "bank holiday"),
    ],
)
def test_weekends_and_bank_holidays(due_on: date, today: date, expected: str | None, why: str) -> None:
    assert latest(due_on, today) == expected, why


def test_after_a_gap_only_the_latest_stage_goes() -> None:
    action = ActionState(status="open", has_owner=True, due_on=DUE, last_event_on=date(2021, 6, 10))
    # the schedule did not run from 16 June to 2 July: before-1, due, overdue-1 and overdue-7 were all missed
    sent = {"before-28", "before-14", "before-7"}
    stages = due_today(action, today=date(2021, 7, 2), sent=sent, ladder=LADDER, holidays=HOLIDAYS)
    assert [s.name for s in stages] == ["overdue-14"]


@pytest.mark.parametrize(
    ("days", "kind", "copies"),
    [
        (1, "chaser", ()),
        (7, "escalation", ("portfolio_lead",)),
        (14, "escalation", ("portfolio_lead",)),
        (21, "escalation", ("portfolio_lead", "chief_officer")),
        (70, "escalation", ("portfolio_lead", "chief_officer")),
    ],
)
def test_escalation_copies_the_lead_from_7_days_and_the_chief_officer_from_21(
    days: int, kind: str, copies: tuple[str, ...]
) -> None:
    today = {1: date(2021, 6, 18)}.get(days) or date.fromordinal(DUE.toordinal() + days)
    stage = latest_stage(DUE, today=today, ladder=LADDER, holidays=HOLIDAYS)
    assert stage == Stage(f"overdue-{days}", kind, days, today, copies)
    assert stage_copies(stage.name, LADDER) == copies


@pytest.mark.parametrize("status", ["complete", "not_accepted", "superseded", "pending_signoff", "awaiting_allocation"])
def test_closed_and_waiting_statuses_stop_the_ladder(status: str) -> None:
    action = ActionState(status=status, has_owner=True, due_on=DUE, last_event_on=date(2021, 1, 1))
    assert due_today(action, today=date(2021, 6, 24), sent=set(), ladder=LADDER, holidays=HOLIDAYS) == []


def test_no_owner_means_no_message() -> None:
    action = ActionState(status="open", has_owner=False, due_on=DUE, last_event_on=date(2021, 6, 1))
    assert due_today(action, today=DUE, sent=set(), ladder=LADDER, holidays=HOLIDAYS) == []


def test_a_stage_goes_once_and_a_new_assignment_restarts_the_ladder() -> None:
    action = ActionState(status="in_progress", has_owner=True, due_on=DUE, last_event_on=date(2021, 6, 20))
    today = date(2021, 6, 25)
    assert [s.name for s in due_today(action, today=today, sent={"overdue-7"}, ladder=LADDER, holidays=HOLIDAYS)] == []
    # reassigned: stages are counted per assignment, so the new owner starts with none sent and gets today's stage
    restarted = due_today(action, today=today, sent=set(), ladder=LADDER, holidays=HOLIDAYS)
    assert [s.name for s in restarted] == ["overdue-7"]


@pytest.mark.parametrize(
    ("last_event_on", "today", "version", "expected"),
    [
        (date(2021, 1, 4), date(2021, 2, 2), 1, None),  # 29 days of silence
        (date(2021, 1, 4), date(2021, 2, 3), 1, "nudge-v1-1"),  # 30
        (date(2021, 1, 4), date(2021, 3, 4), 1, "nudge-v1-1"),  # 59
        (date(2021, 1, 4), date(2021, 3, 5), 1, "nudge-v1-2"),  # 60: nudged again
        (date(2021, 3, 1), date(2021, 3, 31), 4, "nudge-v4-1"),  # a change (version 4) restarts the count
    ],
)
def test_the_no_update_nudge(last_event_on: date, today: date, version: int, expected: str | None) -> None:
    stage = nudge_stage(last_event_on, today=today, version=version, ladder=LADDER)
    assert (stage.name if stage else None) == expected


def test_a_nudge_and_a_reminder_can_fall_due_together_but_each_only_once() -> None:
    action = ActionState(status="open", has_owner=True, due_on=DUE, last_event_on=date(2021, 4, 20))
    today = date(2021, 5, 20)
    both = due_today(action, today=today, sent=set(), ladder=LADDER, holidays=HOLIDAYS)
    assert [s.name for s in both] == ["before-28", "nudge-v1-1"]
    sent = {s.name for s in both}
    assert due_today(action, today=today, sent=sent, ladder=LADDER, holidays=HOLIDAYS) == []
    assert most_severe([s.kind for s in both]) == "reminder"


def test_a_report_can_override_the_ladder() -> None:
    ladder = LADDER.updated({"before_days": [3], "on_the_day": False, "copy_chief_officer_from": 0}, source="x")
    assert latest(DUE, date(2021, 6, 10), ladder) is None
    assert latest(DUE, date(2021, 6, 14), ladder) == "before-3"
    assert latest(DUE, DUE, ladder) == "before-3"
    stage = latest_stage(DUE, today=date(2021, 7, 8), ladder=ladder, holidays=HOLIDAYS)
    assert stage is not None
    assert stage.copies == ("portfolio_lead",)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"before_days": [0]}, "report.ladder.before_days"),
        ({"chase_every_days": "weekly"}, "report.ladder.chase_every_days"),
        ({"remind_on": 3}, "report.ladder.remind_on: unknown setting"),
        ({"on_the_day": "yes"}, "report.ladder.on_the_day"),
    ],
)
def test_a_bad_ladder_setting_names_its_field(values: dict[str, object], message: str) -> None:
    with pytest.raises(LadderError, match=message):
        LADDER.updated(values, source="report.ladder")
