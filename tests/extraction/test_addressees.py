from collections.abc import Mapping

import pytest

from models.extraction.addressees import is_addressee_line, place_addressee, subject_of
from models.rules.recipients import resolve_addressee


@pytest.mark.parametrize(
    ("line", "groups"),
    [
        ("To chief constables", ["chief-constables"]),
        (
            "To chief constables and police and crime commissioners (or equivalents)",
            ["chief-constables", "local-policing-bodies"],
        ),
        ("To the Home Office", ["home-office"]),
        ("To the NPCC", ["npcc"]),
        ("To PCCs, MoJ and Chief Constables", ["local-policing-bodies", "ministry-of-justice", "chief-constables"]),
        ("To all recipients of recommendations from this investigation", ["all-recipients"]),
        ("all chief constables", ["chief-constables"]),
    ],
)
def test_addressee_forms_resolve(line: str, groups: list[str], aliases: Mapping[str, str]) -> None:
    assert place_addressee(line, aliases, resolve_addressee) == (groups, None)


def test_an_unknown_body_is_named_in_the_reason(aliases: Mapping[str, str]) -> None:
    groups, problem = place_addressee("To HMICFRS and the Home Office", aliases, resolve_addressee)
    assert groups is None
    assert problem is not None
    assert "'hmicfrs'" in problem


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("By 31 March 2025, chief constables should ensure that", "chief constables"),
        ("Chief constables should review", "Chief constables"),
        ("Immediately, all chief constables should stop", "all chief constables"),
        ("Within six months, the Home Office should publish", "the Home Office"),
        (
            (
                "With reference to recommendation 1, and in consultation with local organisations, chief constables "
                "and police and crime commissioners should take steps"
            ),
            "chief constables and police and crime commissioners",
        ),
        (
            "The Home Office, the NPCC and the College of Policing should work together",
            "The Home Office, the NPCC and the College of Policing",
        ),
        ("We recommend that the NPCC should publish", "the NPCC"),
        ("HMICFRS, the College of Policing and the IOPC will review", "HMICFRS, the College of Policing and the IOPC"),
        ("Provide an update to HMCIC on progress.", None),
    ],
)
def test_subject_of_a_recommendation_sentence(sentence: str, subject: str | None) -> None:
    assert subject_of(sentence) == subject


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("To chief constables", True),
        ("To the Home Office;", True),
        ("To PCCs, MoJ and Chief Constables", True),
        ("To support victims, forces should act. They should also report.", False),
        ("Chief constables should act", False),
    ],
)
def test_addressee_lines(text: str, expected: bool) -> None:
    assert is_addressee_line(text) is expected
