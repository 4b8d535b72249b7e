"""Due dates that change under control. Pure: every date comes in as a parameter.

What forces' committees ask for: a target date is changed rarely and only with approval (many allow one change), the
reason is recorded with both dates, and the date the report set stays visible. A report that is re-issued with a new
date moves the actions whose date still comes from it; an action whose date was changed on request keeps that date.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from models.rules.errors import ActionedError
from models.rules.vocabulary import CLOSED, ContactRole, Status

DEFAULT_DATE_CHANGES = 1
"""How many times one action's due date may move on request, unless the report's settings say otherwise."""

APPROVERS: tuple[ContactRole, ...] = (ContactRole.PORTFOLIO_LEAD, ContactRole.LIAISON_OFFICER)
"""Who approves a due-date change: the agency's portfolio lead or its liaison officer."""


class DueDateError(ActionedError):
    """A due-date change that cannot be made: the message says why and names the field."""


def date_changes_allowed(settings: Mapping[str, Any] | None, *, report_id: str = "report") -> int:
    """The report's limit on due-date changes per action (``settings: {date_changes: N}``; 0 forbids them)."""
    value = (settings or {}).get("date_changes", DEFAULT_DATE_CHANGES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DueDateError(
            f"expected a whole number of changes (0 forbids them), got {value!r}",
            about=report_id,
            field="settings.date_changes",
        )
    return value


def item_due(
    *, own_due_on: date | None, immediately: bool, published_on: date, report_due_on: date | None
) -> date | None:
    """An item's due date: its own date (from its text or its definition); "immediately" means by publication day,
    so it is overdue from the next day; else the report's return date.
    """
    if own_due_on is not None:
        return own_due_on
    if immediately:
        return published_on
    return report_due_on


def check_change_request(
    *,
    status: Status,
    due_on: date | None,
    to_on: date,
    reason: str | None,
    changes_made: int,
    limit: int,
    pending: bool,
) -> None:
    """Raise DueDateError (naming the field) when this due-date change may not be asked for; None when it may."""
    if status in CLOSED:
        raise DueDateError(f"a {status.value} action's due date cannot change (reopen it first)", field="due_on")
    if not (reason and reason.strip()):
        raise DueDateError("give the reason for moving the due date; the committee will read it", field="reason")
    if to_on == due_on:
        raise DueDateError(f"the action is already due on {to_on.isoformat()}", field="due_on")
    if pending:
        raise DueDateError("a change of this action's due date is already waiting for approval", field="due_on")
    if changes_made >= limit:
        times = "once" if limit == 1 else f"{limit} times"
        allowed = "may not move" if limit == 0 else f"may move only {times}"
        raise DueDateError(
            f"this report's due dates {allowed} and this one has moved {changes_made} time(s)", field="due_on"
        )


def check_approver(role: ContactRole | None) -> None:
    """Only the agency's portfolio lead or liaison officer approves (or refuses) a due-date change."""
    if role not in APPROVERS:
        raise DueDateError(
            "a due-date change is approved by the agency's portfolio lead or liaison officer", field="by"
        )


def moved_by_reissue(
    *, status: Status, due_on: date | None, due_changes: int, old_date: date | None, new_date: date | None
) -> date | None:
    """The new due date of an action when its report (or item) is re-imported with a changed date, else None.

    Only open actions whose date still comes from the report move: closed ones keep their history, and one whose
    date was changed on request keeps the date that was approved.
    """
    if status in CLOSED or due_changes > 0 or new_date is None or old_date == new_date:
        return None
    if due_on != old_date:
        return None
    return new_date
