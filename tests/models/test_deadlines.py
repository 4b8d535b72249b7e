"""Deadlines as calendar arithmetic: month ends, leap years, both 56-day conventions."""

from datetime import date

import pytest

from models.rules.deadlines import DayCount, action_due, add_months, period_end, return_due, statutory_comments_due


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2020, 12, 17), 6, date(2021, 6, 17)),  # "Safe to share?": returns due
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # into a leap February
        (date(2022, 8, 31), 6, date(2023, 2, 28)),  # into a common February
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2021, 3, 31), 1, date(2021, 4, 30)),
        (date(2021, 7, 15), 6, date(2022, 1, 15)),  # across a year end
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2021, 6, 17), 0, date(2021, 6, 17)),
        (date(2021, 6, 17), 18, date(2022, 12, 17)),
    ],
)
def test_calendar_months_keep_the_day_or_take_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("published", "convention", "expected"),
    [
        (date(2020, 12, 17), DayCount.DAY_ONE, date(2021, 2, 10)),  # publication day is day 1: +55
        (date(2020, 12, 17), DayCount.AFTER, date(2021, 2, 11)),  # 56 days after publication: +56
        (date(2024, 1, 10), DayCount.DAY_ONE, date(2024, 3, 5)),  # through a leap day
        (date(2023, 1, 10), DayCount.DAY_ONE, date(2023, 3, 6)),
    ],
)
def test_statutory_comments_fall_due_56_days_from_publication(published, convention, expected):
    assert statutory_comments_due(published, convention) == expected


def test_a_one_day_period_ends_on_publication_day_when_it_is_day_one():
    assert period_end(date(2021, 1, 1), 1, DayCount.DAY_ONE) == date(2021, 1, 1)
    with pytest.raises(ValueError, match="at least one day"):
        period_end(date(2021, 1, 1), 0)


@pytest.mark.parametrize(
    ("months", "on", "expected"),
    [
        (6, None, date(2021, 6, 17)),
        (6, date(2021, 5, 1), date(2021, 5, 1)),  # an explicit date wins
        (None, None, None),
    ],
)
def test_a_report_return_is_due_on_its_date_or_months_after_publication(months, on, expected):
    assert return_due(date(2020, 12, 17), months=months, on=on) == expected


def test_a_recommendations_own_deadline_wins_over_the_reports():
    assert action_due(own_due_on=date(2021, 3, 27), report_due_on=date(2021, 6, 17)) == date(2021, 3, 27)
    assert action_due(own_due_on=None, report_due_on=date(2021, 6, 17)) == date(2021, 6, 17)
