"""Deadline phrases written into a recommendation, resolved to dates.

Absolute: "By 27 March 2025", "by 27/03/25", "by the end of March 2025", "by March 2025" (the month's last day), "by the
end of 2025", "by the end of the 2024/25 financial year" (31 March 2025). Relative to publication: "within six months",
"within 56 days", "56 days from publication", "within three months of the publication of this report", counted in
calendar months (models.rules.deadlines.add_months) and in days by the report's day-count convention. "Immediately" gives
a phrase but no date. A date that does not exist ("31/02/25") is a warning, never a crash.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from models.rules.deadlines import DayCount, add_months, period_end

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_TEENS = ["thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS: dict[str, int] = {"a": 1, "an": 1, **{w: i for i, w in enumerate(_UNITS + _TEENS, start=1)}}
for _tens_word, _tens in _TENS.items():
    NUMBER_WORDS[_tens_word] = _tens
    for _i, _unit in enumerate(_UNITS[:9], start=1):
        NUMBER_WORDS[f"{_tens_word}-{_unit}"] = _tens + _i
        NUMBER_WORDS[f"{_tens_word} {_unit}"] = _tens + _i

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_BY = r"\b(?:by|before|no later than|not later than|on or before)\s+"
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>days?|weeks?|months?|years?)"
_PUBLICATION = (
    r"(?:of|from|after|following)\s+(?:the\s+)?(?:date\s+of\s+)?(?:the\s+)?(?:publication|publishing)"
    r"(?:\s+(?:date\s+)?of\s+(?:this|the)\s+(?:report|inspection report))?"
    r"|(?:of|from|after|following)\s+(?:this|the)\s+report['’]s\s+publication"
    r"|(?:of|from|after|following)\s+the\s+date\s+of\s+this\s+(?:report|inspection report|letter)"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day_month_year",
        re.compile(
            _BY + r"(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month_day_year",
        re.compile(_BY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.IGNORECASE),
    ),
    (
        "numeric",
        re.compile(_BY + r"(?P<day>\d{1,2})[/.\-](?P<mon>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})\b", re.IGNORECASE),
    ),
    (
        "financial_year",
        re.compile(
            _BY + r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?:(?P<y1>\d{4})\s*[/\-–]\s*(?P<y2>\d{2,4})"
            r"\s+financial\s+year|financial\s+year\s+(?P<y3>\d{4})\s*[/\-–]\s*(?P<y4>\d{2,4}))",
            re.IGNORECASE,
        ),
    ),
    (
        "month_year",
        re.compile(_BY + r"(?:the\s+)?(?:end\s+of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.IGNORECASE),
    ),
    (
        "year_end",
        re.compile(
            _BY + r"(?:the\s+)?end\s+of\s+(?:(?:the\s+)?(?:calendar\s+)?year\s+)?(?P<year>\d{4})\b", re.IGNORECASE
        ),
    ),
    (
        "within",
        re.compile(
            r"\b(?:within|in\s+the\s+next)\s+" + _NUMBER + r"\s+" + _UNIT + r"(?:\s+(?:" + _PUBLICATION + r"))?",
            re.IGNORECASE,
        ),
    ),
    (
        "after_publication",
        re.compile(r"\b" + _NUMBER + r"\s+" + _UNIT + r"\s+(?:" + _PUBLICATION + r")", re.IGNORECASE),
    ),
    ("immediately", re.compile(r"\bimmediately\b", re.IGNORECASE)),
]


_OTHER_START = re.compile(r"\s+(?:of|from|after|following)\s+(?!publication)[^,.;]{1,60}", re.IGNORECASE)
""""within 24 months of the new legislation": a period that does not start at publication is not resolved."""


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase found in a text: as written, with its date when it resolves to one."""

    due_text: str
    due_on: date | None
    start: int
    warning: str | None = None


def _year(text: str) -> int:
    value = int(text)
    return 2000 + value if value < 100 else value


def _absolute(kind: str, match: re.Match[str]) -> date:
    """The date an absolute phrase names; ValueError when it does not exist."""
    groups = match.groupdict()
    if kind == "financial_year":
        first = groups["y1"] or groups["y3"]
        return date(int(first) + 1, 3, 31)
    if kind == "year_end":
        return date(_year(groups["year"]), 12, 31)
    year = _year(groups["year"])
    month = int(groups["mon"]) if kind == "numeric" else MONTHS[groups["month"].lower()]
    if kind == "month_year":
        if not 1 <= month <= 12:
            raise ValueError("month out of range")
        return date(year, month, monthrange(year, month)[1])
    return date(year, month, int(groups["day"]))


def _relative(match: re.Match[str], published_on: date, convention: DayCount) -> date:
    raw = match.group("n").lower()
    count = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
    unit = match.group("unit").lower().rstrip("s")
    if unit == "month":
        return add_months(published_on, count)
    if unit == "year":
        return add_months(published_on, 12 * count)
    days = count * 7 if unit == "week" else count
    return period_end(published_on, days, convention) if days > 0 else published_on + timedelta(days=days)


def find_deadlines(text: str, published_on: date | None, convention: DayCount = DayCount.AFTER) -> list[Deadline]:
    """Every deadline phrase in ``text``, in order, overlapping matches resolved in favour of the more specific.

    Relative periods count from publication: months and years by the calendar, days by ``convention`` (AFTER: "within
    56 days" of 17 Dec is 11 Feb, 56 days later; DAY_ONE counts publication day as day 1).
    """
    found: list[tuple[int, int, Deadline]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            phrase = re.sub(r"\s+", " ", match.group(0)).strip()
            if kind == "immediately":
                deadline = Deadline("immediately", None, start)
            elif kind in ("within", "after_publication"):
                other = _OTHER_START.match(text, end)
                if other:
                    phrase = re.sub(r"\s+", " ", text[start : end + len(other.group(0))]).strip()
                    deadline = Deadline(
                        phrase, None, start, f"{phrase!r}: counts from something other than publication"
                    )
                elif published_on is None:
                    deadline = Deadline(phrase, None, start, f"{phrase!r}: no publication date to count from")
                else:
                    deadline = Deadline(phrase, _relative(match, published_on, convention), start)
            else:
                try:
                    deadline = Deadline(phrase, _absolute(kind, match), start)
                except ValueError:
                    deadline = Deadline(phrase, None, start, f"{phrase!r} is not a real date")
            taken.append((start, end))
            found.append((start, end, deadline))
    return [deadline for _, _, deadline in sorted(found, key=lambda item: item[0])]


def choose_deadline(deadlines: list[Deadline]) -> tuple[Deadline | None, list[str]]:
    """The recommendation's deadline: the first dated (or datable) phrase, else "immediately".

    Returns the chosen one and warnings: its own (an impossible date, no publication date) and one naming the other
    dated phrases when there are several different ones, since only one can be the recommendation's deadline.
    """
    dated = [d for d in deadlines if d.due_text != "immediately"]
    chosen = dated[0] if dated else (deadlines[0] if deadlines else None)
    warnings: list[str] = []
    if chosen is not None and chosen.warning:
        warnings.append(chosen.warning)
    others = sorted(
        {d.due_text for d in dated[1:] if d.due_text.lower() != (chosen.due_text.lower() if chosen else "")}
    )
    if chosen is not None and others:
        warnings.append(f"several deadlines ({chosen.due_text!r}, then {', '.join(map(repr, others))}): used the first")
    return chosen, warnings
