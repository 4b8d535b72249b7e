"""The pure rules of returns, by tables of cases: assembly, the pre-send check, due, may go, s.55 dates."""

from datetime import date

import pytest

from models.rules.returns import (
    MISSING_RESPONSE,
    ActionInput,
    Person,
    RecommendationInput,
    ReturnState,
    all_closed,
    assemble,
    comments_due,
    comments_reminder,
    decide_return,
    is_due,
    may_send,
    missing_notice_due,
    pre_send_check,
)
from models.rules.vocabulary import ReturnDecision, ReturnKind, Status
from models.rules.working_days import is_working_day

RECS = [
    RecommendationInput("8", "To all recipients", "Provide an update.", 3),
    RecommendationInput("1", "To chief constables", "Stop sharing.", 0),
    RecommendationInput("2", "To the Home Office", "Build a firewall.", 1),
    RecommendationInput("5", "To chief constables and PCCs", "Promote confidence.", 2),
]
LIAISON = Person("Morgan Hale", "HMICFRS Liaison Officer", "morgan.hale@wiltshire-police.example")


def content(responses: dict[str, str | None], *, liaison: Person | None = LIAISON, kind=ReturnKind.PROGRESS):
    return assemble(
        kind=kind,
        today=date(2021, 6, 17),
        report_title="Safe to share?",
        agency_name="Wiltshire Police",
        recommendations=RECS,
        actions=[ActionInput(n, Status.OPEN, r) for n, r in responses.items()],
        liaison=liaison,
    )


def test_a_return_holds_only_the_agencys_own_recommendations_in_report_order():
    c = content({"8": "Noted.", "1": "Done.", "5": None})
    assert [r.number for r in c.rows] == ["1", "5", "8"]  # not 2: addressed to the Home Office
    assert c.rows[0].heading == "Recommendation 1. To chief constables"
    assert c.heading == "RESPONSE OF WILTSHIRE POLICE TO THE HMICFRS REPORT"
    assert c.date_text == "17/06/21"


@pytest.mark.parametrize(
    ("responses", "liaison", "expected"),
    [
        ({"1": "Done.", "5": "Done."}, LIAISON, []),
        ({"1": "Done.", "5": None}, LIAISON, ["recommendation 5: no response recorded"]),
        (
            {"1": "   ", "5": ""},
            LIAISON,
            ["recommendation 1: no response recorded", "recommendation 5: no response recorded"],
        ),
        ({"1": "Done."}, None, ["no liaison officer is recorded for the agency"]),
    ],
)
def test_the_pre_send_check_lists_exactly_what_is_missing(responses, liaison, expected):
    assert pre_send_check(content(responses, liaison=liaison)) == expected


def test_a_missing_response_is_marked_plainly_in_the_document():
    (row,) = content({"1": None}).rows
    assert row.response_text == MISSING_RESPONSE
    assert not row.has_response


def test_comments_need_the_bodys_own_comments():
    c = content({"5": "Done."}, kind=ReturnKind.COMMENTS)
    assert pre_send_check(c) == ["the local policing body's comments are not recorded"]
    assert c.heading == "COMMENTS OF THE WILTSHIRE POLICE ON THE HMICFRS REPORT"


DUE = date(2021, 6, 17)


@pytest.mark.parametrize(
    ("today", "early", "closed", "approved", "expected"),
    [
        (date(2021, 6, 16), False, True, True, False),  # the day before; early returns not allowed
        (DUE, False, False, False, True),  # the return date has come
        (date(2021, 9, 1), False, False, False, True),  # and stays due after it
        (date(2021, 3, 1), True, True, True, True),  # early: all closed and approved
        (date(2021, 3, 1), True, True, False, False),  # early, but not approved
        (date(2021, 3, 1), True, False, True, False),  # early, but an action is still open
        (date(2021, 3, 1), False, True, True, False),  # the report does not allow early returns
    ],
)
def test_a_return_is_due_on_its_date_or_early_when_closed_and_approved(today, early, closed, approved, expected):
    assert is_due(today=today, due_on=DUE, early_returns=early, all_closed=closed, approved=approved) is expected


def test_a_report_without_a_return_date_has_returns_due_only_early():
    assert not is_due(today=date(2030, 1, 1), due_on=None, early_returns=False, all_closed=True, approved=True)
    assert is_due(today=date(2030, 1, 1), due_on=None, early_returns=True, all_closed=True, approved=True)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.COMPLETE, Status.NOT_ACCEPTED, Status.SUPERSEDED], True),
        ([Status.COMPLETE, Status.PENDING_SIGNOFF], False),
        ([], False),
    ],
)
def test_all_closed(statuses, expected):
    assert all_closed(statuses) is expected


@pytest.mark.parametrize(
    ("has_liaison", "missing", "as_is", "expected"),
    [
        (True, 0, False, True),
        (True, 2, False, False),
        (True, 2, True, True),  # the liaison officer chose to send it as it stands
        (False, 0, False, False),  # an agency that does not use the system
        (False, 0, True, False),
    ],
)
def test_a_return_may_go_with_a_liaison_officer_and_every_response_or_by_choice(has_liaison, missing, as_is, expected):
    assert may_send(has_liaison=has_liaison, missing_responses=missing, send_as_is=as_is) is expected


def state(**changes):
    base = {
        "due": True,
        "submitted": False,
        "on_hold": False,
        "has_liaison": True,
        "missing_responses": 0,
        "send_as_is": False,
    }
    return ReturnState(**{**base, **changes})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ReturnDecision.SEND),
        ({"submitted": True}, ReturnDecision.SENT),
        ({"submitted": True, "on_hold": True}, ReturnDecision.SENT),
        ({"due": False}, ReturnDecision.NOT_DUE),
        ({"due": False, "missing_responses": 3}, ReturnDecision.NOT_DUE),
        ({"on_hold": True}, ReturnDecision.HELD),
        ({"on_hold": True, "missing_responses": 1}, ReturnDecision.HELD),
        ({"has_liaison": False}, ReturnDecision.NO_LIAISON),
        ({"missing_responses": 1}, ReturnDecision.MISSING),
        ({"missing_responses": 1, "send_as_is": True}, ReturnDecision.SEND),
    ],
)
def test_what_happens_to_a_return_today(changes, expected):
    assert decide_return(state(**changes)) is expected


@pytest.mark.parametrize(
    ("published", "convention", "expected"),
    [
        (date(2020, 12, 17), "day_one", date(2021, 2, 10)),  # s.55(5A): publication day is day 1
        (date(2020, 12, 17), "after", date(2021, 2, 11)),  # 56 days after publication
        (date(2024, 1, 10), "day_one", date(2024, 3, 5)),  # through a leap day
        (date(2024, 1, 10), "after", date(2024, 3, 6)),
    ],
)
def test_s55_comments_fall_due_under_either_convention(published, convention, expected):
    assert comments_due(published, convention) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2021, 1, 27), 14),
        (date(2021, 1, 28), None),
        (date(2021, 2, 3), 7),
        (date(2021, 2, 9), 1),
        (date(2021, 2, 10), None),  # the deadline itself: reminders go before it
        (date(2021, 2, 11), None),
    ],
)
def test_comments_reminders_go_on_fixed_days_before_the_deadline(today, expected):
    assert comments_reminder(today=today, due_on=date(2021, 2, 10)) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2021, 6, 16), False),  # before the due date
        (date(2021, 6, 17), True),  # Thursday: the due date
        (date(2021, 6, 18), True),
        (date(2021, 6, 19), False),  # Saturday
        (date(2021, 6, 20), False),  # Sunday
        (date(2021, 6, 21), True),
        (date(2021, 8, 30), False),  # the summer bank holiday (given as data)
    ],
)
def test_the_missing_notice_goes_each_working_day_from_the_due_date(today, expected):
    holidays = {date(2021, 8, 30)}
    assert missing_notice_due(today=today, due_on=DUE, holidays=holidays) is expected
    assert not is_working_day(date(2021, 8, 30), holidays)
