"""England and Wales bank holidays, from the maintained ``holidays`` library (it follows the proclamations: moved
and extra days such as the 2022 state funeral are in it). Kept apart from ``models.rules.working_days`` so the rules stay
pure and take the calendar as a parameter.
"""

import functools
from collections.abc import Iterable
from datetime import date

import holidays


@functools.cache
def _year(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def england_and_wales(years: Iterable[int]) -> frozenset[date]:
    """The bank holidays of England and Wales (the same days in both) in the given years."""
    days: set[date] = set()
    for year in years:
        days |= _year(year)
    return frozenset(days)


def around(day: date) -> frozenset[date]:
    """The bank holidays of the year before ``day`` to the year after: enough for any ladder worked out on it."""
    return england_and_wales(range(day.year - 1, day.year + 2))
