"""Working days: Monday to Friday, less the holidays given. Pure: the holiday calendar is a parameter (see
``models.bank_holidays`` for England and Wales), so a rule can be tested with any calendar and any "today".
"""

from collections.abc import Set as AbstractSet
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: AbstractSet[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: AbstractSet[date]) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += ONE_DAY
    return day


def previous_working_day(day: date, holidays: AbstractSet[date]) -> date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not is_working_day(day, holidays):
        day -= ONE_DAY
    return day


def working_days_between(start: date, end: date, holidays: AbstractSet[date]) -> list[date]:
    """The working days from ``start`` to ``end``, both included."""
    days = []
    day = start
    while day <= end:
        if is_working_day(day, holidays):
            days.append(day)
        day += ONE_DAY
    return days
