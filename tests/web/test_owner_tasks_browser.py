"""The owner's page with tasks in Chromium: a task added through the form (its error state first), marked done,
the response composed; axe-core clean in each state, no sideways scroll at 375 px; screenshots in test-artifacts/web/.
"""

from typing import Any

import pytest

from tests.flows.test_due_dates_cli import _wiltshire
from tests.web.conftest import CHROMIUM, link, refused_form, shows
from tests.web.test_browser import ARTIFACTS, _check, server

__all__ = ["server"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]


def _fits(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_owner_splits_the_action_and_composes_the_response(server: str, browser: Any, width: int) -> None:
    action_id = _wiltshire("5")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server + link(action_id))
    _check(page, f"tasks-01-none-{width}")

    page.get_by_label("What is the task?").fill("Train the call handlers")
    page.get_by_label("Who will do it?").fill("ann.lee@wiltshire-police.example")
    due = page.get_by_role("group", name="When is it due? (optional)")
    due.get_by_label("Day").fill("31")
    due.get_by_label("Month").fill("6")
    due.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Add task").click()
    refused_form(page)
    assert page.locator(".error-summary a[href='#task-due-day']").is_visible()
    _check(page, f"tasks-02-add-error-{width}")
    _fits(page, f"tasks-02-add-error-{width}")

    page.locator(".error-summary a[href='#task-due-day']").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("10")
    page.get_by_role("button", name="Add task").click()
    shows(page, "The task has been saved.")
    page.get_by_label("What is the task?").fill("Rewrite the data-sharing policy")
    page.get_by_label("Who will do it?").fill("bob.kay@wiltshire-police.example")
    page.get_by_role("button", name="Add task").click()
    shows(page, "Rewrite the data-sharing policy")
    _check(page, f"tasks-03-two-tasks-{width}")

    page.get_by_label("Status of task 1").select_option("done")
    page.get_by_role("button", name="Save task 1").click()
    refused_form(page)
    _check(page, f"tasks-04-done-without-note-{width}")
    page.get_by_label("What was done (task 1)").fill("40 call handlers trained in May.")
    page.get_by_label("Status of task 1").select_option("done")
    page.get_by_role("button", name="Save task 1").click()
    page.get_by_role("button", name="Compose the response from the tasks' notes").click()
    assert page.get_by_label("Response for the progress return").input_value() == (
        "Train the call handlers: 40 call handlers trained in May."
    )
    _check(page, f"tasks-05-composed-{width}")
    _fits(page, f"tasks-05-composed-{width}")
    context.close()


def test_a_linked_finding_on_the_owner_and_signer_pages_at_375(server: str, browser: Any, cli_in_process: Any) -> None:
    from tests.flows.test_peel import PEEL

    assert cli_in_process("report", "import", str(PEEL)).code == 0
    linked = cli_in_process(
        "report", "link", "safe-to-share/5", "superseded_by", "peel-wiltshire-2021-22/area_for_improvement/2"
    )
    assert linked.code == 0, linked.stderr
    action_id = _wiltshire("5")
    context = browser.new_context(viewport={"width": 375, "height": 900})
    page = context.new_page()
    for role in ("owner", "signer"):
        page.goto(server + link(action_id, role))
        row = page.locator(".summary__row").filter(has_text="Linked findings")
        assert (
            "Superseded by PEEL 2021/22: An inspection of Wiltshire Police, area for improvement 2" in row.inner_text()
        )
        _check(page, f"links-{role}-375")
        _fits(page, f"links-{role}-375")
    context.close()


def test_the_portfolio_lead_decides_a_due_date_change_through_the_link_in_their_message(
    server: str, browser: Any, smtp: Any
) -> None:
    import re

    from sqlmodel import select

    from models.store.db import session_scope
    from models.store.tables import Action, DueDateChange

    action_id = _wiltshire("5")
    context = browser.new_context(viewport={"width": 375, "height": 900})
    owner = context.new_page()
    owner.goto(server + link(action_id))
    due = owner.get_by_role("group", name="New due date")
    due.get_by_label("Day").fill("30")
    due.get_by_label("Month").fill("9")
    due.get_by_label("Year").fill("2021")
    owner.get_by_label("Why should it move?").fill("The new IT system arrives in August")
    owner.get_by_role("button", name="Ask to move the due date").click()
    assert "gone for approval" in owner.locator(".banner").inner_text()

    (message,) = [m for m in smtp.messages if "move the due date of recommendation 5" in str(m["Subject"])]
    assert message["To"] == "priya.shah@wiltshire-police.example"  # the portfolio lead
    body = message.get_body(("plain",)).get_content()
    assert "from 17 June 2021 to 30 September 2021" in body
    (url,) = re.findall(r"http://127\.0\.0\.1:\d+/s/[A-Za-z0-9._-]+", body)

    lead = context.new_page()
    lead.goto(url)
    assert "The new IT system arrives in August" in lead.locator("#due-date ~ .summary").inner_text()
    _check(lead, "due-signer-375")
    _fits(lead, "due-signer-375")
    lead.get_by_label("Refuse: the date stays").check()
    lead.get_by_role("button", name="Confirm decision on the due date").click()
    assert lead.title().startswith("Error:")
    assert lead.locator(".error-summary a[href='#due-reason']").is_visible()
    _check(lead, "due-signer-error-375")
    lead.get_by_label("Approve the new date").check()
    lead.get_by_role("button", name="Confirm decision on the due date").click()
    assert "Your decision on the due date has been recorded." in lead.locator(".banner").inner_text()
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert str(action.due_on) == "2021-09-30"
        change = session.exec(select(DueDateChange).where(DueDateChange.action_id == action_id)).one()
        assert (change.status, change.decided_by) == ("approved", "priya.shah@wiltshire-police.example")
    context.close()
