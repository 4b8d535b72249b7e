"""Keyboard only, in Chromium: a liaison officer Tabs through the report page (every link, field and button is
reached, in order, each with a visible focus), reassigns an action and approves the return without a mouse.
"""

from typing import Any

import pytest

from tests.web.conftest import CHROMIUM, WILTSHIRE, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || '').trim().slice(0, 60),
          outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
          shadow: style.boxShadow !== 'none', background: style.backgroundColor};
}"""
FOCUSABLE = """() => Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea'))
  .filter(e => e.offsetParent !== null).length"""


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_tab_goes_through_the_report_page_in_order_with_a_visible_focus(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "liaison")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Skip to main content"
    seen = [first]
    for _ in range(200):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now is None or now == seen[0]:
            break  # back to the start: the browser's own controls came next
        seen.append(now)
    assert len(seen) == page.evaluate(FOCUSABLE), [s["text"] or s["id"] for s in seen]  # every one, none twice
    assert all(s["outline"] or s["shadow"] for s in seen), [s for s in seen if not (s["outline"] or s["shadow"])]
    labels = [s["id"] or s["text"] for s in seen]
    # the page's own order: the header, the report's links, each action, the reassign form, the comments
    order = ["Sign out", "Recommendation 1", "action", "owner_email", "Reassign", "chief_officer", "Save comments"]
    assert all(any(label.startswith(want) for label in labels) for want in order), "\n".join(labels)
    positions = [next(i for i, label in enumerate(labels) if label.startswith(want)) for want in order]
    assert positions == sorted(positions), labels
    context.close()


def test_reassign_and_approve_the_return_with_the_keyboard_only(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "liaison")

    tab_to(page, "#action")
    page.keyboard.press("ArrowDown")  # the first action
    tab_to(page, "#owner_email")
    page.keyboard.type("keys.only@wiltshire-police.example")
    tab_to(page, "form[action$='/assign'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "The action has a new owner" in page.locator(".banner").inner_text()
    assert "keys.only@wiltshire-police.example" in page.locator("#actions").inner_text()

    tab_to(page, "a[href$='/return']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Wiltshire Police: the progress return"
    tab_to(page, "form[action$='/approve'] button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "The return is approved" in page.locator(".banner").inner_text()
    assert "by liaison@wiltshire.example.org" in page.locator(".summary").inner_text()
    context.close()
