"""Due-date changes and the committee pack on the pages, in Chromium: the owner asks on the owner's page (its error
state first), the liaison officer signs in at a real OpenID provider and approves on the agency's staff page (its
error state first), the date moves; the pack downloads as Word and Excel and shows the change. axe-core clean at 375
and 1280 px, no sideways scroll at 375 px; screenshots in test-artifacts/web/staff/.
"""

from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from models.store.db import session_scope
from models.store.tables import Action, DueDateChange
from tests.flows.test_due_dates_cli import _wiltshire
from tests.web.conftest import SIGNED_IN, WILTSHIRE, check, link, refused_form, sign_in

pytestmark = SIGNED_IN


def test_the_owner_asks_the_liaison_officer_approves_and_the_pack_shows_it(
    server: str, browser: Any, tmp_path: Path
) -> None:
    action_id = _wiltshire("5")  # due 17 June 2021
    context = browser.new_context(accept_downloads=True)
    owner = context.new_page()
    owner.goto(server + link(action_id))
    owner.get_by_role("button", name="Ask to move the due date").click()
    assert owner.title().startswith("Error:")
    assert owner.locator(".error-summary a[href='#due-day']").is_visible()
    assert owner.locator(".error-summary a[href='#due-reason']").is_visible()
    check(owner, "owner-due-error")
    owner.locator("#due-day").fill("30")
    owner.locator("#due-month").fill("9")
    owner.locator("#due-year").fill("2021")
    owner.get_by_label("Why should it move?").fill("The new IT system arrives in August")
    owner.get_by_role("button", name="Ask to move the due date").click()
    assert "gone for approval" in owner.locator(".banner").inner_text()
    assert "waiting for approval" in owner.locator("#due-date ~ .inset").inner_text()
    check(owner, "owner-due-waiting")

    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "liaison")
    waiting = page.locator("#due-changes ~ .task").first
    assert "The new IT system arrives in August" in waiting.inner_text()
    check(page, "agency-due-waiting")
    page.get_by_role("button", name="Confirm decision on recommendation 5").click()
    refused_form(page)
    check(page, "agency-due-error")
    page.get_by_label("Approve: due 30 September 2021").check()
    page.get_by_role("button", name="Confirm decision on recommendation 5").click()
    assert "The due-date change has been decided" in page.locator(".banner").inner_text()
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert (action.due_on, action.original_due_on) == (date(2021, 9, 30), date(2021, 6, 17))
        change = session.exec(select(DueDateChange).where(DueDateChange.action_id == action_id)).one()
        assert (change.status, change.decided_by) == ("approved", "liaison@wiltshire.example.org")

    # The pack: the error state first, then Word and Excel.
    page.get_by_role("button", name="Download the pack (Word)").click()
    refused_form(page)
    check(page, "agency-pack-error")
    page.locator("#since-day").fill("1")
    page.locator("#since-month").fill("1")
    page.locator("#since-year").fill("2021")
    with page.expect_download() as word:
        page.get_by_role("button", name="Download the pack (Word)").click()
    assert word.value.suggested_filename == "pack-wiltshire-police-2021-03-01.docx"
    word.value.save_as(tmp_path / "pack.docx")
    rows = [[c.text for c in r.cells] for t in Document(str(tmp_path / "pack.docx")).tables for r in t.rows]
    assert any("The new IT system arrives in August" in r and "30 September 2021" in r for r in rows)
    with page.expect_download() as excel:
        page.get_by_role("button", name="Download the pack (Excel)").click()
    excel.value.save_as(tmp_path / "pack.xlsx")
    sheet = load_workbook(tmp_path / "pack.xlsx")["Target dates changed"]
    assert sheet["E2"].value == "The new IT system arrives in August"
    context.close()
