"""Each kind of finding has its own default reminder ladder: the four layers (shipped defaults, shipped per kind, the
report's, the report's per kind) as a table, the shipped defaults as they stand, and bad settings named in one line.
"""

import pytest

from models.rules.ladder import Ladder, LadderError, ladder_for_kind
from models.store.sweep import default_ladder

DEFAULTS = {
    "before_days": [28, 14, 7, 1],
    "chase_every_days": 7,
    "kinds": {
        "cause_of_concern": {"before_days": [56, 28], "copy_portfolio_lead_from": 1},
        "area_for_improvement": {"chase_every_days": 14},
    },
}


@pytest.mark.parametrize(
    ("kind", "report", "expected"),
    [
        ("recommendation", None, {"before_days": (28, 14, 7, 1), "chase_every_days": 7, "copy_portfolio_lead_from": 7}),
        ("action", None, {"before_days": (28, 14, 7, 1), "chase_every_days": 7}),
        ("cause_of_concern", None, {"before_days": (56, 28), "copy_portfolio_lead_from": 1, "chase_every_days": 7}),
        ("area_for_improvement", None, {"before_days": (28, 14, 7, 1), "chase_every_days": 14}),
        # the report's ladder is laid over the kind's defaults, for every kind
        ("area_for_improvement", {"chase_every_days": 21}, {"chase_every_days": 21}),
        ("cause_of_concern", {"before_days": [7]}, {"before_days": (7,), "copy_portfolio_lead_from": 1}),
        # and the report's own setting for the kind last of all
        (
            "cause_of_concern",
            {"before_days": [7], "kinds": {"cause_of_concern": {"copy_portfolio_lead_from": 3}}},
            {"before_days": (7,), "copy_portfolio_lead_from": 3},
        ),
        ("recommendation", {"kinds": {"cause_of_concern": {"before_days": [3]}}}, {"before_days": (28, 14, 7, 1)}),
    ],
)
def test_the_four_layers(kind, report, expected):
    ladder = ladder_for_kind(kind, defaults=DEFAULTS, report=report)
    assert {name: getattr(ladder, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("kind", "report", "message"),
    [
        ("finding", None, "'finding' is not a kind of finding (known: recommendation, cause_of_concern, "),
        ("recommendation", {"kinds": {"concern": {}}}, "settings.ladder.kinds.concern: not a kind of finding"),
        ("recommendation", {"kinds": ["cause_of_concern"]}, "settings.ladder.kinds: expected a mapping"),
        ("recommendation", {"kinds": {"action": 7}}, "settings.ladder.kinds.action: expected a mapping"),
        # a bad setting for another kind is found whichever kind is asked for
        (
            "recommendation",
            {"kinds": {"area_for_improvement": {"chase_every_days": -1}}},
            "settings.ladder.kinds.area_for_improvement.chase_every_days: expected a whole number",
        ),
    ],
)
def test_bad_kind_settings_are_one_line(kind, report, message):
    with pytest.raises(LadderError) as caught:
        ladder_for_kind(kind, defaults=DEFAULTS, report=report)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "before_days", "chase_every_days", "lead_from", "chief_from"),
    [
        ("recommendation", (28, 14, 7, 1), 7, 7, 21),
        ("cause_of_concern", (56, 28, 14, 7, 1), 7, 1, 7),
        ("area_for_improvement", (28, 7), 14, 14, 0),
        ("action", (14, 7, 1), 7, 7, 21),
    ],
)
def test_the_shipped_ladder_of_each_kind(kind, before_days, chase_every_days, lead_from, chief_from):
    ladder = default_ladder(kind)
    assert (
        ladder.before_days,
        ladder.chase_every_days,
        ladder.copy_portfolio_lead_from,
        ladder.copy_chief_officer_from,
    ) == (before_days, chase_every_days, lead_from, chief_from)
    assert isinstance(ladder, Ladder)
    assert ladder.statuses == frozenset({"open", "in_progress"})
