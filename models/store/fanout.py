"""The fan-out: one action per (recommendation, addressed agency), created in sets."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from models.rules.deadlines import action_due
from models.rules.recipients import (
    recipients_by_recommendation,
)
from models.rules.vocabulary import Status
from models.store.actions import SYSTEM
from models.store.bulk import bulk_insert, insert_returning
from models.store.register import default_owners, group_members
from models.store.reports import get_report, report_due_on
from models.store.tables import (
    Action,
    Agency,
    Event,
    Recommendation,
)


@dataclass
class FanOutSummary:
    report_id: str
    created: int
    existing: int
    by_recommendation: dict[str, int]


def fan_out(session: Session, *, report_id: str, now: datetime | None = None) -> FanOutSummary:
    """One action per (recommendation, addressed agency), created in sets; existing pairs are left alone.

    Each new action is due on its recommendation's own date or the report's return date, owned by the agency's default
    owner (open) or nobody yet (awaiting allocation), and gets a "created" event.
    """
    now = now or datetime.now(UTC)
    report = get_report(session, report_id=report_id)
    recs = list(
        session.exec(
            select(Recommendation).where(Recommendation.report_id == report_id).order_by(col(Recommendation.position))
        )
    )
    agency_ids = list(session.exec(select(Agency.id)))
    targets = {r.number if r.kind == "recommendation" else f"{r.kind}:{r.number}": r.groups for r in recs}
    recipients = recipients_by_recommendation(targets, group_members(session), agency_ids)
    existing = set(
        session.exec(select(Action.recommendation_id, Action.agency_id).where(Action.report_id == report_id)).all()
    )
    owners = default_owners(session)
    due_default = report_due_on(report)
    rows: list[tuple[object, ...]] = []
    by_rec: dict[str, int] = {}
    for rec, key in zip(recs, targets, strict=True):
        assert rec.id is not None
        agencies = sorted(recipients[key])
        by_rec[rec.number] = len(agencies)
        due_on = action_due(own_due_on=rec.due_on, report_due_on=due_default)
        for agency_id in agencies:
            if (rec.id, agency_id) in existing:
                continue
            owner = owners.get(agency_id)
            status = (Status.OPEN if owner else Status.AWAITING_ALLOCATION).value
            assignment = 1 if owner else 0
            email, name = owner or (None, None)
            rows.append(
                (rec.id, report_id, agency_id, email, name, assignment, due_on, due_on, status, 1, 0, 0, now, now, now)
            )
    if rows:
        created = insert_returning(session, Action.__table__, ACTION_COLUMNS, rows, returning=("id", "status"))  # type: ignore[attr-defined]
        events = [(action_id, now, SYSTEM, "created", status) for action_id, status in created]
        bulk_insert(session, Event.__table__, EVENT_COLUMNS, events)  # type: ignore[attr-defined]
    return FanOutSummary(report_id=report_id, created=len(rows), existing=len(existing), by_recommendation=by_rec)


ACTION_COLUMNS = (
    "recommendation_id",
    "report_id",
    "agency_id",
    "owner_email",
    "owner_name",
    "assignment",
    "due_on",
    "original_due_on",
    "status",
    "version",
    "due_changes",
    "due_round",
    "created_at",
    "updated_at",
    "last_event_at",
)
"""The columns a fan-out writes for each new action, in the order of its rows."""


EVENT_COLUMNS = ("action_id", "at", "actor", "kind", "to_value")
"""The columns of each new action's "created" event."""
