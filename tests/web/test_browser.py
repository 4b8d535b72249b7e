"""The journey in a real browser (Debian's Chromium driven by Playwright), against the app served by uvicorn and a
real SMTP server on 127.0.0.1: the owner opens the link from the message they received, records a response and marks
the action complete; the signer approves from the link in their message; the database, the event trail and the
liaison page show it. Every page is checked with axe-core in its normal and its error state; screenshots are saved
in test-artifacts/web/.
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import links
from models.settings import Settings, load_settings
from models.store.actions import events_for, get_action, update_action
from models.store.db import session_scope
from models.store.tables import Action, Delivery
from tests.conftest import SmtpSink
from tests.web.conftest import CHROMIUM, listening_socket, refused_form, serving, shows, wiltshire_actions

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]


@pytest.fixture
def server(assigned: Settings, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app on uvicorn in a thread, its links pointing at itself."""
    from web.app import create_app

    with listening_socket() as listener:
        monkeypatch.setenv("ACTIONED_BASE_URL", f"http://127.0.0.1:{listener.getsockname()[1]}")
        with serving(create_app(), listener) as base:
            yield base


def _send_owner_message(action_id: int) -> None:
    """A minimal reminder carrying the owner's link, decided and sent through the delivery API."""
    from notifications.delivery import Outgoing, dispatch, enqueue

    s = load_settings()
    with session_scope() as session:
        action = get_action(session, action_id=action_id)
        assert action.owner_email is not None
        url = links.action_url(s.base_url, s.secret_key(), action_id=action_id, assignment=action.assignment)
        enqueue(
            session,
            Outgoing(
                key=f"test-reminder:{action_id}",
                kind="reminder",
                to=action.owner_email,
                subject="Reminder: your action",
                text=f"Update your action here:\n{url}\n",
                action_id=action_id,
            ),
            now=datetime.now(UTC),
        )
    dispatch(keys=[f"test-reminder:{action_id}"])


def _link_in(message: Any, prefix: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.findall(rf"(http://127\.0\.0\.1:\d+/{prefix}/[A-Za-z0-9._-]+)", body)
    assert found, body
    return str(found[0])


def _check(page: Any, name: str) -> None:
    """Screenshot the page and run axe-core on it: no violations allowed."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    result = Axe().run(page)
    assert result.violations_count == 0, f"{name}: {result.generate_report()}"


def test_owner_to_signer_journey(server: str, smtp: SmtpSink, browser: Any) -> None:
    action_id = wiltshire_actions()[0]
    _send_owner_message(action_id)
    owner_mail = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == "sam.carter@wiltshire-police.example"]
    owner_url = _link_in(owner_mail[-1], "a")

    context = browser.new_context()
    page = context.new_page()
    page.goto(owner_url)
    assert page.title().startswith("Recommendation")
    _check(page, "01-owner")

    # Evidence first (the page is read-only once the action waits for sign-off): the error state, then a link.
    page.get_by_role("button", name="Add evidence").click()
    refused_form(page)
    _check(page, "04-owner-evidence-error")
    page.get_by_label("Or a link to the evidence").fill("https://intranet.example.org/policy")
    page.get_by_role("button", name="Add evidence").click()
    shows(page, "intranet.example.org/policy")

    # Error state: complete without a response.
    page.get_by_label("Complete").check()
    page.get_by_role("button", name="Save update").click()
    refused_form(page)
    assert page.locator(".error-summary a[href='#response']").is_visible()
    _check(page, "02-owner-error")
    page.locator(".error-summary a[href='#response']").click()  # the summary link takes you to the field
    page.keyboard.type("Guidance on sharing immigration status issued to all officers; <b>training</b> done.")
    page.get_by_label("Complete").check()
    page.get_by_role("button", name="Save update").click()
    shows(page, "waiting for sign-off")
    _check(page, "03-owner-saved")

    # The signer's message arrived on the SMTP server, with its link.
    signoff = [m for m in smtp.messages if "sign-off needed for recommendation" in m["Subject"]]
    assert [m["To"].addresses[0].addr_spec for m in signoff] == ["priya.shah@wiltshire-police.example"]
    signer_url = _link_in(signoff[0], "s")
    signer = context.new_page()
    signer.goto(signer_url)
    _check(signer, "05-signer")
    signer.get_by_role("button", name="Confirm decision").click()
    assert signer.title().startswith("Error:")
    _check(signer, "06-signer-error")
    signer.get_by_label("Yes, approve").check()
    signer.get_by_role("button", name="Confirm decision").click()
    assert "Action signed off" in signer.content()
    _check(signer, "07-signed")

    # The links have done their job.
    page.goto(owner_url)
    assert page.title().startswith("This link is no longer valid")
    _check(page, "08-invalid")

    # The database and the event trail.
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert action.status == "complete"
        assert action.response is not None
        assert action.response.endswith("<b>training</b> done.")
        trail = [(e.kind, e.actor, e.to_value) for e in events_for(session, action_id=action_id)]
        sent = session.exec(select(Delivery.kind, Delivery.status).where(Delivery.action_id == action_id)).all()
    assert ("status", "sam.carter@wiltshire-police.example", "pending_signoff") in trail
    assert ("status", "priya.shah@wiltshire-police.example", "complete") in trail
    assert any(kind == "evidence" for kind, _, _ in trail)
    assert ("signoff", "sent") in sent

    # The liaison officer's page shows it, in its normal and its error state.
    s = load_settings()
    liaison = context.new_page()
    liaison.goto(links.liaison_url(s.base_url, s.secret_key(), agency_id="wiltshire-police", report_id="safe-to-share"))
    row = liaison.locator("#actions tbody tr").filter(has_text="Complete")
    assert row.count() == 1
    assert "Green" in row.inner_text()
    _check(liaison, "09-liaison")
    liaison.get_by_role("button", name="Reassign").click()
    assert liaison.title().startswith("Error:")
    _check(liaison, "10-liaison-error")
    context.close()


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """WCAG contrast ratio of two sRGB colours (0-255 channels)."""

    def luminance(rgb: tuple[float, ...]) -> float:
        c = [v / 255 for v in rgb[:3]]
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colours(css: str) -> list[tuple[float, ...]]:
    return [tuple(float(n) for n in m.split(",")[:3]) for m in re.findall(r"rgba?\(([^)]*)\)", css)]


def test_the_pages_fit_a_phone_and_show_where_focus_is(server: str, browser: Any) -> None:
    from tests.web.conftest import liaison_link, link

    action_id = wiltshire_actions()[0]
    with session_scope() as session:  # some history to show
        for n in range(3):
            update_action(session, action_id=action_id, by="sam", response=f"Update {n}: " + "word " * 40)
    pages = {"owner": link(action_id), "signer": link(action_id, "signer"), "liaison": liaison_link()}
    pages = {name: server + path for name, path in pages.items()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    for name, url in pages.items():
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert overflow <= 0, f"the {name} page scrolls sideways by {overflow}px at 375px: {wide}"
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        style = page.evaluate(
            "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [s.boxShadow + ' ' + s.outlineColor + ' ' + s.backgroundColor,"
            " getComputedStyle(document.body).backgroundColor, e.tagName]; })()"
        )
        indicator, background = style[0], _colours(style[1])[0]
        best = max(_contrast(c, background) for c in _colours(indicator))
        assert best >= 3, f"the {name} page's focus indicator on {style[2]} has contrast {best:.1f}:1"
    context.close()
