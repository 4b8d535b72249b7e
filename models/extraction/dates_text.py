"""Calendar dates as documents write them: "17 December 2020", "24/02/21", "17.12.2020", "December 17, 2020"."""

import re
from datetime import date

from models.extraction.deadlines_text import MONTHS

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERN = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})[/.\-](?P<m2>\d{1,2})[/.\-](?P<y2>\d{4}|\d{2}))\b",
    re.IGNORECASE,
)


def parse_date_match(match: re.Match[str]) -> date:
    """The date a DATE_PATTERN match names (day first, as UK documents write it); ValueError when it does not exist."""
    if match.group("d1"):
        return date(int(match.group("y1")), MONTHS[match.group("month").lower()], int(match.group("d1")))
    year = int(match.group("y2"))
    return date(year + 2000 if year < 100 else year, int(match.group("m2")), int(match.group("d2")))


def whole_date(text: str) -> date | None:
    """The date when ``text`` is nothing but a date (a dated line at the top of a letter), else None."""
    match = DATE_PATTERN.fullmatch(text.strip().rstrip("."))
    if match is None:
        return None
    try:
        return parse_date_match(match)
    except ValueError:
        return None
