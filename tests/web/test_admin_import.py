"""Importing a report from its document in the browser, end to end: Chromium signs in at the real OpenID provider as
an administrator, uploads a real report (West Mercia's PEEL recommendations, as published), corrects what the reader
got wrong (the title, the publication date it could not find, one recommendation), checks the answers and confirms;
the database then holds the report as corrected and its actions. Nothing is imported before the confirmation; a
liaison officer is refused; hostile uploads get one clear message. Pages are checked with axe-core at 375 and 1280
px in their normal and error states; screenshots go to test-artifacts/web/staff/.
"""

import io
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from models.store.db import session_scope
from models.store.tables import Action, Recommendation, Report
from tests.web import oidc_provider
from tests.web.conftest import ACCOUNTS, ARTIFACTS, STAFF_FILE, TENANT, check, sign_in
from tests.web.test_signin import pytestmark  # noqa: F401  (the sign-in tests' marks: browser, slow, needs chromium)

COORDINATOR = {"email": "cora@coordinators.example.org", "name": "Cora Coordinator", "tid": TENANT}


@pytest.fixture(scope="module")
def provider(app_port: int) -> Iterator[oidc_provider.Provider]:
    """The sign-in tests' provider and accounts, and a national coordinator."""
    accounts = {**ACCOUNTS, "coordinator": COORDINATOR}
    with oidc_provider.running(redirect_uri=f"http://127.0.0.1:{app_port}/auth/callback", accounts=accounts) as p:
        yield p


def look(page: Any, name: str) -> None:
    """The sign-in tests' checks (axe at 375 and 1280 px, screenshots), and the page's HTML kept beside them for the
    W3C checker (``java -jar vnu.jar test-artifacts/web/staff/admin-*.html``).
    """
    check(page, name)
    (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")


REAL = Path(__file__).resolve().parents[1] / "extraction" / "real"
DOCUMENT = REAL / "west-mercia-peel-2018-19.txt"


def report_ids() -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(Report.id)))


def test_an_administrator_imports_a_real_report_after_correcting_it(server: str, browser: Any) -> None:
    before = report_ids()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "admin")
    page.click("text=Import a report from its document")
    assert page.locator("h1").inner_text() == "Import a report from its document"
    look(page, "admin-import-upload")

    # Nothing chosen: the one message, on the field.
    page.click("button:has-text('Read the document')")
    assert page.locator("#file-error").inner_text().split() == [
        "Error:",
        "Choose",
        "the",
        "report's",
        "document",
        "to",
        "upload",
    ]
    look(page, "admin-import-upload-error")

    page.set_input_files("#file", str(DOCUMENT))
    page.click("button:has-text('Read the document')")
    assert page.locator("h1").inner_text() == "Check what was read"
    assert re.fullmatch(rf"{re.escape(server)}/admin/import/[A-Za-z0-9_-]+", page.url)
    assert page.locator("#title").input_value() == "Source · HMICFRS"  # the reader's guess, for a person to fix
    assert page.locator("#published_on").input_value() == ""
    assert page.locator(".recommendation").count() == 7
    assert "West Mercia Police (1 agency)" in page.locator("#rec_1").inner_text()
    aside = page.locator("aside").inner_text()
    assert "Lines the reader could not place" in aside
    look(page, "admin-import-review")
    assert report_ids() == before  # nothing imported by reading

    # Fix the title and id, but not yet the date: the error is on the field, and in the summary.
    page.fill("#title", "West Mercia Police: PEEL 2018/19")
    page.fill("#report_id", "west-mercia-peel-2018")
    page.fill("#rec_1_text", "Conduct a review of officers' capabilities and capacity to manage their workload.")
    page.fill("#rec_2_due_on", "31 February 2019")
    page.click("button:has-text('Continue')")
    summary = page.locator(".error-summary").inner_text()
    assert "Enter the date the report was published" in summary
    assert "Recommendation 2: enter the deadline as a date" in summary
    assert page.locator("#published_on-error").is_visible()
    assert page.locator("#rec_2_due_on-error").is_visible()
    assert page.locator("#title").input_value() == "West Mercia Police: PEEL 2018/19"  # what was typed is kept
    look(page, "admin-import-review-error")
    page.click(".error-summary a[href='#published_on']")
    assert page.evaluate("document.activeElement.id") == "published_on"
    page.keyboard.type("2 May 2019")
    page.fill("#rec_2_due_on", "")
    page.check("#rec_7_left_out")
    page.focus("#return_address")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form from the keyboard
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()

    # Check answers: what will be imported; still nothing in the database.
    assert page.locator("h1").inner_text() == "Check your answers before importing"
    main = page.locator("main").inner_text()
    assert "2 May 2019" in main
    assert "The recommendations (6 of 7 read; 1 left out)" in main
    assert "Conduct a review of officers' capabilities" in main
    assert "Its actions will be due on 2 May 2019" in main  # "immediately": publication day
    look(page, "admin-import-check")
    assert report_ids() == before

    page.click("button:has-text('Import and create the actions')")
    assert page.locator("h1").inner_text() == "Report imported"
    look(page, "admin-import-done")
    context.close()

    with session_scope() as session:
        report = session.get(Report, "west-mercia-peel-2018")
        assert report is not None
        assert report.title == "West Mercia Police: PEEL 2018/19"
        assert report.published_on == date(2019, 5, 2)
        recs = list(
            session.exec(
                select(Recommendation)
                .where(Recommendation.report_id == report.id)
                .order_by(col(Recommendation.position))
            )
        )
        assert [r.number for r in recs] == ["1", "2", "3", "4", "5", "6"]
        assert recs[0].text == "Conduct a review of officers' capabilities and capacity to manage their workload."
        assert recs[0].groups == ["west-mercia-police"]
        actions = list(session.exec(select(Action).where(Action.report_id == report.id)))
        assert len(actions) == 6
        assert {a.agency_id for a in actions} == {"west-mercia-police"}
        assert {a.due_on for a in actions} == {date(2019, 5, 2)}  # "immediately": publication day


def test_the_review_shows_the_unplaced_lines_beside_whom_each_recommendation_reaches(
    server: str, browser: Any, assigned: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/admin/import", "admin")
    page.set_input_files("#file", str(REAL.parent / "documents" / "report.html"))
    page.click("button:has-text('Read the document')")
    aside = page.locator("aside").inner_text()
    assert "We make two recommendations and one action." in aside
    assert "report.html paragraph 6" in aside
    first = page.locator("#rec_1").inner_text()
    assert "Reaches: Chief constables (" in first
    page.click("#rec_1 summary")
    assert "Wiltshire Police" in page.locator("#rec_1 details").inner_text()
    look(page, "admin-import-review-unplaced")
    # A line the reader could not place, made a recommendation by hand.
    page.click("button:has-text('Add a recommendation the reader missed')")
    assert page.url.endswith("#rec_4")
    assert "Added by hand." in page.locator("#rec_4").inner_text()
    page.fill("#rec_4_number", "3")
    page.fill("#rec_4_addressee", "To chief constables")
    page.fill("#rec_4_text", "We make two recommendations and one action.")
    page.click("button:has-text('Continue')")
    assert page.locator("h1").inner_text() == "Check your answers before importing"
    assert "The recommendations (4)" in page.locator("main").inner_text()
    page.click("text=Back to what was read")

    # Nothing kept once discarded.
    drafts = Path(assigned.home) / "imports"
    assert len(list(drafts.glob("*.json"))) == 1
    page.click("button:has-text('Discard this import')")
    assert page.locator("h1").inner_text() == "Import a report from its document"
    assert not list(drafts.glob("*.json"))
    context.close()


def test_a_national_coordinator_may_import_but_not_edit_the_register(server: str, browser: Any) -> None:
    staff_file = Path(os.environ["ACTIONED_STAFF_FILE"])
    staff_file.write_text(
        STAFF_FILE + f"national_coordinators:\n  emails: [{COORDINATOR['email']}]\n  reports: [safe-to-share]\n"
    )
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "coordinator")
    links = page.locator(".admin-links").inner_text()
    assert "Import a report from its document" in links
    assert "The register" not in links
    page.click("text=Import a report from its document")
    assert page.locator("h1").inner_text() == "Import a report from its document"
    assert page.goto(server + "/admin/register").status == 403
    context.close()


def test_a_liaison_officer_is_refused_the_import(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/admin/import", "liaison")
    assert page.locator("h1").inner_text() == "You do not have access to this page"
    assert "Read the document" not in page.content()
    look(page, "admin-import-refused")
    page.goto(server + "/")
    assert "Import a report" not in page.content()
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    posted = context.request.post(
        server + "/admin/import",
        multipart={
            "csrf_token": token,
            "file": {"name": "report.txt", "mimeType": "text/plain", "buffer": DOCUMENT.read_bytes()},
        },
        max_redirects=0,
    )
    assert posted.status == 403
    context.close()


def _docx(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE = {
    "a zip renamed": ("report.docx", _docx({"hello.txt": b"hi"}), "is not a real docx file"),
    "macros": (
        "report.docx",
        _docx({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>", "word/vbaProject.bin": b"x"}),
        "contains macros",
    ),
    "a zip bomb": (
        "report.docx",
        _docx({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<" + b" " * (120 * 1024 * 1024) + b">"}),
        "expands to more than",
    ),
    "not a pdf": ("report.pdf", b"<html>not a pdf</html>", "does not look like a .pdf file"),
    "a program": ("report.exe", b"MZ\x90\x00", "is not a document the reader reads"),
    "no recommendations": ("report.txt", b"Just some words.\n", "report.txt: no recommendations found"),
}


def test_hostile_uploads_get_one_clear_message_and_nothing_is_kept(
    server: str, browser: Any, assigned: Any, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/admin/import", "admin")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    for what, (name, data, message) in HOSTILE.items():
        posted = context.request.post(
            server + "/admin/import",
            multipart={
                "csrf_token": token,
                "file": {"name": name, "mimeType": "application/octet-stream", "buffer": data},
            },
            max_redirects=0,
        )
        assert posted.status == 400, what
        assert message in posted.text(), what
        assert "Traceback" not in posted.text()
    too_large = context.request.post(
        server + "/admin/import",
        multipart={
            "csrf_token": token,
            "file": {"name": "big.txt", "mimeType": "text/plain", "buffer": b"a" * (11 << 20)},
        },
        max_redirects=0,
    )
    assert too_large.status == 413
    forged = context.request.post(
        server + "/admin/import",
        multipart={
            "csrf_token": "forged",
            "file": {"name": "r.txt", "mimeType": "text/plain", "buffer": DOCUMENT.read_bytes()},
        },
        max_redirects=0,
    )
    assert forged.status == 403
    home = Path(assigned.home)
    assert not list((home / "imports").glob("*.json")) if (home / "imports").exists() else True
    context.close()
