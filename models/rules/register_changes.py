"""What the shipped register would change in a database's register, as ``actioned init`` on an existing database
computes it: groups and agencies the database lacks are added, and an agency already there joins the groups that are
new to the database; everything else an agency has (its name, kind and other groups) was perhaps edited here, so it
is kept, and shown as a difference a person may choose to take.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AgencyEntry:
    id: str
    name: str
    kind: str
    groups: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Difference:
    """An agency in both registers whose name or groups differ (beyond groups new to the database)."""

    id: str
    local: AgencyEntry
    shipped: AgencyEntry

    @property
    def renamed(self) -> bool:
        return self.local.name != self.shipped.name

    @property
    def groups_joined(self) -> frozenset[str]:
        return self.shipped.groups - self.local.groups

    @property
    def groups_left(self) -> frozenset[str]:
        return self.local.groups - self.shipped.groups


@dataclass(frozen=True)
class RegisterChanges:
    groups_added: list[str] = field(default_factory=list)
    agencies_added: list[AgencyEntry] = field(default_factory=list)
    joins: list[tuple[str, str]] = field(default_factory=list)
    """(agency id, group id): an agency already here joins a group new to the database (init adds these)."""
    kept: list[Difference] = field(default_factory=list)
    """Differences init keeps as edited here: applied only for the agencies a person chooses."""

    @property
    def to_add(self) -> bool:
        """Whether accepting (as init does) changes anything."""
        return bool(self.groups_added or self.agencies_added or self.joins)

    @property
    def none(self) -> bool:
        return not (self.to_add or self.kept)


def register_changes(
    *,
    shipped_groups: Sequence[str],
    shipped: Sequence[AgencyEntry],
    local_groups: Sequence[str],
    local: Mapping[str, AgencyEntry],
) -> RegisterChanges:
    """The shipped register against the database's: what init adds, and the differences it keeps."""
    new_groups = [g for g in shipped_groups if g not in set(local_groups)]
    added: list[AgencyEntry] = []
    joins: list[tuple[str, str]] = []
    kept: list[Difference] = []
    for entry in shipped:
        here = local.get(entry.id)
        if here is None:
            added.append(entry)
            continue
        joins += [(entry.id, g) for g in sorted(entry.groups - here.groups) if g in new_groups]
        after_init = AgencyEntry(here.id, here.name, here.kind, here.groups | (entry.groups & set(new_groups)))
        if after_init.name != entry.name or after_init.groups != entry.groups:
            kept.append(Difference(entry.id, after_init, entry))
    return RegisterChanges(groups_added=new_groups, agencies_added=added, joins=joins, kept=kept)
