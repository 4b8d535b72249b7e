"""The two clocks. The as-of day (``--today``) decides what is due; the real clock (``now``, UTC) runs delivery:
claim leases and retry back-offs. The day that counts is the day in Europe/London, whatever the server's zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_day(now: datetime) -> date:
    """The day in Europe/London at the instant ``now`` (an aware datetime): 23:30 UTC on 1 June is 2 June in BST."""
    return now.astimezone(LONDON).date()
