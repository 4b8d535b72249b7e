"""Reports and their recommendations: import (checked against the register first), look-up, due dates."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from models.definitions import RecommendationDefinition, ReportDefinition
from models.rules.deadlines import action_due, return_due
from models.rules.due_dates import item_due
from models.rules.errors import ActionedError, NotFound, UnknownAddressee
from models.rules.recipients import (
    ALL_RECIPIENTS,
    one_force_targets,
    resolve_addressee,
)
from models.store.register import alias_table
from models.store.tables import (
    Agency,
    Group,
    Recommendation,
    Report,
)


@dataclass
class ReportSummary:
    report_id: str
    created: bool
    recommendations_added: list[str] = field(default_factory=list)
    recommendations_updated: list[str] = field(default_factory=list)
    recommendations_kept: list[str] = field(default_factory=list)
    actions_moved: int = 0


def resolve_groups(session: Session, *, definition: ReportDefinition, source: str) -> dict[tuple[str, str], list[str]]:
    """(kind, number) -> group or agency ids, checked against the register before anything is written.

    A report about one force (``about``, a PEEL inspection) addresses only that force and its local policing body.
    """
    aliases = alias_table(session)
    group_ids = list(session.exec(select(Group.id)))
    known = set(aliases.values()) | {ALL_RECIPIENTS}
    resolved: dict[tuple[str, str], list[str]] = {}
    force = session.get(Agency, definition.about) if definition.about else None
    if definition.about and (force is None or force.kind != "force"):
        raise NotFound(f"{source}: about: {definition.about!r} is not a registered force")
    body = session.exec(select(Agency.id).where(Agency.oversees == definition.about)).first() if force else None
    for i, rec in enumerate(definition.recommendations):
        where = f"{source}: recommendations[{i}] (number {rec.number})"
        if force is not None:
            allowed = one_force_targets(rec.addressee, force_id=force.id, body_id=body)
            outside = [g for g in rec.groups or [] if g not in (force.id, body)]
            if outside:
                raise ActionedError(
                    f"{where}: {outside[0]!r}: a report about {force.id} addresses only it and its body"
                )
            resolved[(rec.kind, rec.number)] = list(rec.groups) if rec.groups else allowed
            continue
        if rec.groups:
            unknown = [g for g in rec.groups if g not in known]
            if unknown:
                raise UnknownAddressee(rec.addressee, unknown[0], sorted(known))
            resolved[(rec.kind, rec.number)] = list(rec.groups)
            continue
        try:
            found = resolve_addressee(rec.addressee, aliases, groups=group_ids)
        except UnknownAddressee as exc:
            raise ActionedError(f"{where}: {exc}") from None
        resolved[(rec.kind, rec.number)] = [ALL_RECIPIENTS] if found.all_recipients else list(found.targets)
    return resolved


def import_report(session: Session, *, definition: ReportDefinition, source: str) -> ReportSummary:
    """Create or update a report and its recommendations (matched by kind and number); never duplicates.

    Its settings are checked first (the ladder: one clear line naming the field), so a report that the daily cycle
    could not remind is never registered.
    """
    from models.store.s55 import check_bodies
    from models.store.sweep import ladder_for

    try:
        ladder_for(definition.id, definition.settings)
        check_bodies(session, listed=definition.comments.bodies)
    except ActionedError as exc:
        raise ActionedError(f"{source}: {exc}") from None
    groups = resolve_groups(session, definition=definition, source=source)
    from models.store.due_dates import move_reissued

    now = datetime.now(UTC)
    report = session.get(Report, definition.id)
    summary = ReportSummary(report_id=definition.id, created=report is None)
    old_due = report_due_on(report) if report is not None else None
    if report is None:
        report = Report(id=definition.id, title=definition.title, published_on=definition.published_on)
    report.title = definition.title
    report.publisher = definition.publisher
    report.published_on = definition.published_on
    report.return_address = definition.return_address
    report.return_months = definition.return_months
    report.return_due_on = definition.return_due_on
    report.early_returns = definition.early_returns
    report.comments_required = definition.comments.required
    report.comments_convention = definition.comments.convention
    report.comments_recipients = list(definition.comments.recipients)
    report.comments_bodies = list(definition.comments.bodies)
    report.source_url = definition.source_url
    report.about = definition.about
    report.settings = dict(definition.settings)
    report.updated_at = now
    session.add(report)
    session.flush()
    existing = {
        (r.kind, r.number): r
        for r in session.exec(select(Recommendation).where(Recommendation.report_id == definition.id))
    }
    new_due = report_due_on(report)
    moves: list[tuple[int, date | None, date | None]] = []
    for position, rec in enumerate(definition.recommendations):
        row = existing.pop((rec.kind, rec.number), None)
        if row is not None and row.id is not None:
            before = action_due(own_due_on=row.due_on, report_due_on=old_due)
            own = own_due_on(rec, published_on=definition.published_on)
            moves.append((row.id, before, action_due(own_due_on=own, report_due_on=new_due)))
        if row is None:
            row = Recommendation(
                report_id=definition.id, number=rec.number, kind=rec.kind, addressee=rec.addressee, text=rec.text
            )
            summary.recommendations_added.append(rec.number)
        else:
            summary.recommendations_updated.append(rec.number)
        row.position = position
        row.addressee = rec.addressee
        row.groups = groups[(rec.kind, rec.number)]
        row.text = rec.text
        row.due_on = own_due_on(rec, published_on=definition.published_on)
        row.due_text = rec.due_text
        session.add(row)
    summary.recommendations_kept = sorted(r.number for r in existing.values())
    session.flush()
    for rec_id, before, after in moves:
        if before != after:
            summary.actions_moved += move_reissued(
                session, recommendation_id=rec_id, old_date=before, new_date=after, now=now
            )
    return summary


def own_due_on(rec: RecommendationDefinition, *, published_on: date) -> date | None:
    """An item's own deadline: its ``due_on``, else what its ``due_text`` says, counted from publication
    ("immediately": publication day; "within three months of the date of this report", "within 56 days").
    """
    if rec.due_on is not None or not rec.due_text:
        return rec.due_on
    from models.extraction.deadlines_text import choose_deadline, find_deadlines

    chosen, _ = choose_deadline(find_deadlines(rec.due_text, published_on))
    return item_due(
        own_due_on=chosen.due_on if chosen else None,
        immediately=chosen is not None and chosen.due_text == "immediately",
        published_on=published_on,
        report_due_on=None,
    )


def get_report(session: Session, *, report_id: str) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        known = ", ".join(session.exec(select(Report.id))) or "none registered"
        raise NotFound(f"report {report_id!r} is not registered (known: {known})")
    return report


def list_reports(session: Session) -> list[Report]:
    """The registered reports, oldest first."""
    return list(session.exec(select(Report).order_by(col(Report.published_on), col(Report.id))))


def report_due_on(report: Report) -> date | None:
    return return_due(report.published_on, months=report.return_months, on=report.return_due_on)


def list_recommendations(session: Session, *, report_id: str) -> list[Recommendation]:
    return list(
        session.exec(
            select(Recommendation).where(Recommendation.report_id == report_id).order_by(col(Recommendation.position))
        )
    )
