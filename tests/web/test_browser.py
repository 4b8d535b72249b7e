"""The journey in a real browser (Debian's Chromium driven by Playwright), against the app served by uvicorn and a
real SMTP server on 127.0.0.1: the owner opens the link from the message they received, records a response and marks
the action complete; the signer approves from the link in their message; the database, the event trail and the
liaison page show it. Every page is checked with axe-core in its normal and its error state; screenshots are saved
in test-artifacts/web/.
"""

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models import links
from models.settings import Settings, load_settings
from models.store import repository
from models.store.db import session_scope
from models.store.tables import Action, Delivery
from tests.conftest import SmtpSink
from tests.web.conftest import wiltshire_actions

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(assigned: Settings, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app on uvicorn in a thread, its links pointing at itself."""
    import uvicorn

    from web.app import create_app

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("ACTIONED_BASE_URL", base)
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _send_owner_message(action_id: int) -> None:
    """A minimal reminder carrying the owner's link, decided and sent through the delivery API."""
    from notifications.delivery import Outgoing, dispatch, enqueue

    s = load_settings()
    with session_scope() as session:
        action = repository.get_action(session, action_id=action_id)
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

    # Error state: complete without a response.
    page.get_by_label("Complete").check()
    page.get_by_role("button", name="Save update").click()
    assert page.title().startswith("Error:")
    assert page.locator(".error-summary a[href='#response']").is_visible()
    _check(page, "02-owner-error")
    page.locator(".error-summary a[href='#response']").click()  # the summary link takes you to the field
    page.keyboard.type("Guidance on sharing immigration status issued to all officers; <b>training</b> done.")
    page.get_by_label("Complete").check()
    page.get_by_role("button", name="Save update").click()
    assert "waiting for sign-off" in page.content()
    _check(page, "03-owner-saved")

    # Evidence: the error state, then a link.
    page.get_by_role("button", name="Add evidence").click()
    assert page.title().startswith("Error:")
    _check(page, "04-owner-evidence-error")
    page.get_by_label("Or a link to the evidence").fill("https://intranet.example.org/policy")
    page.get_by_role("button", name="Add evidence").click()
    assert "intranet.example.org/policy" in page.content()

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
        trail = [(e.kind, e.actor, e.to_value) for e in repository.events_for(session, action_id=action_id)]
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
