from datetime import date

import pytest

from models.extraction.deadlines_text import choose_deadline, find_deadlines
from models.rules.deadlines import DayCount

PUBLISHED = date(2020, 12, 17)


@pytest.mark.parametrize(
    ("text", "due_text", "due_on"),
    [
        ("By 27 March 2025, chief constables should", "By 27 March 2025", date(2025, 3, 27)),
        ("publish it by 27/03/25.", "by 27/03/25", date(2025, 3, 27)),
        ("publish it by 27/03/2025.", "by 27/03/2025", date(2025, 3, 27)),
        ("by 31 March 2025", "by 31 March 2025", date(2025, 3, 31)),
        ("by the 1st of April 2025", "by the 1st of April 2025", date(2025, 4, 1)),
        ("by the end of March 2025", "by the end of March 2025", date(2025, 3, 31)),
        ("by February 2024", "by February 2024", date(2024, 2, 29)),
        ("by the end of 2025", "by the end of 2025", date(2025, 12, 31)),
        ("by the end of the 2024/25 financial year", "by the end of the 2024/25 financial year", date(2025, 3, 31)),
        ("within six months", "within six months", date(2021, 6, 17)),
        ("within 6 months", "within 6 months", date(2021, 6, 17)),
        ("Within 56 days, forces should", "Within 56 days", date(2021, 2, 11)),
        ("56 days from publication", "56 days from publication", date(2021, 2, 11)),
        (
            "within three months of the publication of this report.",
            "within three months of the publication of this report",
            date(2021, 3, 17),
        ),
        (
            "within six months of the date of publication of this report.",
            "within six months of the date of publication of this report",
            date(2021, 6, 17),
        ),
        (
            "within three months of the date of this report, forces should",
            "within three months of the date of this report",
            date(2021, 3, 17),
        ),
        ("By 1 October 2023, chief fire officers should", "By 1 October 2023", date(2023, 10, 1)),
        ("Not later than 31 March 2015 those forces", "Not later than 31 March 2015", date(2015, 3, 31)),
        ("within a year", "within a year", date(2021, 12, 17)),
        ("within twenty-four months", "within twenty-four months", date(2022, 12, 17)),
        ("Immediately, forces should", "immediately", None),
    ],
)
def test_deadline_phrases_resolve(text: str, due_text: str, due_on: date | None) -> None:
    chosen, warnings = choose_deadline(find_deadlines(text, PUBLISHED))
    assert chosen is not None
    assert (chosen.due_text, chosen.due_on) == (due_text, due_on)
    assert warnings == []


def test_calendar_months_end_on_the_last_day_of_a_shorter_month() -> None:
    chosen, _ = choose_deadline(find_deadlines("within six months", date(2023, 8, 31)))
    assert chosen is not None
    assert chosen.due_on == date(2024, 2, 29)


def test_days_follow_the_day_count_convention() -> None:
    after = find_deadlines("within 56 days", PUBLISHED, DayCount.AFTER)[0]
    day_one = find_deadlines("within 56 days", PUBLISHED, DayCount.DAY_ONE)[0]
    assert (after.due_on, day_one.due_on) == (date(2021, 2, 11), date(2021, 2, 10))


def test_an_impossible_date_is_a_warning_not_a_crash() -> None:
    chosen, warnings = choose_deadline(find_deadlines("report by 31/02/25.", PUBLISHED))
    assert chosen is not None
    assert chosen.due_on is None
    assert chosen.due_text == "by 31/02/25"
    assert warnings == ["'by 31/02/25' is not a real date"]


def test_relative_phrase_without_publication_date_keeps_the_phrase_and_warns() -> None:
    chosen, warnings = choose_deadline(find_deadlines("within six months", None))
    assert chosen is not None
    assert chosen.due_on is None
    assert chosen.due_text == "within six months"
    assert "no publication date" in warnings[0]


def test_a_period_counted_from_something_else_is_not_resolved() -> None:
    chosen, warnings = choose_deadline(find_deadlines("within 24 months of the new code coming in", PUBLISHED))
    assert chosen is not None
    assert chosen.due_on is None
    assert "other than publication" in warnings[0]


def test_a_dated_phrase_wins_over_immediately_and_several_dates_warn() -> None:
    chosen, warnings = choose_deadline(
        find_deadlines("Immediately review, and by 31 March 2025 publish; report by 30 June 2025.", PUBLISHED)
    )
    assert chosen is not None
    assert chosen.due_on == date(2025, 3, 31)
    assert "several deadlines" in warnings[0]
    assert "30 June 2025" in warnings[0]


def test_text_without_a_deadline_has_none() -> None:
    assert find_deadlines("Forces should train officers in 2 languages.", PUBLISHED) == []
