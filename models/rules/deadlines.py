"""Deadlines as calendar arithmetic. Pure: "today" and every date come in as parameters."""

import calendar
from datetime import date, timedelta
from enum import StrEnum


class DayCount(StrEnum):
    """How a statutory period of days is counted from publication.

    Police Act 1996 s.55(5A) says "the period of 56 days beginning with the day on which the report is published": the
    publication day is day 1, so the last day is publication + 55. Some reports count 56 days *after* publication
    instead (last day publication + 56); which one applies is a setting of the report.
    """

    DAY_ONE = "day_one"
    AFTER = "after"


STATUTORY_COMMENT_DAYS = 56


def add_months(start: date, months: int) -> date:
    """The same day ``months`` calendar months later, or that month's last day when it is shorter.

    17 Dec 2020 + 6 months = 17 Jun 2021; 31 Aug 2023 + 6 months = 29 Feb 2024; 31 Aug 2022 + 6 months = 28 Feb 2023.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_end(published_on: date, days: int, convention: DayCount = DayCount.DAY_ONE) -> date:
    """The last day of a period of ``days`` days that starts with publication."""
    if days < 1:
        raise ValueError(f"days: a period must be at least one day, not {days}")
    return published_on + timedelta(days=days - 1 if convention is DayCount.DAY_ONE else days)


def statutory_comments_due(published_on: date, convention: DayCount = DayCount.DAY_ONE) -> date:
    """When a local policing body's published comments on an HMICFRS report are due (s.55(5A), 56 days)."""
    return period_end(published_on, STATUTORY_COMMENT_DAYS, convention)


def return_due(published_on: date, *, months: int | None, on: date | None = None) -> date | None:
    """When a report's progress returns are due: an explicit date wins, else publication plus ``months``."""
    if on is not None:
        return on
    if months is None:
        return None
    return add_months(published_on, months)


def action_due(*, own_due_on: date | None, report_due_on: date | None) -> date | None:
    """An action is due on its recommendation's own deadline where it has one, else on the report's return date."""
    return own_due_on if own_due_on is not None else report_due_on
