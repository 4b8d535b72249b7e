"""Recipient resolution: every addressee form of the shipped report, several bodies in a line, unknown names."""

from pathlib import Path

import pytest

from models.files import load_register
from models.rules.errors import UnknownAddressee
from models.rules.recipients import ALL_RECIPIENTS, build_alias_table, recipients_by_recommendation, resolve_addressee

REGISTER = load_register(Path(__file__).resolve().parents[2] / "models" / "data" / "agencies.yaml")
ALIASES = build_alias_table([g.model_dump() for g in REGISTER.groups], [a.model_dump() for a in REGISTER.agencies])
MEMBERS: dict[str, set[str]] = {}
for agency in REGISTER.agencies:
    for group in agency.groups or []:
        MEMBERS.setdefault(group, set()).add(agency.id)


@pytest.mark.parametrize(
    ("line", "targets"),
    [
        ("To chief constables", ("chief-constables",)),
        ("To chief constables;", ("chief-constables",)),
        ("To Chief Constables.", ("chief-constables",)),
        (
            "To chief constables and police and crime commissioners (or equivalents)",
            ("chief-constables", "local-policing-bodies"),
        ),
        ("To the Home Office", ("home-office",)),
        ("To the NPCC", ("npcc",)),
        ("To the College of Policing", ("college-of-policing",)),
        ("To PCCs, MoJ and Chief Constables", ("local-policing-bodies", "ministry-of-justice", "chief-constables")),
        ("To police, fire and crime commissioners", ("local-policing-bodies",)),
        ("To the Association of Police and Crime Commissioners", ("apcc",)),  # longest phrase wins over "pccs"
        ("To Wiltshire Police", ("wiltshire-police",)),
        ("To the Home Office and the NPCC", ("home-office", "npcc")),
    ],
)
def test_addressee_lines_resolve_to_groups_and_agencies(line, targets):
    resolution = resolve_addressee(line, ALIASES)
    assert resolution.targets == targets
    assert not resolution.all_recipients


@pytest.mark.parametrize(
    "line",
    [
        "To all recipients of recommendations from this investigation",
        "To all recipients of recommendations from this investigation;",
        "To all the recipients of these recommendations",
    ],
)
def test_all_recipients_is_its_own_answer(line):
    assert resolve_addressee(line, ALIASES).all_recipients


@pytest.mark.parametrize(
    ("line", "unplaced"),
    [
        ("To chief constabels", "constabels"),
        ("To the Home Office and Ofsted", "ofsted"),
        ("To the police", "police"),
        ("", ""),
    ],
)
def test_an_addressee_that_names_nothing_known_is_an_error_naming_it(line, unplaced):
    with pytest.raises(UnknownAddressee) as caught:
        resolve_addressee(line, ALIASES)
    assert unplaced in str(caught.value)
    assert "chief-constables" in str(caught.value)  # it lists the known groups


def test_an_alias_naming_two_things_is_refused():
    with pytest.raises(ValueError, match="names both"):
        build_alias_table([{"id": "a", "name": "Forces", "aliases": []}], [{"id": "b", "name": "Forces"}])


def test_all_recipients_means_everyone_the_other_recommendations_address():
    targets = {"1": ["chief-constables"], "5": ["chief-constables", "local-policing-bodies"], "8": [ALL_RECIPIENTS]}
    agencies = [a.id for a in REGISTER.agencies]
    result = recipients_by_recommendation(targets, MEMBERS, agencies)
    assert len(result["1"]) == 46
    assert len(result["5"]) == 89
    assert result["8"] == result["1"] | result["5"]


def test_the_register_groups_are_the_ones_the_issue_names():
    assert len(MEMBERS["territorial-forces"]) == 43
    assert len(MEMBERS["chief-constables"]) == 46
    assert {"british-transport-police", "civil-nuclear-constabulary", "ministry-of-defence-police"} <= MEMBERS[
        "chief-constables"
    ]
    assert "national-crime-agency" not in MEMBERS["chief-constables"]
    assert len(MEMBERS["local-policing-bodies"]) == 43
    overseen = [a.oversees or "" for a in REGISTER.agencies if a.kind == "local_policing_body"]
    assert sorted(overseen) == sorted(MEMBERS["territorial-forces"])
