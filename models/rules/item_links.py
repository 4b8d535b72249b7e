"""Findings linked across reports: an area for improvement that "recurs in" a later inspection, a recommendation
"superseded by" a newer one. Pure: the items and the links already made come in as parameters.

Why links are across reports only: within one report HMICFRS numbers its findings once, and a finding that recurs or
is superseded is a fact about a later report. A finding is superseded by one other at most, and never by what it
itself supersedes, so a chain of "superseded by" always ends.
"""

from collections.abc import Collection
from dataclasses import dataclass

from models.rules.errors import ActionedError
from models.rules.vocabulary import ItemKind, ItemRelation, member_named

FORWARD = {ItemRelation.RECURS_IN: "Recurs in", ItemRelation.SUPERSEDED_BY: "Superseded by"}
BACKWARD = {ItemRelation.RECURS_IN: "Recurrence of", ItemRelation.SUPERSEDED_BY: "Supersedes"}
"""How a link reads from each end: "Recurs in PEEL 2023 area for improvement 2" / "Recurrence of ..."."""


class LinkError(ActionedError):
    """A link between findings that cannot be made: the message says why and names the field."""


@dataclass(frozen=True)
class ItemRef:
    """A finding as people name it: its report, its kind and its number."""

    report_id: str
    kind: str
    number: str

    def __str__(self) -> str:
        if self.kind == ItemKind.RECOMMENDATION:
            return f"{self.report_id}/{self.number}"
        return f"{self.report_id}/{self.kind}/{self.number}"


def parse_item(text: str, *, field: str) -> ItemRef:
    """``REPORT/NUMBER`` (a recommendation) or ``REPORT/KIND/NUMBER``, or one line naming ``field``."""
    parts = [p.strip() for p in text.strip().split("/")]
    if len(parts) not in (2, 3) or not all(parts):
        raise LinkError(f"{text!r}: expected REPORT/NUMBER or REPORT/KIND/NUMBER", field=field)
    if len(parts) == 2:
        return ItemRef(parts[0], ItemKind.RECOMMENDATION.value, parts[1])
    kind = member_named(ItemKind, parts[1], what="a kind of finding", field=field, error=LinkError)
    return ItemRef(parts[0], kind.value, parts[2])


def parse_relation(text: str, *, field: str = "relation") -> ItemRelation:
    return member_named(ItemRelation, text, what="a link between findings", field=field, error=LinkError)


def check_link(
    source: ItemRef, relation: ItemRelation, target: ItemRef, *, existing: Collection[tuple[ItemRef, str, ItemRef]]
) -> None:
    """Why ``source relation target`` cannot be recorded, given the links ``existing`` (as (from, relation, to));
    a LinkError, else nothing.
    """
    if source.report_id == target.report_id:
        raise LinkError(f"both findings are in {source.report_id!r}: links are across reports", field="to")
    if (source, relation.value, target) in existing:
        raise LinkError(f"{source} is already linked: {FORWARD[relation].lower()} {target}", field="to")
    if relation is ItemRelation.SUPERSEDED_BY:
        for frm, rel, to in existing:
            if rel != ItemRelation.SUPERSEDED_BY:
                continue
            if frm == source:
                raise LinkError(f"{source} is already superseded by {to}", field="from")
            if frm == target and to == source:
                raise LinkError(f"{target} is itself superseded by {source}: the chain would go round", field="to")


def describe(relation: str, other: str, *, forward: bool) -> str:
    """The link as read from one end: "Recurs in <other>" from the source, "Recurrence of <other>" from the target."""
    words = FORWARD if forward else BACKWARD
    return f"{words[ItemRelation(relation)]} {other}"
