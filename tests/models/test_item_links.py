"""Links between findings across reports, as rules: how an item is named, which links can be made, how each end reads."""

import pytest

from models.rules.item_links import ItemRef, LinkError, check_link, describe, parse_item, parse_relation
from models.rules.vocabulary import ItemRelation

R = ItemRelation
A = ItemRef("peel-2021", "area_for_improvement", "1")
B = ItemRef("peel-2023", "area_for_improvement", "1")
C = ItemRef("vetting-2022", "recommendation", "3")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("safe-to-share/5", ItemRef("safe-to-share", "recommendation", "5")),
        ("peel-2021/area_for_improvement/1", A),
        (" peel-2021 / Area for improvement / 1 ", A),
        ("peel-2021/area-for-improvement/1", A),
    ],
)
def test_an_item_as_written(text, expected):
    assert parse_item(text, field="FROM") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("safe-to-share", "expected REPORT/NUMBER or REPORT/KIND/NUMBER"),
        ("safe-to-share//5", "expected REPORT/NUMBER or REPORT/KIND/NUMBER"),
        ("a/b/c/d", "expected REPORT/NUMBER or REPORT/KIND/NUMBER"),
        ("peel-2021/concern/1", "'concern' is not a kind of finding (expected one of: recommendation, "),
    ],
)
def test_a_badly_named_item_is_one_line(text, message):
    with pytest.raises(LinkError, match=r"^TO: ") as caught:
        parse_item(text, field="TO")
    assert message in str(caught.value)


def test_relations_as_written():
    assert parse_relation("recurs in") is R.RECURS_IN
    assert parse_relation("Superseded-by") is R.SUPERSEDED_BY
    with pytest.raises(LinkError, match="'replaces' is not a link between findings"):
        parse_relation("replaces")


@pytest.mark.parametrize(
    ("source", "relation", "target", "existing", "error"),
    [
        (A, R.RECURS_IN, B, [], None),
        (A, R.SUPERSEDED_BY, C, [(A, "recurs_in", B)], None),
        (A, R.RECURS_IN, C, [(A, "recurs_in", B)], None),  # a finding may recur in several reports
        (A, R.RECURS_IN, ItemRef("peel-2021", "recommendation", "2"), [], "both findings are in 'peel-2021'"),
        (A, R.RECURS_IN, B, [(A, "recurs_in", B)], "already linked: recurs in peel-2023/area_for_improvement/1"),
        (A, R.SUPERSEDED_BY, C, [(A, "superseded_by", B)], "already superseded by peel-2023/area_for_improvement/1"),
        (B, R.SUPERSEDED_BY, A, [(A, "superseded_by", B)], "is itself superseded by peel-2023"),
        (B, R.RECURS_IN, A, [(A, "superseded_by", B)], None),
    ],
)
def test_which_links_can_be_made(source, relation, target, existing, error):
    if error is None:
        check_link(source, relation, target, existing=existing)
        return
    with pytest.raises(LinkError) as caught:
        check_link(source, relation, target, existing=existing)
    assert error in str(caught.value)


@pytest.mark.parametrize(
    ("relation", "forward", "words"),
    [
        ("recurs_in", True, "Recurs in X"),
        ("recurs_in", False, "Recurrence of X"),
        ("superseded_by", True, "Superseded by X"),
        ("superseded_by", False, "Supersedes X"),
    ],
)
def test_each_end_reads_the_link_its_own_way(relation, forward, words):
    assert describe(relation, "X", forward=forward) == words
