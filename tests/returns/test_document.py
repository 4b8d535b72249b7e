"""The compiled return, read back with python-docx: Wiltshire Police's published return, round trip."""

import hashlib
from datetime import date

import pytest

from models.rules.returns import MISSING_RESPONSE, PCC_SEPARATELY
from models.store.actions import record_response
from models.store.db import session_scope
from models.store.reports import list_recommendations
from models.store.return_comments import set_return_comments
from models.store.returns import current_return
from notifications.documents.compile import compile_return, compile_returns
from notifications.documents.render import render_html
from tests.returns.conftest import read_docx

TODAY = date(2021, 2, 24)


def body_texts(doc):
    return [p.text for p in doc.paragraphs]


def test_the_seed_return_round_trips_through_the_word_document(answered, seed_return):
    with session_scope() as session:
        row = compile_return(session, report_id="safe-to-share", agency_id="wiltshire-police", today=TODAY)
        recs = {r.number: r for r in list_recommendations(session, report_id="safe-to-share")}
    assert row.document is not None
    assert row.sha256 == hashlib.sha256(row.document).hexdigest()
    assert row.compiled_at is not None
    doc = read_docx(row.document)
    texts = body_texts(doc)
    # The parts, where the seed has them: date, heading, title, chief officer, portfolio lead, (table), PCC, liaison.
    assert texts[:3] == [
        "24/02/21",
        "RESPONSE OF WILTSHIRE POLICE TO THE HMICFRS REPORT",
        "Safe to share? Report on Liberty and Southall Black Sisters' super-complaint on policing and immigration status",
    ]
    assert texts[3:7] == [
        "Chief Officer comments",
        seed_return["chief_officer"],
        "Portfolio lead comments",
        seed_return["portfolio_lead"],
    ]
    assert texts[7:] == [
        "Police and Crime Commissioner's comments",
        seed_return["pcc_note"],
        "Morgan Hale",
        "HMICFRS Liaison Officer,",
        "Wiltshire Police.",
    ]
    assert seed_return["pcc_note"] == PCC_SEPARATELY
    # The table comes between the portfolio lead's comments and the PCC's (python-docx lists them apart).
    body = [child.tag.rsplit("}", 1)[1] for child in doc.element.body.iterchildren()]
    assert body.index("tbl") == 7
    (table,) = doc.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "Recommendations",
        "Wiltshire Police response. Agreed and signed off by Priya Shah, portfolio lead.",
    ]
    assert rows[1][0] == "The report makes 4 recommendations, all referred to below."  # the seed's preface row
    assert [r[0].split("\n", 1)[0] for r in rows[2:]] == [
        "Recommendation 1. To chief constables",
        "Recommendation 4. To chief constables",
        "Recommendation 5. To chief constables and police and crime commissioners (or equivalents)",
        "Recommendation 8. To all recipients of recommendations from this investigation",
    ]
    for (left, right), number in zip(rows[2:], ["1", "4", "5", "8"], strict=True):
        assert left.split("\n", 1)[1] == recs[number].text  # the full text, verbatim, paragraphs and bullets
        assert right == seed_return["responses"][number]  # the response, verbatim


def test_only_the_agencys_own_recommendations_appear(answered):
    with session_scope() as session:
        (pcc,) = compile_returns(session, report_id="safe-to-share", agency_ids=["wiltshire-pcc"], today=TODAY)
    doc = read_docx(pcc.document)
    numbers = [row.cells[0].text.split(".", 1)[0] for row in doc.tables[0].rows[2:]]
    assert numbers == ["Recommendation 5", "Recommendation 8"]  # 1 and 4 are to chief constables only
    assert all(row.cells[1].text == MISSING_RESPONSE for row in doc.tables[0].rows[2:])
    assert pcc.content.missing == [
        "recommendation 5: no response recorded",
        "recommendation 8: no response recorded",
    ]


NASTY = "Fees < £5 & \"free\" advice; <b>not bold</b> & 'quoted' &amp; {{ not_a_tag }} {% if %}"


def test_markup_in_responses_and_comments_comes_through_as_text(assigned):
    with session_scope() as session:
        record_response(
            session, report_id="safe-to-share", agency_id="dorset-police", number="4", text=NASTY, by="t@x.example"
        )
        set_return_comments(session, report_id="safe-to-share", agency_id="dorset-police", by="t@x.example", pcc=NASTY)
        (c,) = compile_returns(session, report_id="safe-to-share", agency_ids=["dorset-police"], today=TODAY)
    doc = read_docx(c.document)
    cells = {row.cells[0].text.split(".", 1)[0]: row.cells[1].text for row in doc.tables[0].rows[2:]}
    assert cells["Recommendation 4"] == NASTY
    assert NASTY in body_texts(doc)
    html = render_html(c.content)
    assert "<b>not bold</b>" not in html
    assert (
        "Fees &lt; £5 &amp; &#34;free&#34; advice; &lt;b&gt;not bold&lt;/b&gt; &amp; &#39;quoted&#39; &amp;amp;" in html
    )
    import html as html_lib

    assert html_lib.unescape(html).count(NASTY) == 2  # the response and the PCC's comments


def test_a_sent_round_keeps_its_document(answered):
    with session_scope() as session:
        first = compile_return(session, report_id="safe-to-share", agency_id="wiltshire-police", today=TODAY)
        first.delivery_id = 1  # as if logged for sending (the submit tests do it for real)
        session.add(first)
    with session_scope() as session:
        again = compile_return(session, report_id="safe-to-share", agency_id="wiltshire-police", today=date(2021, 6, 1))
        assert again.id == first.id
        assert again.sha256 == first.sha256
        current = current_return(session, report_id="safe-to-share", agency_id="wiltshire-police")
        assert current is not None
        assert current.round == 1


@pytest.mark.parametrize("agency", ["no-such-force"])
def test_an_unknown_agency_is_one_clear_error(assigned, agency):
    from models.rules.errors import NotFound

    with session_scope() as session, pytest.raises(NotFound, match="no-such-force"):
        compile_returns(session, report_id="safe-to-share", agency_ids=[agency], today=TODAY)
