"""Working days: weekends and the holidays given are skipped; England and Wales bank holidays come from `holidays`."""

from datetime import date

import pytest

from models.bank_holidays import around, england_and_wales
from models.rules.working_days import is_working_day, next_working_day, previous_working_day, working_days_between

EW = england_and_wales([2021])


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2021, 6, 17), True),  # Thursday
        (date(2021, 6, 19), False),  # Saturday
        (date(2021, 6, 20), False),  # Sunday
        (date(2021, 4, 2), False),  # Good Friday
        (date(2021, 4, 5), False),  # Easter Monday
        (date(2021, 5, 3), False),  # Early May bank holiday
        (date(2021, 5, 31), False),  # Spring bank holiday
        (date(2021, 8, 30), False),  # Summer bank holiday (England and Wales; Scotland's differs)
        (date(2021, 12, 28), False),  # Boxing Day, substitute
        (date(2021, 8, 2), True),  # Scotland's summer bank holiday: a working day here
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day, EW) is working


def test_without_holidays_only_weekends_are_skipped() -> None:
    assert is_working_day(date(2021, 4, 2), set())


@pytest.mark.parametrize(
    ("day", "following", "preceding"),
    [
        (date(2021, 4, 2), date(2021, 4, 6), date(2021, 4, 1)),  # Easter: Friday to Monday
        (date(2021, 5, 29), date(2021, 6, 1), date(2021, 5, 28)),  # weekend before the 31 May bank holiday
        (date(2021, 6, 17), date(2021, 6, 17), date(2021, 6, 17)),  # already a working day
    ],
)
def test_next_and_previous_working_day(day: date, following: date, preceding: date) -> None:
    assert next_working_day(day, EW) == following
    assert previous_working_day(day, EW) == preceding


def test_working_days_between() -> None:
    assert working_days_between(date(2021, 4, 1), date(2021, 4, 7), EW) == [
        date(2021, 4, 1),
        date(2021, 4, 6),
        date(2021, 4, 7),
    ]


def test_around_covers_the_years_either_side() -> None:
    days = around(date(2021, 1, 5))
    assert date(2020, 12, 25) in days
    assert date(2022, 1, 3) in days  # New Year's Day 2022 fell on a Saturday: the Monday
