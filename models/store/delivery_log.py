"""An agency's delivery log as people read it: every message decided for it, newest first, filtered in SQL.

Each delivery row carries the agency (and report) it is about, written when it is decided, so the log is one query
on the ``ix_deliveries_agency`` / ``ix_deliveries_agency_report`` indexes whatever the size of the table: no join to
the actions, no scan of other agencies' rows. The filters are columns of those indexes, so counting and paging read
the index alone; only the page's fifty rows are read. A reminder stage that went in a digest is shown through that
digest (the message people got); a stage never composed (skipped, or still to go) is shown on its own.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import defer
from sqlmodel import Session, col, func, select

from models.store.tables import Delivery

PER_PAGE = 50
KINDS: dict[str, str] = {
    "reminder": "Reminder",
    "chaser": "Chaser",
    "escalation": "Escalation",
    "nudge": "Nudge (no update for a while)",
    "allocated": "New owner told",
    "fresh-link": "Fresh link",
    "declined": "Handed back (not mine)",
    "signoff": "Sign-off request",
    "signoff-approved": "Signed off",
    "signoff-rejected": "Sent back by the signer",
    "further-evidence": "Further evidence asked for",
    "return": "Progress return",
    "return-missing": "Return cannot go yet",
    "comments-reminder": "Section 55 comments reminder",
    "delivery-refused": "Not delivered notice",
}
"""The kinds of message the log can be filtered by, as the page names them."""


@dataclass(frozen=True)
class LogFilter:
    status: str | None = None
    kind: str | None = None
    report_id: str | None = None


@dataclass(frozen=True)
class LogPage:
    rows: list[Delivery]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _where(agency_id: str, wanted: LogFilter) -> list[Any]:
    clauses: list[Any] = [
        col(Delivery.agency_id) == agency_id,
        # a message (no batch), a stage not composed into one (skipped, or still to go), or a message's extra channel
        or_(col(Delivery.batch).is_(None), col(Delivery.channel) != "email"),
    ]
    if wanted.report_id:
        clauses.append(col(Delivery.report_id) == wanted.report_id)
    if wanted.status:
        clauses.append(col(Delivery.status) == wanted.status)
    if wanted.kind:
        clauses.append(col(Delivery.kind) == wanted.kind)
    return clauses


def page_statements(agency_id: str, wanted: LogFilter, *, page: int, per_page: int) -> tuple[Any, Any]:
    """The two index-only queries of a page: how many rows match, and the ids of page ``page`` (newest first)."""
    where = _where(agency_id, wanted)
    count = select(func.count()).select_from(Delivery).where(*where)
    ids = select(Delivery.id).where(*where).order_by(col(Delivery.id).desc()).offset((page - 1) * per_page)
    return count, ids.limit(per_page)


def log_page(
    session: Session, *, agency_id: str, wanted: LogFilter, page: int = 1, per_page: int = PER_PAGE
) -> LogPage:
    """One page of the agency's log (``page`` from 1; past the last page gives the last page), newest first.

    The page's ids come from the index alone, then only those rows are read (an OFFSET over whole rows would read
    every row it skips).
    """
    count, _ = page_statements(agency_id, wanted, page=1, per_page=per_page)
    total = session.exec(count).one()
    last = max(1, -(-total // per_page))
    page = min(max(page, 1), last)
    _, ids = page_statements(agency_id, wanted, page=page, per_page=per_page)
    rows = session.exec(
        select(Delivery)
        .options(defer(Delivery.message))  # type: ignore[arg-type]  # the rendered message: not read for a list
        .where(col(Delivery.id).in_(ids.scalar_subquery()))
        .order_by(col(Delivery.id).desc())
    ).all()
    return LogPage(rows=list(rows), total=total, page=page, per_page=per_page)
