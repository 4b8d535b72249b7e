"""Section 55 comments as rules: which bodies owe them, the 56-day clock under each convention, the chief officer's
date, and who is reminded of what on a given day.
"""

import re
from datetime import date

import pytest

from models.rules.ladder import Ladder
from models.rules.returns import comments_due
from models.rules.s55 import S55Error, S55State, bodies_owing, check_chief_date, chief_due, due_today

D = date.fromisoformat
BODIES = {"wiltshire-pcc": "wiltshire-police", "dorset-pcc": "dorset-police", "mopac": "metropolitan-police"}


@pytest.mark.parametrize(
    ("required", "about", "listed", "addressed", "expected"),
    [
        (False, "wiltshire-police", [], ["wiltshire-pcc"], []),
        (
            True,
            "wiltshire-police",
            [],
            [],
            ["wiltshire-pcc"],
        ),  # a report on one force: that force's body, actions or not
        (True, "wiltshire-police", ["dorset-pcc"], ["dorset-pcc"], ["wiltshire-pcc"]),  # about wins over a list
        (True, None, ["dorset-pcc", "mopac", "dorset-pcc"], [], ["dorset-pcc", "mopac"]),  # national: as listed
        (True, None, ["all"], [], ["dorset-pcc", "mopac", "wiltshire-pcc"]),
        (True, None, [], ["wiltshire-police", "mopac", "home-office"], ["mopac"]),  # else the bodies it addresses
        (True, None, [], ["wiltshire-police"], []),
    ],
)
def test_which_bodies_owe_comments(required, about, listed, addressed, expected):
    assert bodies_owing(required=required, about=about, listed=listed, addressed=addressed, bodies=BODIES) == expected


def test_a_listed_body_that_is_not_one_is_one_line():
    with pytest.raises(S55Error, match=r"^comments.bodies: 'wiltshire-police' is not a local policing body$"):
        bodies_owing(required=True, about=None, listed=["wiltshire-police"], addressed=[], bodies=BODIES)


@pytest.mark.parametrize(
    ("published", "convention", "due"),
    [
        ("2022-07-08", "day_one", "2022-09-01"),  # 56 days beginning with publication day: day 1 is 8 July
        ("2022-07-08", "after", "2022-09-02"),  # 56 days after publication
        ("2024-01-10", "after", "2024-03-06"),
        ("2024-02-29", "day_one", "2024-04-24"),
    ],
)
def test_the_56_day_clock_under_each_convention(published, convention, due):
    assert comments_due(D(published), convention) == D(due)


@pytest.mark.parametrize(
    ("set_on", "published", "expected"),
    [
        (None, "2022-07-08", "2022-08-11"),  # three weeks before 1 September
        ("2022-08-18", "2022-07-08", "2022-08-18"),
        (None, "2022-08-30", "2022-08-30"),  # never before publication
    ],
)
def test_the_chief_officers_date(set_on, published, expected):
    set_day = D(set_on) if set_on else None
    assert chief_due(body_due=D("2022-09-01"), published_on=D(published), set_on=set_day) == D(expected)


@pytest.mark.parametrize(
    ("chief_by", "error"),
    [
        ("2022-07-08", None),
        ("2022-08-31", None),
        ("2022-07-07", "date: 2022-07-07 is before the report was published (2022-07-08)"),
        ("2022-09-01", "date: 2022-09-01 leaves the body no time: its own comments are due 2022-09-01"),
    ],
)
def test_the_body_sets_a_date_before_its_own(chief_by, error):
    if error is None:
        check_chief_date(D(chief_by), published_on=D("2022-07-08"), body_due=D("2022-09-01"))
        return
    with pytest.raises(S55Error, match=re.escape(error)):
        check_chief_date(D(chief_by), published_on=D("2022-07-08"), body_due=D("2022-09-01"))


LADDER = Ladder(before_days=(28, 14, 7, 1))
STATE = S55State(
    published_on=D("2022-07-08"), body_due=D("2022-09-01"), chief_by=D("2022-08-11"), chief_done=False, body_done=False
)
CHIEF, PCC = "chief_officer", "pcc_contact"


@pytest.mark.parametrize(
    ("today", "sent", "changes", "expected"),
    [
        ("2022-07-07", set(), {}, []),  # before publication
        ("2022-07-08", set(), {}, [(CHIEF, "asked")]),  # the chief officer is asked first, at once
        ("2022-07-09", set(), {}, []),  # a Saturday
        ("2022-07-11", {(CHIEF, "asked")}, {}, []),
        ("2022-07-14", {(CHIEF, "asked")}, {}, [(CHIEF, "before-28")]),  # 28 days before 11 August
        ("2022-08-04", {(CHIEF, "asked")}, {}, [(CHIEF, "before-7"), (PCC, "before-28")]),
        ("2022-08-04", {(CHIEF, "asked")}, {"chief_done": True}, [(PCC, "before-28")]),  # comments in: it stops
        ("2022-08-12", {(CHIEF, "asked"), (PCC, "before-28")}, {}, [(CHIEF, "overdue-1")]),
        ("2022-08-18", {(CHIEF, "asked"), (PCC, "before-28")}, {}, [(CHIEF, "overdue-7"), (PCC, "before-14")]),
        ("2022-08-25", {(CHIEF, "asked")}, {"body_done": True}, []),  # the body's comments stop both
        ("2022-09-02", {(CHIEF, "asked"), (PCC, "due")}, {"chief_done": True}, [(PCC, "overdue-1")]),
    ],
)
def test_who_is_reminded_of_what(today, sent, changes, expected):
    state = S55State(**{**STATE.__dict__, **changes})
    due = due_today(state, today=D(today), sent=sent, ladder=LADDER, holidays=frozenset())
    assert [(role, stage.name) for role, stage in due] == expected
