"""The agency's workplace beyond the report and return pages, end to end in Chromium with real sign-ins at the real
OpenID provider (127.0.0.1) and a real SMTP server: an action's page (a fresh link and a chaser sent once however
often the button is pressed, never shown on the page; reassigning), the register (each change's effect on the open
actions shown before it is saved), the delivery log (filtered), and a liaison officer of another force refused on
every one of them with nothing shown and nothing sent. axe-core at 375 and 1280 px in normal and error states;
screenshots in test-artifacts/web/staff/.
"""

from typing import Any

import pytest
from sqlmodel import col, func, select

from models.rules.vocabulary import Status
from models.store.db import session_scope
from models.store.tables import Action, Delivery
from tests.conftest import SmtpSink
from tests.web.conftest import CHROMIUM, WILTSHIRE, check, sign_in, wiltshire_actions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]

REGISTER = "/agencies/wiltshire-police/register"
DELIVERIES = "/agencies/wiltshire-police/deliveries"
SAM = "sam.carter@wiltshire-police.example"


def action_page(action_id: int) -> str:
    return f"/agencies/wiltshire-police/actions/{action_id}"


def deliveries_to(address: str, stage: str) -> int:
    with session_scope() as session:
        return session.exec(
            select(func.count()).select_from(Delivery).where(Delivery.recipient == address, Delivery.stage == stage)
        ).one()


def test_an_action_page_sends_a_fresh_link_and_a_chaser_once_and_reassigns(
    server: str, browser: Any, smtp: SmtpSink
) -> None:
    first = wiltshire_actions()[0]
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "liaison")
    page.click("#actions a >> nth=0")  # the report page links each action to its page
    assert page.url == server + action_page(first)
    assert page.locator("h1").inner_text() == "Recommendation 1: Wiltshire Police"
    summary = page.locator(".summary").inner_text()
    for words in ("Sam Carter", SAM, "17 December 2020", "74 days overdue", "Open", "Red (overdue)"):
        assert words in summary
    check(page, "action")

    for button, stage, banner, again in [
        ("Send the owner a fresh link", "fresh-link", "A fresh link has been sent", "already sent"),
        ("Chase now", "chase-now", "A chaser has been sent", "already chased today"),
    ]:
        page.click(f"button:has-text('{button}')")
        assert banner in page.locator(".banner").inner_text()
        page.click(f"button:has-text('{button}')")  # a second click the same day sends nothing more
        assert again in page.locator(".banner").inner_text()
        assert deliveries_to(SAM, stage) == 1
    assert "/a/" not in page.content()  # the owner's link is in their message, never on the page
    sent = [m for m in smtp.messages if m["To"] == SAM]
    assert len(sent) == 2
    link = sent[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Lee Liaison has sent you a fresh link" in link
    assert f"{server}/a/" in link
    check(page, "action-sent")

    # Reassign on the action's own page: first a mistake, then the new owner, who is told at once.
    page.fill("#owner_email", "not an address")
    page.click("button:has-text('Reassign')")
    assert page.locator(".error-summary").is_visible()
    check(page, "action-error")
    page.fill("#owner_email", "new.owner@wiltshire-police.example")
    page.click("button:has-text('Reassign')")
    assert "new owner" in page.locator(".banner").inner_text()
    assert "new.owner@wiltshire-police.example" in page.locator(".summary").inner_text()
    assert any(m["To"] == "new.owner@wiltshire-police.example" for m in smtp.messages)
    assert "new.owner@wiltshire-police.example" in page.locator("#history + table").inner_text()
    context.close()


def test_the_register_shows_what_a_change_does_to_the_open_actions_before_saving(
    server: str, browser: Any, smtp: SmtpSink
) -> None:
    ids = wiltshire_actions()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, REGISTER, "liaison")
    assert page.locator("h1").inner_text() == "Wiltshire Police: contacts"
    assert "Default owner" in page.locator("#contacts-owner").inner_text()
    check(page, "register")

    # Remove the only action owner: the check page says what happens; nothing has changed until it is confirmed.
    page.click("a:has-text('Remove'):has(span:text('Sam Carter as action owner'))")
    assert page.locator("h1").inner_text() == "Check before saving"
    assert f"{len(ids)} actions lose their owner and await allocation" in page.locator("main").inner_text()
    check(page, "register-check")
    with session_scope() as session:
        assert {a.owner_email for a in session.exec(select(Action).where(col(Action.id).in_(ids)))} == {SAM}
    page.click("button:has-text('Remove the contact')")
    assert f"{len(ids)} actions lost their owner and await allocation" in page.locator(".banner").inner_text()
    with session_scope() as session:
        statuses = {a.status for a in session.exec(select(Action).where(col(Action.id).in_(ids)))}
    assert statuses == {Status.AWAITING_ALLOCATION}

    # Add a new owner: first a mistake (no role, a bad address), then the check, then saved; the owner is told.
    page.fill("#name", "Kim Lee")
    page.fill("#email", "kim.lee at wiltshire")
    page.click("button:has-text('Continue')")
    summary = page.locator(".error-summary").inner_text()
    assert "Choose a role" in summary
    assert "is not an email address" in summary  # every field at fault, not only the first
    check(page, "register-error")
    page.check("#role-owner")
    page.fill("#email", "kim.lee@wiltshire-police.example")
    page.click("button:has-text('Continue')")
    assert f"{len(ids)} open actions will get this owner" in page.locator("main").inner_text()
    page.click("button:has-text('Save the change')")
    assert f"{len(ids)} open actions now have this owner" in page.locator(".banner").inner_text()
    assert [m["To"] for m in smtp.messages].count("kim.lee@wiltshire-police.example") == 1

    # Replace the liaison officer: no action changes owner, and the page says so.
    page.click("a:has-text('Replace'):has(span:text('Morgan Hale as liaison officer'))")
    check(page, "register-replace")
    page.fill("#name", "Ash Green")
    page.fill("#email", "ash.green@wiltshire-police.example")
    page.click("button:has-text('Continue')")
    assert "No action changes owner" in page.locator("main").inner_text()
    page.click("button:has-text('Save the change')")
    assert "ash.green@wiltshire-police.example" in page.locator("#contacts-liaison_officer").inner_text()
    assert "morgan.hale" not in page.locator("#contacts-liaison_officer").inner_text()
    context.close()


def test_a_check_that_no_longer_holds_saves_nothing(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, REGISTER, "liaison")
    page.click("a:has-text('Remove'):has(span:text('Sam Carter as action owner'))")
    # Meanwhile one of Sam's actions closes: the effect shown is no longer what would happen.
    with session_scope() as session:
        action = session.get(Action, wiltshire_actions()[0])
        assert action is not None
        action.status = Status.COMPLETE.value
        session.add(action)
    page.click("button:has-text('Remove the contact')")
    assert "The effect has changed since you checked" in page.locator(".error-summary").inner_text()
    check(page, "register-check-changed")
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Action).where(Action.owner_email == SAM)).one() > 0
    context.close()


def test_the_delivery_log_lists_and_filters_every_message_of_the_agency(
    server: str, browser: Any, smtp: SmtpSink
) -> None:
    first = wiltshire_actions()[0]
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, action_page(first), "liaison")
    page.click("button:has-text('Chase now')")
    page.click("text=Every message sent for this report (the delivery log)")
    assert page.locator("h1").inner_text() == "Wiltshire Police: every message"
    log = page.locator("#log ~ table").inner_text()
    assert "Chaser" in log
    assert SAM in log
    assert "Sent" in log
    check(page, "deliveries")
    page.select_option("#status", "failed")
    page.click("button:has-text('Show')")
    assert "status=failed" in page.url
    assert "0 messages matching" in page.locator("#log").inner_text()
    assert "No message matches these filters" in page.locator("main").inner_text()
    check(page, "deliveries-empty")
    context.close()


def test_a_liaison_officer_of_another_force_is_refused_every_page_and_form(server: str, browser: Any) -> None:
    first = wiltshire_actions()[0]
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "dorset-liaison")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    with session_scope() as session:
        before = session.exec(select(func.count()).select_from(Delivery)).one()
    for path in (action_page(first), REGISTER, f"{REGISTER}/1/remove", f"{REGISTER}/1/replace", DELIVERIES):
        response = page.goto(server + path)
        assert response.status == 403, path
        assert "Wiltshire" not in page.content()
        assert SAM not in page.content()
    check(page, "refused-workplace")
    for path, form in [
        (f"{action_page(first)}/fresh-link", {}),
        (f"{action_page(first)}/chase-now", {}),
        (f"{action_page(first)}/assign", {"owner_email": "dorset@example.org"}),
        (f"{REGISTER}/check", {"kind": "add", "role": "owner", "name": "X", "email": "x@example.org"}),
        (f"{REGISTER}/save", {"kind": "remove", "contact": "1", "effect": "No action changes owner"}),
    ]:
        posted = context.request.post(server + path, form={"csrf_token": token, **form}, max_redirects=0)
        assert posted.status == 403, path
        assert "Wiltshire" not in posted.text()
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Delivery)).one() == before
        assert session.exec(select(func.count()).select_from(Action).where(Action.owner_email == SAM)).one() > 0
    # Their own agency's pages are theirs.
    assert page.goto(server + "/agencies/dorset-police/register").status == 200
    context.close()
