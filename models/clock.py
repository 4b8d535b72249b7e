"""The real clock, read in one place at the edges (commands, flows, pages). Rules never read it: they are given
"today" (the as-of day, which decides what is due) or "now" (the real instant, which runs delivery).
"""

from datetime import UTC, date, datetime

from models.rules.days import london_day


def now() -> datetime:
    """The real instant, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today in Europe/London: the default as-of day."""
    return london_day(now())
