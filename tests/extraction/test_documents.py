"""Test documents in each format, shaped like published reports and responses."""

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from models.extraction import document_from_text, extract_report, extract_responses, read_document
from tests.extraction.conftest import DOCUMENTS


def extract(path: Path, aliases: Mapping[str, str]) -> tuple[dict[str, dict[str, Any]], dict[str, Any], list[str]]:
    extraction = extract_report(read_document(path), aliases=aliases)
    items = {f"{r['kind']} {r['number']}": r for r in extraction.definition["recommendations"]}
    return items, extraction.definition, extraction.warnings


def test_plain_text_report(aliases: Mapping[str, str]) -> None:
    items, definition, _warnings = extract(DOCUMENTS / "report.txt", aliases)
    assert list(items) == [
        "recommendation 1",
        "recommendation 2",
        "recommendation 3",
        "recommendation 4",
        "recommendation 5",
        "recommendation 6",
        "recommendation 7.1",
        "recommendation 7.2",
        "recommendation 8",
        "action 1",
    ]
    assert definition["id"] == "tested-together"
    assert definition["published_on"] == date(2020, 12, 17)
    assert definition["return_address"] == "updates@inspectorate.example.org"
    assert definition["return_months"] == 6
    one = items["recommendation 1"]
    assert (one["addressee"], one["groups"], one["due_text"]) == (
        "To chief constables",
        ["chief-constables"],
        "immediately",
    )
    assert "due_on" not in one
    assert one["text"].startswith(
        "Officers should immediately stop sharing information about victims of domestic abuse with Immigration"
    )
    two = items["recommendation 2"]
    assert two["addressee"] == "To chief constables and police and crime commissioners (or equivalents)"
    assert two["groups"] == ["chief-constables", "local-policing-bodies"]
    assert two["due_on"] == date(2025, 3, 27)
    assert items["recommendation 3"]["due_on"] == date(2021, 6, 17)


def test_plain_text_bullets_continue_across_page_furniture(aliases: Mapping[str, str]) -> None:
    items, _, _ = extract(DOCUMENTS / "report.txt", aliases)
    four = items["recommendation 4"]
    assert four["text"] == (
        "By 31 March 2025, chief constables should make sure that:\n\n"
        "• every victim is referred to a specialist organisation;\n"
        "• officers know the safe reporting pathway; and\n"
        "• the pathway is reviewed each year.\n"
        "• staff who answer calls are trained in it."
    )
    assert (four["addressee"], four["groups"], four["due_on"]) == (
        "chief constables",
        ["chief-constables"],
        date(2025, 3, 31),
    )


def test_plain_text_several_bodies_sub_recommendations_and_actions(aliases: Mapping[str, str]) -> None:
    items, _, warnings = extract(DOCUMENTS / "report.txt", aliases)
    five = items["recommendation 5"]
    assert five["addressee"] == "To PCCs, MoJ and Chief Constables"
    assert five["groups"] == ["local-policing-bodies", "ministry-of-justice", "chief-constables"]
    assert five["due_on"] == date(2025, 3, 27)
    assert items["recommendation 6"]["groups"] == ["npcc"]
    assert items["recommendation 6"]["due_on"] == date(2021, 2, 11)
    sub1, sub2 = items["recommendation 7.1"], items["recommendation 7.2"]
    assert sub1["addressee"] == sub2["addressee"] == "To the Home Office"
    assert sub1["text"] == "publish revised guidance within three months of the publication of this report; and"
    assert sub1["due_on"] == date(2021, 3, 17)
    assert "due_on" not in sub2
    assert sub2["due_text"] == "by 31/02/25"
    assert items["recommendation 8"]["groups"] == ["all-recipients"]
    action = items["action 1"]
    assert action["addressee"] == "HMICFRS, the College of Policing and the IOPC"
    assert "groups" not in action
    assert any("'by 31/02/25' is not a real date" in w for w in warnings)
    assert any("action 1: addressee" in w and "not resolved: 'hmicfrs" in w for w in warnings)
    assert any("lead-in 'The Home Office should:'" in w for w in warnings)
    assert any("report.txt line 20" in w and "We make the following" in w for w in warnings)


def test_plain_text_ignores_contents_references_and_later_sections(aliases: Mapping[str, str]) -> None:
    items, _, _ = extract(DOCUMENTS / "report.txt", aliases)
    everything = "\n".join(r["text"] for r in items.values())
    assert "Tested together? Report on the super-complaint" not in everything
    assert "Areas for improvement" not in everything
    assert "record the immigration status" not in everything
    assert "Recommendation 2 is addressed" not in everything


def test_inspection_report_with_numbered_recommendations(aliases: Mapping[str, str]) -> None:
    items, definition, _warnings = extract(DOCUMENTS / "inspection.txt", aliases)
    assert list(items) == ["recommendation 1", "recommendation 2", "recommendation 3"]
    assert definition["published_on"] == date(2024, 6, 12)
    one = items["recommendation 1"]
    assert one["addressee"] == "the chief constable"
    assert one["groups"] == ["chief-constables"]
    assert one["due_on"] == date(2024, 12, 31)
    assert items["recommendation 2"]["text"].endswith(
        "make sure that:\n\n• victims are updated; and\n• decisions are recorded."
    )
    assert items["recommendation 2"]["due_on"] == date(2024, 12, 12)
    assert items["recommendation 3"]["due_on"] == date(2025, 3, 31)
    assert "improve how it records crime" not in items["recommendation 3"]["text"]


def test_html_report(aliases: Mapping[str, str]) -> None:
    items, definition, warnings = extract(DOCUMENTS / "report.html", aliases)
    assert list(items) == ["recommendation 1", "recommendation 2", "action 1"]
    assert definition["title"] == "Policing together: an inspection of information sharing"
    assert definition["id"] == "policing-together"
    assert definition["published_on"] == date(2023, 3, 3)
    assert items["recommendation 1"]["text"] == (
        "By 30 September 2023, chief constables should make sure that officers:\n\n"
        "• know the safe reporting pathway; and\n"
        "• record why information was shared & with whom."
    )
    assert items["recommendation 1"]["due_on"] == date(2023, 9, 30)
    assert items["recommendation 2"]["addressee"] == "the Home Office"
    assert items["recommendation 2"]["due_text"] == "immediately"
    assert items["action 1"]["groups"] == ["college-of-policing"]
    assert items["action 1"]["due_on"] == date(2023, 9, 3)
    assert any("report.html paragraph" in w and "We make two" in w for w in warnings)


def test_docx_report(built: dict[str, Path], aliases: Mapping[str, str]) -> None:
    items, definition, _ = extract(built["report.docx"], aliases)
    assert list(items) == ["recommendation 1", "recommendation 7.1", "recommendation 7.2"]
    assert definition["title"] == "Safe together? A super-complaint report on policing and victims"
    assert definition["published_on"] == date(2020, 12, 17)
    assert items["recommendation 1"]["text"] == (
        "Chief constables should, within 6 months, make sure that:\n\n"
        "• every officer is trained;\n• victims are referred to support."
    )
    assert items["recommendation 1"]["due_on"] == date(2021, 6, 17)
    assert items["recommendation 7.1"]["groups"] == ["home-office"]
    assert items["recommendation 7.2"]["groups"] == ["npcc"]
    assert "improve their records" not in items["recommendation 7.2"]["text"]


def test_pdf_report_drops_headers_footers_and_joins_pages(built: dict[str, Path], aliases: Mapping[str, str]) -> None:
    items, definition, _ = extract(built["report.pdf"], aliases)
    assert list(items) == ["recommendation 1", "recommendation 2"]
    assert definition["published_on"] == date(2020, 12, 17)
    one = items["recommendation 1"]
    assert one["text"] == (
        "Chief constables should make sure, by the end of March 2025, that all officers who deal with victims of "
        "domestic abuse know how to refer them to a specialist organisation, and that:\n\n"
        "• every referral is recorded;\n• every victim is told what will happen next."
    )
    assert one["due_on"] == date(2025, 3, 31)
    assert items["recommendation 2"]["due_on"] == date(2021, 3, 17)
    assert "43 forces" not in items["recommendation 2"]["text"]


def test_docx_response_with_a_real_table(built: dict[str, Path]) -> None:
    found = extract_responses(read_document(built["response.docx"]))
    assert found.agency_name == "Avon and Somerset Constabulary"
    assert found.date == date(2021, 4, 3)
    assert found.report_title == "Safe together? A super-complaint report on policing and victims"
    assert [(p.number, p.addressee, p.text, p.response) for p in found.responses] == [
        (
            "1",
            "To chief constables",
            "Officers should immediately stop sharing victims' data.",
            "The force has stopped routine sharing.",
        ),
        (
            "2",
            "To chief constables and police and crime commissioners (or equivalents)",
            "By 27 March 2025, forces should publish their policy.",
            "Published on the force website.",
        ),
    ]
    assert found.chief_officer_comments == "The Chief Constable welcomes the report."
    assert found.portfolio_lead_comments == "The force will act on every recommendation."
    assert found.pcc_comments == "The PCC supports the force's response."
    assert found.liaison_officer is not None
    assert (found.liaison_officer.name, found.liaison_officer.role, found.liaison_officer.agency) == (
        "Sam Jones",
        "Force Liaison Officer",
        "Avon and Somerset Constabulary",
    )
    assert [u.location for u in found.unplaced] == ["response.docx table 1 row 1"]


def test_two_column_pdf_reads_the_left_column_first(tmp_path: Path) -> None:
    from models.extraction.reading import read
    from tests.extraction.build_documents import build_two_column_pdf

    reading = read(read_document(build_two_column_pdf(tmp_path / "two-columns.pdf")))
    assert [i.number for i in reading.items] == ["1", "2", "3", "4", "5", "6", "7"]
    assert all(i.addressee == "West Mercia Police" for i in reading.items)
    assert reading.items[-1].text.endswith("This supervision should be properly recorded;")
    assert all("PEEL 2018/19 - West Mercia" not in i.text for i in reading.items)


def test_pdf_footnote_markers_are_left_out_by_their_size(tmp_path: Path) -> None:
    from models.extraction.reading import read
    from tests.extraction.build_documents import build_footnoted_pdf

    (item,) = read(read_document(build_footnoted_pdf(tmp_path / "footnoted.pdf"))).items
    assert item.text == "By 31 March 2025, chief constables should publish their policy on information sharing."


def test_a_state_paragraph_then_unnumbered_response_text() -> None:
    """ "1.1 Accepted" then the response as a plain paragraph: the paragraph is the response (it once stopped the
    reader with an AssertionError).
    """
    text = (
        "Recommendation 1\n\nBy 31 March 2024, the chief constable should review the force's vetting decisions.\n\n"
        "1.1 Accepted\n\nThe force began the review in January and will finish it by the end of March.\n\n"
        "Recommendation 2\n\nBy 31 March 2024, the chief constable should publish the results.\n\n"
        "2.1 Partially accepted\n\n2.2 The results will be published in summary.\n"
    )
    result = extract_responses(document_from_text(text, "response.txt"))
    pairs = {pair.number: pair for pair in result.responses}
    assert list(pairs) == ["1", "2"]
    assert (pairs["1"].status, pairs["1"].response) == (
        "Accepted",
        "The force began the review in January and will finish it by the end of March.",
    )
    assert (pairs["2"].status, pairs["2"].response) == (
        "Partially accepted",
        "The results will be published in summary.",
    )
    assert pairs["1"].response_from == "the numbered paragraphs after it (1.1 gives the state)"
