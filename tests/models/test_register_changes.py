"""What the shipped register would change in a database's register, as ``actioned init`` computes it."""

from pathlib import Path

import pytest

from models.rules.register_changes import AgencyEntry, register_changes
from models.store import register_updates

WILTS = AgencyEntry("wilts", "Wiltshire Police", "force", frozenset({"forces"}))
DORSET = AgencyEntry("dorset", "Dorset Police", "force", frozenset({"forces"}))


def entry(base: AgencyEntry, *, name: str | None = None, groups: set[str] | None = None) -> AgencyEntry:
    return AgencyEntry(base.id, name or base.name, base.kind, frozenset(groups) if groups is not None else base.groups)


@pytest.mark.parametrize(
    ("shipped_groups", "shipped", "local_groups", "local", "added", "new_groups", "joins", "kept"),
    [
        # the same: nothing to do
        (["forces"], [WILTS], ["forces"], [WILTS], [], [], [], []),
        # an agency the database lacks is added, with its groups
        (["forces"], [WILTS, DORSET], ["forces"], [WILTS], ["dorset"], [], [], []),
        # a group new to the database is added, and an agency here joins it
        (
            ["forces", "south"],
            [entry(WILTS, groups={"forces", "south"})],
            ["forces"],
            [WILTS],
            [],
            ["south"],
            [("wilts", "south")],
            [],
        ),
        # renamed in the shipped register (or here): kept, shown as a difference
        (["forces"], [entry(WILTS, name="Wiltshire Constabulary")], ["forces"], [WILTS], [], [], [], ["wilts"]),
        # left a group here (a local edit): kept
        (["forces"], [WILTS], ["forces"], [entry(WILTS, groups=set())], [], [], [], ["wilts"]),
        # a group known here that the shipped register now puts it in: kept, not joined (init adds only new groups)
        (
            ["forces", "south"],
            [entry(WILTS, groups={"forces", "south"})],
            ["forces", "south"],
            [WILTS],
            [],
            [],
            [],
            ["wilts"],
        ),
        # an agency only here (added locally): not the shipped register's business
        (["forces"], [WILTS], ["forces"], [WILTS, DORSET], [], [], [], []),
    ],
)
def test_register_changes(
    shipped_groups: list[str],
    shipped: list[AgencyEntry],
    local_groups: list[str],
    local: list[AgencyEntry],
    added: list[str],
    new_groups: list[str],
    joins: list[tuple[str, str]],
    kept: list[str],
) -> None:
    changes = register_changes(
        shipped_groups=shipped_groups, shipped=shipped, local_groups=local_groups, local={a.id: a for a in local}
    )
    assert [a.id for a in changes.agencies_added] == added
    assert changes.groups_added == new_groups
    assert changes.joins == joins
    assert [d.id for d in changes.kept] == kept
    assert changes.none is not bool(added or new_groups or joins or kept)


def test_a_difference_says_what_differs() -> None:
    changes = register_changes(
        shipped_groups=["forces", "south"],
        shipped=[entry(WILTS, name="Wiltshire Constabulary", groups={"south"})],
        local_groups=["forces", "south"],
        local={"wilts": WILTS},
    )
    (difference,) = changes.kept
    assert difference.renamed
    assert difference.groups_joined == {"south"}
    assert difference.groups_left == {"forces"}


def test_the_shipped_register_is_read_once_per_version_of_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The administrators' page asks for the shipped register on every visit: read once, and again when the file
    changes (an upgrade in place), never a stale copy.
    """
    shipped = tmp_path / "agencies.yaml"
    one = "groups: []\nagencies:\n  - {id: police-a, name: Police A, kind: force}\n"
    shipped.write_text(one)
    monkeypatch.setattr(register_updates, "SHIPPED_REGISTER", shipped)
    first = register_updates.shipped_register()
    assert [a.name for a in first.agencies] == ["Police A"]
    assert register_updates.shipped_register() is first  # the same file: not read again
    shipped.write_text(one.replace("Police A", "Police B") + "  - {id: police-c, name: Police C, kind: force}\n")
    assert [a.name for a in register_updates.shipped_register().agencies] == ["Police B", "Police C"]
