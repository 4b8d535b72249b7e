"""Helpers for the pages' tests: a client on the real app, links to a Wiltshire Police action, the database's view."""

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, func, select

from models import links
from models.settings import Settings, load_settings
from models.store.db import session_scope
from models.store.tables import Action, Delivery, Event, Evidence
from tests.web import oidc_provider

TODAY = date(2021, 3, 1)


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused request must leave as it was."""

    status: str
    response: str | None
    version: int
    owner: str | None
    events: int
    evidence: int
    deliveries: int


def snapshot(action_id: int) -> Snapshot:
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        return Snapshot(
            status=action.status,
            response=action.response,
            version=action.version,
            owner=action.owner_email,
            events=session.exec(select(func.count()).select_from(Event).where(Event.action_id == action_id)).one(),
            evidence=session.exec(
                select(func.count()).select_from(Evidence).where(Evidence.action_id == action_id)
            ).one(),
            deliveries=session.exec(select(func.count()).select_from(Delivery)).one(),
        )


def wiltshire_actions() -> list[int]:
    with session_scope() as session:
        ids = session.exec(
            select(Action.id).where(Action.agency_id == "wiltshire-police").order_by(col(Action.id))
        ).all()
    return [i for i in ids if i is not None]


def link(action_id: int, role: str = "owner", **kwargs: Any) -> str:
    """The path of a fresh link to the action's page for ``role``."""
    s = load_settings()
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assignment = action.assignment
    return links.action_url("", s.secret_key(), action_id=action_id, assignment=assignment, role=role, **kwargs)


def liaison_link(agency_id: str = "wiltshire-police", report_id: str = "safe-to-share") -> str:
    return links.liaison_url("", load_settings().secret_key(), agency_id=agency_id, report_id=report_id)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def errors_of(html: str) -> dict[str, str]:
    """Field -> the error message shown by the field (the GOV.UK pattern's id="FIELD-error")."""
    found = re.findall(
        r'<p class="error-message" id="([a-z_]+)-error"><span class="visually-hidden">Error:</span> ([^<]*)</p>', html
    )
    return dict(found)


def summary_links(html: str) -> list[str]:
    block = html.split('class="error-summary"', 1)
    if len(block) < 2:
        return []
    return re.findall(r'<a href="#([a-z_]+)">', block[1].split("</div>", 1)[0])


@pytest.fixture
def client(assigned: Settings) -> TestClient:
    from web.app import create_app

    return TestClient(create_app(today=lambda: TODAY))


@pytest.fixture
def action_id(assigned: Settings) -> int:
    return wiltshire_actions()[0]


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@contextmanager
def serving(app: Any, port: int) -> Iterator[str]:
    """``app`` on uvicorn in a thread on 127.0.0.1:``port``, until the block ends."""
    import uvicorn

    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


SIGNED_IN = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
]
"""The marks of a module whose tests sign in, in Chromium, at the real OpenID provider (``provider``)."""


@pytest.fixture(scope="module")
def app_port() -> int:
    """The port the module's app is served on (the provider sends people back to it)."""
    return oidc_provider.free_port()


@pytest.fixture(scope="module")
def provider(app_port: int, request: pytest.FixtureRequest) -> Iterator[oidc_provider.Provider]:
    """A real OpenID provider on 127.0.0.1 with the module's ``ACCOUNTS`` (login -> claims; a login not there signs
    in with itself as the email address).
    """
    accounts = getattr(request.module, "ACCOUNTS", {})
    with oidc_provider.running(redirect_uri=f"http://127.0.0.1:{app_port}/auth/callback", accounts=accounts) as p:
        yield p


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
