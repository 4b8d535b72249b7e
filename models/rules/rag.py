"""The RAG rating forces report to their boards, per action and per agency. Pure: "today" is a parameter."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from models.rules.days import london_day
from models.rules.vocabulary import CLOSED, Rag, Status

AMBER_WITHIN_DAYS = 28
STALE_AFTER_DAYS = 30


def rag(status: Status | str, due_on: date | None, last_update_on: date, today: date) -> Rag:
    """Red: overdue. Amber: due within 28 days, or no update for 30 days. Green: otherwise, and every closed action.

    A closed action is green whatever its dates: the work is done (or formally declined), nothing is at risk.
    """
    if Status(status) in CLOSED:
        return Rag.GREEN
    if due_on is not None and due_on < today:
        return Rag.RED
    if due_on is not None and (due_on - today).days <= AMBER_WITHIN_DAYS:
        return Rag.AMBER
    if (today - last_update_on).days >= STALE_AFTER_DAYS:
        return Rag.AMBER
    return Rag.GREEN


class Rated(Protocol):
    """What the rating reads of an action."""

    @property
    def status(self) -> str: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def last_event_at(self) -> datetime: ...


def action_rag(action: Rated, today: date) -> Rag:
    """An action's rating on ``today``: its last update counts on the day it was in London."""
    return rag(action.status, action.due_on, london_day(action.last_event_at), today)


def overall(ratings: Iterable[Rag]) -> Rag | None:
    """An agency's (or a report's) rating: the worst of its actions' (None when it has none).

    Boards read one red action as a red agency: the point of the rating is that nothing overdue hides in an average.
    """
    seen = set(ratings)
    for worst_first in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if worst_first in seen:
            return worst_first
    return None
