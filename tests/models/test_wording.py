"""The wording rules, by table: short titles, extracts, paragraphs and bullets kept."""

import pytest

from models.rules.wording import Block, blocks, extract, short_title


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("Safe to share? Report on Liberty and Southall Black Sisters' super-complaint", "Safe to share?"),
        ("PEEL 2023-25: Police effectiveness, efficiency and legitimacy", "PEEL 2023-25"),
        (
            "An inspection of vetting, misconduct and misogyny in the police service",
            "An inspection of vetting, misconduct…",
        ),
        ("Short title", "Short title"),
    ],
)
def test_short_title(title: str, short: str) -> None:
    assert short_title(title) == short


def test_an_extract_is_the_first_sentence_or_the_first_words() -> None:
    assert extract("Stop sharing. Then link the victim.") == "Stop sharing."
    assert extract("word " * 60).endswith("word…")
    assert len(extract("word " * 60)) <= 161


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.", [Block("p", ("One.",)), Block("p", ("Two.",))]),
        ("A line\nwrapped.", [Block("p", ("A line wrapped.",))]),
        (
            "They should:\n• ensure a;\n• develop b",
            [Block("p", ("They should:",)), Block("ul", ("ensure a;", "develop b"))],
        ),
        (
            "They should: • ensure a; • develop b",
            [Block("p", ("They should:",)), Block("ul", ("ensure a;", "develop b"))],
        ),
        ("- first\n- second\nAfter.", [Block("ul", ("first", "second")), Block("p", ("After.",))]),
        ("", []),
        (None, []),
    ],
)
def test_paragraphs_and_bullets_as_written(text: str | None, expected: list[Block]) -> None:
    assert blocks(text) == expected
