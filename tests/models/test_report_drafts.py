"""A report draft checked against the register before anyone confirms it: each problem on the page's field at
fault, the dates as people type them, and the import (``import_report`` and ``fan_out``) only from a clean check.
"""

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from models import import_draft
from models.import_draft import Draft, DraftItem
from models.rules.errors import ActionedError
from models.settings import Settings
from models.store.db import session_scope
from models.store.register import alias_table
from models.store.report_drafts import check, import_checked, typed_date
from models.store.tables import Report
from tests.extraction import build_documents

DOCUMENTS = Path(__file__).resolve().parents[1] / "extraction" / "documents"


def draft(**changes: object) -> Draft:
    base = Draft(
        id="d" * 24,
        owner="subject-1",
        document="report.txt",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        title="Policing together",
        report_id="policing-together",
        published_on="3 March 2023",
        items=[
            DraftItem(number="1", addressee="To chief constables", text="Do this.", due_on="30/09/2023"),
            DraftItem(number="2", addressee="the Home Office", text="Do that."),
        ],
    )
    return base.model_copy(update=changes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-03-03", date(2023, 3, 3)),
        ("3 March 2023", date(2023, 3, 3)),
        ("3rd March 2023", date(2023, 3, 3)),
        ("03/03/2023", date(2023, 3, 3)),
        ("31 February 2023", None),
        ("soon", None),
        ("", None),
    ],
)
def test_dates_as_people_type_them(text: str, expected: date | None) -> None:
    assert typed_date(text) == expected


def test_a_clean_draft_checks_and_imports_with_its_actions(registered: Settings) -> None:
    with session_scope() as session:
        checked = check(session, draft())
        assert checked.errors == {}
        assert checked.definition is not None
        assert checked.definition.recommendations[0].due_on == date(2023, 9, 30)
        assert checked.placed[1].targets == ["Chief constables"]
        assert len(checked.placed[1].agencies) == 46
        assert checked.placed[2].agencies == ["Home Office"]
        assert checked.due == {1: date(2023, 9, 30), 2: None}  # the second has no deadline and no return date
        assert checked.report_due is None
        assert check(session, draft(return_months=6)).due[2] == date(2023, 9, 3)
        done = import_checked(session, definition=checked.definition, source="report.txt")
    assert (done.recommendations, done.actions_created) == (2, 47)
    with session_scope() as session:
        report = session.get(Report, "policing-together")
        assert report is not None
        assert report.published_on == date(2023, 3, 3)


def test_each_problem_is_on_its_field_in_page_order(registered: Settings) -> None:
    bad = draft(
        title="",
        report_id="Not A Slug",
        published_on="soon",
        return_address="not an address",
        items=[
            DraftItem(number="1", addressee="To the Ministry of Magic", text="Do this."),
            DraftItem(number="1", addressee="To chief constables", text="", due_on="31 February 2023"),
            DraftItem(number="x", addressee="", text="Left out, so not checked.", left_out=True),
        ],
    )
    with session_scope() as session:
        checked = check(session, bad)
    assert list(checked.errors) == [
        "title",
        "report_id",
        "published_on",
        "return_address",
        "rec_1_addressee",
        "rec_2_number",
        "rec_2_text",
        "rec_2_due_on",
    ]
    assert checked.errors["rec_1_addressee"].startswith("Recommendation 1: addressee 'To the Ministry of Magic'")
    assert (
        checked.errors["rec_2_number"]
        == "Recommendation 1: the number 1 is given twice: give each recommendation its own number"
    )
    assert checked.definition is None


def test_nothing_kept_is_an_error(registered: Settings) -> None:
    items = [item.model_copy(update={"left_out": True}) for item in draft().items]
    with session_scope() as session:
        checked = check(session, draft(items=items))
    assert checked.errors == {"recommendations": "Keep at least one recommendation to import"}


def test_a_draft_is_read_from_a_real_document_and_kept_for_its_owner_only(registered: Settings, tmp_path: Path) -> None:
    data = (DOCUMENTS / "report.html").read_bytes()
    with session_scope() as session:
        aliases = alias_table(session)
    made = import_draft.draft_from_upload("report.html", data, owner="subject-1", aliases=aliases)
    assert made.published_on == "3 March 2023"
    assert [i.number for i in made.items] == ["1", "2", "1"]
    assert [u.text for u in made.unplaced] == ["We make two recommendations and one action."]
    import_draft.save(tmp_path, made)
    assert import_draft.load(tmp_path, made.id, owner="subject-1") == made
    assert import_draft.load(tmp_path, made.id, owner="someone-else") is None
    assert import_draft.load(tmp_path, "../../etc/passwd", owner="subject-1") is None
    with pytest.raises(ActionedError) as error:
        import_draft.draft_from_upload("../../evil.docx", b"PK\x03\x04junk", owner="subject-1", aliases=aliases)
    assert error.value.field == "file"
    assert error.value.message.startswith("evil.docx is not a readable docx file")


def test_an_existing_report_is_updated_not_duplicated_and_the_page_says_so(registered: Settings) -> None:
    with session_scope() as session:
        assert check(session, draft(report_id="safe-to-share")).existing
        assert not check(session, draft()).existing


def test_drafts_left_for_a_week_are_removed(tmp_path: Path) -> None:
    old, new = draft(id="o" * 24), draft(id="n" * 24)
    import_draft.save(tmp_path, old)
    import_draft.save(tmp_path, new)
    week_ago = datetime(2026, 1, 1, tzinfo=UTC).timestamp() - 8 * 86400
    os.utime(tmp_path / f"{old.id}.json", (week_ago, week_ago))
    assert import_draft.prune(tmp_path, now=datetime(2026, 1, 1, tzinfo=UTC)) == 1
    assert [p.stem for p in tmp_path.glob("*.json")] == [new.id]


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (build_documents.build_report_docx, "report.docx"),
        (build_documents.build_report_pdf, "report.pdf"),
    ],
)
def test_word_and_pdf_documents_pass_the_upload_checks_and_are_read(
    registered: Settings, tmp_path: Path, build: Any, name: str
) -> None:
    data = build(tmp_path / name).read_bytes()
    with session_scope() as session:
        aliases = alias_table(session)
    made = import_draft.draft_from_upload(name, data, owner="subject-1", aliases=aliases)
    assert made.document == name
    assert made.items
    assert all(item.text for item in made.items)


def test_a_real_action_plan_with_only_areas_for_improvement_says_so(registered: Settings, tmp_path: Path) -> None:
    data = build_documents.build_derbyshire_afi_docx(tmp_path / "afi.docx").read_bytes()
    with pytest.raises(ActionedError) as error:
        import_draft.draft_from_upload("afi.docx", data, owner="subject-1", aliases={})
    assert error.value.field == "file"
    assert error.value.message.startswith("afi.docx: found 2 item(s) (area for improvement 1, area for improvement 2)")


def test_a_pdf_of_too_many_pages_or_a_damaged_one_is_refused_unread() -> None:
    pdf = FPDF()
    for _ in range(import_draft.MAX_PDF_PAGES + 1):
        pdf.add_page()
    with pytest.raises(ActionedError, match=r"long.pdf has 601 pages: a report's document has at most 600$"):
        import_draft.check_upload("long.pdf", bytes(pdf.output()))
    with pytest.raises(ActionedError, match=r"broken.pdf is not a readable PDF"):
        import_draft.check_upload("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100)
