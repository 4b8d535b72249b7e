"""What stands in an agency's return around the actions: the responses as written and the comments
(chief officer, portfolio lead, PCC), each save kept.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from models.rules.errors import ConflictError
from models.store.actions import record_response
from models.store.register import get_agency
from models.store.reports import get_report
from models.store.tables import (
    Action,
    Recommendation,
    ReturnComments,
    ReturnCommentsChange,
)

COMMENT_FIELDS = ("chief_officer", "portfolio_lead", "pcc")
"""The comments the liaison officer's and staff pages edit: the chief officer's, the portfolio lead's and the PCC's."""


def responses_written(session: Session, *, report_id: str, agency_id: str) -> dict[str, str]:
    """Recommendation number -> the response already recorded in the agency's action (non-empty ones only)."""
    rows = session.exec(
        select(Recommendation.number, Action.response)
        .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
        .where(Action.report_id == report_id, Action.agency_id == agency_id)
    )
    return {number: response for number, response in rows if response and response.strip()}


def comments_written(session: Session, *, report_id: str, agency_id: str) -> dict[str, str]:
    """The parts of the agency's return comments that already hold text."""
    row = session.get(ReturnComments, (report_id, agency_id))
    parts = ("chief_officer", "portfolio_lead", "pcc", "lpb_comments")
    return {name: getattr(row, name) for name in parts if row is not None and (getattr(row, name) or "").strip()}


def set_return_comments(
    session: Session,
    *,
    report_id: str,
    agency_id: str,
    by: str,
    chief_officer: str | None = None,
    portfolio_lead: str | None = None,
    pcc: str | None = None,
    lpb_comments: str | None = None,
    signatory: str | None = None,
    sign_off: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ReturnComments:
    """Record the comments that stand around an agency's responses in its return (None leaves a part as it is),
    and who signed the response document and the line it was signed off with, as read from it.

    ``expected_version`` (the page's): someone else saved since raises ConflictError and nothing changes. Every save
    is kept as a row of ``return_comments_changes``.
    """
    get_report(session, report_id=report_id)
    get_agency(session, agency_id=agency_id)
    row = session.get(ReturnComments, (report_id, agency_id), with_for_update=True) or ReturnComments(
        report_id=report_id, agency_id=agency_id
    )
    if expected_version is not None and expected_version != row.version:
        raise ConflictError("someone else saved these comments first", field="version")
    for name, value in (
        ("chief_officer", chief_officer),
        ("portfolio_lead", portfolio_lead),
        ("pcc", pcc),
        ("lpb_comments", lpb_comments),
        ("signatory", signatory),
        ("sign_off", sign_off),
    ):
        if value is not None:
            setattr(row, name, value)
    row.updated_by = by
    row.updated_at = now or datetime.now(UTC)
    row.version += 1
    session.add(row)
    session.add(
        ReturnCommentsChange(
            report_id=report_id,
            agency_id=agency_id,
            version=row.version,
            chief_officer=row.chief_officer,
            portfolio_lead=row.portfolio_lead,
            pcc=row.pcc,
            lpb_comments=row.lpb_comments,
            changed_by=by,
            changed_at=row.updated_at,
        )
    )
    session.flush()
    return row


def record_return_content(session: Session, *, report_id: str, seed: Mapping[str, Any], by: str) -> None:
    """A return's content as an agency wrote it (``responses`` by recommendation number, ``chief_officer`` and
    ``portfolio_lead`` comments): the shipped example return, recorded as its liaison officer would.
    """
    for number, text in seed["responses"].items():
        record_response(session, report_id=report_id, agency_id=seed["agency"], number=number, text=text, by=by)
    set_return_comments(
        session,
        report_id=report_id,
        agency_id=seed["agency"],
        by=by,
        chief_officer=seed["chief_officer"],
        portfolio_lead=seed["portfolio_lead"],
    )
