"""Findings linked across reports ("recurs in", "superseded by"): made under ``models.rules.item_links``, each link an
event on every action of both findings, and read back as the words each end shows (pages, ``action show``, the pack).
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, or_, select

from models.rules.errors import NotFound
from models.rules.item_links import ItemRef, LinkError, check_link, describe
from models.rules.vocabulary import EventKind, ItemRelation, item_label
from models.store.actions import write_action
from models.store.tables import Action, Event, ItemLink, Recommendation, Report


def find_item(session: Session, ref: ItemRef, *, field: str) -> Recommendation:
    report = session.get(Report, ref.report_id)
    if report is None:
        raise NotFound(f"{ref}: no report {ref.report_id!r}", field=field)
    rec = session.exec(
        select(Recommendation).where(
            Recommendation.report_id == ref.report_id,
            Recommendation.kind == ref.kind,
            Recommendation.number == ref.number,
        )
    ).first()
    if rec is None:
        raise NotFound(f"{ref}: {report.id!r} has no {item_label(ref.kind)} {ref.number}", field=field)
    return rec


def _ref(rec: Recommendation) -> ItemRef:
    return ItemRef(rec.report_id, rec.kind, rec.number)


def item_name(rec: Recommendation, report_title: str) -> str:
    """ "PEEL 2023/25: Wiltshire Police, area for improvement 2": a finding as a page or the pack names it."""
    return f"{report_title}, {item_label(rec.kind)} {rec.number}"


def _recommendations(session: Session, ids: set[int]) -> dict[int, Recommendation]:
    rows = session.exec(select(Recommendation).where(col(Recommendation.id).in_(sorted(ids))))
    return {r.id: r for r in rows if r.id is not None}


_TOUCHING = (
    select(ItemLink)
    .where(
        or_(
            col(ItemLink.from_id).in_(bindparam("ids", expanding=True)),
            col(ItemLink.to_id).in_(bindparam("ids", expanding=True)),
        )
    )
    .order_by(col(ItemLink.id))
)
"""Built once: every action's page asks it (most findings have no links), and building it cost more than running it."""


def _links_touching(session: Session, ids: Iterable[int]) -> list[ItemLink]:
    return list(session.exec(_TOUCHING, params={"ids": list(ids)}))


def link_items(
    session: Session, *, source: ItemRef, relation: ItemRelation, target: ItemRef, by: str, now: datetime | None = None
) -> ItemLink:
    """Record ``source relation target``; an event on every action of both findings says so."""
    now = now or datetime.now(UTC)
    frm, to = find_item(session, source, field="from"), find_item(session, target, field="to")
    assert frm.id is not None
    assert to.id is not None
    links = _links_touching(session, [frm.id, to.id])
    recs = _recommendations(session, {frm.id, to.id} | {i for link in links for i in (link.from_id, link.to_id)})
    existing = [(_ref(recs[link.from_id]), link.relation, _ref(recs[link.to_id])) for link in links]
    try:
        check_link(source, relation, target, existing=existing)
    except LinkError as exc:
        raise exc.concerning(f"{source} {relation.value} {target}") from None
    link = ItemLink(from_id=frm.id, relation=relation.value, to_id=to.id)
    session.add(link)
    titles = {
        r.id: r.title for r in session.exec(select(Report).where(col(Report.id).in_([frm.report_id, to.report_id])))
    }
    for rec, other, forward in ((frm, to, True), (to, frm, False)):
        words = describe(relation, item_name(other, titles[other.report_id]), forward=forward)
        for action in session.exec(select(Action).where(Action.recommendation_id == rec.id)).all():
            event = Event(action_id=action.id or 0, actor=by, kind=EventKind.LINK, to_value=words)
            write_action(session, action=action, values={}, events=[event], expected_version=None, now=now)
    session.flush()
    session.refresh(link)
    return link


def links_of(session: Session, recommendation_ids: Iterable[int]) -> dict[int, list[str]]:
    """Per finding, its links as it reads them ("Recurs in ...", "Supersedes ..."), in the order they were made."""
    ids = list(recommendation_ids)
    if not ids:
        return {}
    links = _links_touching(session, ids)
    if not links:
        return {}
    recs = _recommendations(session, {i for link in links for i in (link.from_id, link.to_id)})
    report_ids = sorted({r.report_id for r in recs.values()})
    titles = dict(session.exec(select(Report.id, Report.title).where(col(Report.id).in_(report_ids))).all())
    found: dict[int, list[str]] = {}
    for link in links:
        for this, other, forward in ((link.from_id, link.to_id, True), (link.to_id, link.from_id, False)):
            if this in ids:
                rec = recs[other]
                found.setdefault(this, []).append(
                    describe(link.relation, item_name(rec, titles[rec.report_id]), forward=forward)
                )
    return found
