"""The day that counts: the calendar day in Europe/London, whatever the server's own time zone.

A deadline of 17 June means 17 June in England and Wales: at 00:30 on 18 June in London it is still 17 June in UTC,
and the action is already overdue. Pure: the instant is a parameter (the edges read the clock, see
``models.clock``).
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_midnight(day: date) -> datetime:
    """The instant ``day`` begins in London (an aware datetime): every instant before it falls on an earlier day."""
    return datetime.combine(day, time(0), tzinfo=LONDON)


def london_day(instant: datetime) -> date:
    """The calendar day in London at ``instant`` (a naive instant is taken as UTC, as the tables store it)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(LONDON).date()
