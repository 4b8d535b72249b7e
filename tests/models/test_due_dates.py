"""Due dates under control: the limit, the reason, who approves, and what a re-issued report moves."""

from datetime import date

import pytest

from models.rules.due_dates import (
    DueDateError,
    check_approver,
    check_change_request,
    date_changes_allowed,
    item_due,
    moved_by_reissue,
)
from models.rules.vocabulary import ContactRole, Status

D = date.fromisoformat
S = Status


@pytest.mark.parametrize(
    ("settings", "expected"),
    [(None, 1), ({}, 1), ({"date_changes": 0}, 0), ({"date_changes": 3}, 3)],
)
def test_date_changes_allowed(settings, expected):
    assert date_changes_allowed(settings) == expected


@pytest.mark.parametrize("value", [-1, "one", True, 1.5])
def test_a_bad_limit_is_one_line(value):
    with pytest.raises(DueDateError, match=r"^r: settings.date_changes: expected a whole number"):
        date_changes_allowed({"date_changes": value}, report_id="r")


@pytest.mark.parametrize(
    ("own", "immediately", "report_due", "expected"),
    [
        (D("2021-03-01"), False, D("2021-06-17"), D("2021-03-01")),
        (None, True, D("2021-06-17"), D("2020-12-17")),  # "immediately": by publication day
        (None, False, D("2021-06-17"), D("2021-06-17")),
        (None, False, None, None),
    ],
)
def test_item_due(own, immediately, report_due, expected):
    assert item_due(
        own_due_on=own, immediately=immediately, published_on=D("2020-12-17"), report_due_on=report_due
    ) == (expected)


OK = {
    "status": S.IN_PROGRESS,
    "due_on": D("2021-06-17"),
    "to_on": D("2021-09-30"),
    "reason": "Awaiting the new IT system",
    "changes_made": 0,
    "limit": 1,
    "pending": False,
}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": None}, "reason", "give the reason"),
        ({"reason": "   "}, "reason", "give the reason"),
        ({"changes_made": 1}, "due_on", "may move only once and this one has moved 1"),
        ({"changes_made": 2, "limit": 2}, "due_on", "may move only 2 times"),
        ({"limit": 0}, "due_on", "may not move"),
        ({"pending": True}, "due_on", "already waiting for approval"),
        ({"status": S.COMPLETE}, "due_on", "cannot change"),
        ({"to_on": D("2021-06-17")}, "due_on", "already due on 2021-06-17"),
    ],
)
def test_a_change_that_may_not_be_asked_says_why(changes, field, message):
    with pytest.raises(DueDateError, match=message) as refused:
        check_change_request(**{**OK, **changes})
    assert refused.value.field == field


@pytest.mark.parametrize(
    "changes", [{}, {"changes_made": 1, "limit": 2}, {"status": S.AWAITING_ALLOCATION}, {"due_on": None}]
)
def test_a_change_that_may_be_asked(changes):
    check_change_request(**{**OK, **changes})


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (ContactRole.PORTFOLIO_LEAD, True),
        (ContactRole.LIAISON_OFFICER, True),
        (ContactRole.OWNER, False),
        (ContactRole.CHIEF_OFFICER, False),
        (None, False),
    ],
)
def test_who_approves(role, allowed):
    if allowed:
        check_approver(role)
    else:
        with pytest.raises(DueDateError, match="portfolio lead or liaison officer"):
            check_approver(role)


@pytest.mark.parametrize(
    ("status", "due_on", "changes", "old", "new", "expected"),
    [
        (S.OPEN, D("2021-06-17"), 0, D("2021-06-17"), D("2021-07-01"), D("2021-07-01")),
        (S.IN_PROGRESS, D("2021-06-17"), 0, D("2021-06-17"), D("2021-07-01"), D("2021-07-01")),
        (S.PENDING_SIGNOFF, D("2021-06-17"), 0, D("2021-06-17"), D("2021-07-01"), D("2021-07-01")),
        (S.COMPLETE, D("2021-06-17"), 0, D("2021-06-17"), D("2021-07-01"), None),  # closed: history stays
        (S.OPEN, D("2021-09-30"), 1, D("2021-06-17"), D("2021-07-01"), None),  # changed on request: kept
        (S.OPEN, D("2021-06-17"), 0, D("2021-06-17"), D("2021-06-17"), None),  # nothing changed
        (S.OPEN, D("2021-06-17"), 0, D("2021-06-17"), None, None),
        (S.OPEN, None, 0, None, D("2021-07-01"), D("2021-07-01")),  # a date where there was none
    ],
)
def test_moved_by_reissue(status, due_on, changes, old, new, expected):
    assert moved_by_reissue(status=status, due_on=due_on, due_changes=changes, old_date=old, new_date=new) == expected
