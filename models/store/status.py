"""The RAG summary per report and agency (``actioned status``): counts by status and by rating."""

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session

from models.rules.rag import action_rag
from models.store.actions import list_actions
from models.store.register import agency_names


def summary(session: Session, *, report_id: str | None, today: date) -> list[dict[str, Any]]:
    """Per (report, agency): the agency's name, how many actions in each status, ``rag_<rating>`` counts and the
    total, in report and agency order.
    """
    names = agency_names(session)
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in list_actions(session, report_id=report_id):
        a = row.action
        key = (a.report_id, a.agency_id)
        counts[key][a.status] += 1
        counts[key]["rag_" + action_rag(a, today).value] += 1
        counts[key]["total"] += 1
    return [
        {"report": r, "agency": ag, "agency_name": names.get(ag, ag), **dict(c)}
        for (r, ag), c in sorted(counts.items())
    ]
