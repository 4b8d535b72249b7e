"""The real seed: Wiltshire Police's return on "Safe to share?", flattened to text with markup fragments left in."""

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
import yaml

from models.extraction import extract_report, extract_responses, read_document
from models.extraction.responses import ResponseDocument

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0a755b307aa70f69.txt"
SHIPPED = Path(__file__).resolve().parents[2] / "models" / "data" / "reports" / "safe-to-share.yaml"


@pytest.fixture(scope="module")
def responses() -> ResponseDocument:
    return extract_responses(read_document(SEED))


def shipped() -> dict[str, dict[str, str]]:
    definition = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return {str(r["number"]): r for r in definition["recommendations"]}


def test_recommendations_1_4_5_8_with_the_shipped_texts(responses: ResponseDocument) -> None:
    canonical = shipped()
    assert [p.number for p in responses.responses] == ["1", "4", "5", "8"]
    for pair in responses.responses:
        assert pair.addressee == canonical[pair.number]["addressee"]
        assert pair.text == canonical[pair.number]["text"]


def test_markup_is_gone_and_page_breaks_are_joined(responses: ResponseDocument) -> None:
    by_number = {p.number: p for p in responses.responses}
    for pair in responses.responses:
        for fragment in ("<p>", "</p>", "<ul", "</li>", "style="):
            assert fragment not in pair.text
            assert fragment not in pair.response
    assert "on domestic abuse victims with Immigration Enforcement." in by_number["1"].text
    assert by_number["4"].text.endswith(
        "status; and\n• promote police engagement in regular outreach community work, as highlighted as good "
        "practice in this report."
    )
    assert by_number["4"].text.count("\n• ") == 11


def test_each_recommendation_has_wiltshire_polices_response(responses: ResponseDocument) -> None:
    by_number = {p.number: p.response for p in responses.responses}
    assert by_number["1"] == (
        "Wiltshire Police notes the recommendation to support victims of domestic abuse and ensures they are "
        "provided with opportunity for relevant and supportive advice and guidance.\n\n"
        "Wiltshire Police will take steps to prevent the routine sharing of information with Immigration "
        "Enforcement for complainants of domestic abuse through a change of procedure."
    )
    assert by_number["4"].endswith("assigned to the appropriate agency for ownership.")
    assert by_number["5"].startswith("Wiltshire Police recognises the importance of victims")
    assert by_number["8"] == "The force notes this recommendation and provides this response in support."


def test_header_comments_and_liaison_officer(responses: ResponseDocument) -> None:
    assert responses.agency_name == "Wiltshire Police"
    assert responses.date == date(2021, 2, 24)
    assert responses.report_title == shipped_title()
    assert responses.chief_officer_comments is not None
    assert responses.chief_officer_comments.startswith("The Chief Constable of Wiltshire notes")
    assert responses.portfolio_lead_comments is not None
    assert responses.portfolio_lead_comments.endswith("action will be taken where required.")
    assert responses.pcc_comments == (
        "PCC's comments may be returned separately or added to this content post this return."
    )
    officer = responses.liaison_officer
    assert officer is not None
    assert (officer.name, officer.role, officer.agency) == (
        "Michelle Francis",
        "HMICFRS Liaison Officer",
        "Wiltshire Police",
    )


def shipped_title() -> str:
    return str(yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["title"])


def test_header_and_preamble_rows_are_reported_with_their_location(responses: ResponseDocument) -> None:
    assert [u.location for u in responses.unplaced] == [f"{SEED.name} line 19", f"{SEED.name} line 20"]
    assert responses.unplaced[0].text.startswith("Recommendations | Wiltshire Police response")
    assert "HMICFRS' Monitoring Portal" in responses.unplaced[1].text
    assert any(w.startswith(f"{SEED.name} line 20:") for w in responses.warnings)


def test_report_definition_from_the_seed_matches_the_shipped_file(aliases: Mapping[str, str]) -> None:
    extraction = extract_report(read_document(SEED), aliases=aliases, published_on=date(2020, 12, 17))
    definition = extraction.definition
    expected = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for key in ("id", "title", "publisher", "published_on", "return_address", "return_months"):
        assert definition[key] == expected[key], key
    for found, wanted in zip(definition["recommendations"], expected["recommendations"], strict=True):
        for key in ("number", "addressee", "text", "due_on", "due_text"):
            assert found.get(key) == wanted.get(key), (found["number"], key)
    groups = {r["number"]: r["groups"] for r in definition["recommendations"]}
    assert groups == {
        "1": ["chief-constables"],
        "4": ["chief-constables"],
        "5": ["chief-constables", "local-policing-bodies"],
        "8": ["all-recipients"],
    }
    assert any("line 19" in w for w in extraction.warnings)


def test_without_a_publication_date_the_definition_says_so(aliases: Mapping[str, str]) -> None:
    extraction = extract_report(read_document(SEED), aliases=aliases)
    assert "published_on" not in extraction.definition
    assert any("no publication date" in w for w in extraction.warnings)
    eight = extraction.definition["recommendations"][-1]
    assert "due_on" not in eight
    assert eight["due_text"].startswith("within six months")
