"""The RAG rating forces report to their boards. Pure: "today" is a parameter."""

from datetime import date
from enum import StrEnum

from models.rules.transitions import CLOSED, Status

AMBER_WITHIN_DAYS = 28
STALE_AFTER_DAYS = 30


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def rag(status: Status, due_on: date | None, last_update_on: date, today: date) -> Rag:
    """Red: overdue. Amber: due within 28 days, or no update for 30 days. Green: otherwise, and every closed action.

    A closed action is green whatever its dates: the work is done (or formally declined), nothing is at risk.
    """
    if status in CLOSED:
        return Rag.GREEN
    if due_on is not None and due_on < today:
        return Rag.RED
    if due_on is not None and (due_on - today).days <= AMBER_WITHIN_DAYS:
        return Rag.AMBER
    if (today - last_update_on).days >= STALE_AFTER_DAYS:
        return Rag.AMBER
    return Rag.GREEN
