"""Helpers for the pages' tests: a client on the real app, links to a Wiltshire Police action, the database's view;
for the staff pages, a real OpenID provider with test accounts, the app served for it, signing in in Chromium, and the
checks every page gets (axe-core at 375 and 1280 px, no sideways scrolling, screenshots).
"""

import re
import socket
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


def listening_socket() -> socket.socket:
    """A socket listening on 127.0.0.1 at a port the system picks, for a test server to serve on (``serving``).

    Held, not just chosen: a port found free and let go until a server binds it can be taken in between by any
    outgoing connection on the machine (the free ports are the ephemeral ones), and the server then fails to start
    ("address already in use"; seen once, ten tests of one module lost).
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


@contextmanager
def serving(app: Any, listener: socket.socket) -> Iterator[str]:
    """``app`` on uvicorn in a thread, on ``listener`` (``listening_socket``), until the block ends. The server gets a
    duplicate of the socket and closes only that, so the port stays held for the next server.
    """
    import uvicorn

    port = int(listener.getsockname()[1])
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [listener.dup()]}, daemon=True)
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
def app_listener() -> Iterator[socket.socket]:
    """The module's app's socket, held for the whole module: each test's server serves on it in turn."""
    with listening_socket() as sock:
        yield sock


@pytest.fixture(scope="module")
def app_port(app_listener: socket.socket) -> int:
    """The port the module's app is served on (the provider sends people back to it)."""
    return int(app_listener.getsockname()[1])


@pytest.fixture(scope="module")
def provider(app_port: int, request: pytest.FixtureRequest) -> Iterator[oidc_provider.Provider]:
    """A real OpenID provider on 127.0.0.1 with the module's ``ACCOUNTS`` (login -> claims), or the staff tests'
    ``ACCOUNTS`` below; a login not there signs in with itself as the email address.
    """
    accounts = getattr(request.module, "ACCOUNTS", ACCOUNTS)
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


def refused_form(page: Any) -> None:
    """Wait until the page a form's button opened is the form again with its errors ("Error: ..." in its title).

    A click does not wait for the page it opens to load: read at once, the title (or the content) can still be the
    last page's, or empty while the new one loads.
    """
    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(r"^Error:"))


def shows(page: Any, text: str) -> None:
    """Wait until the page shows ``text`` (after a click that opens a page: see ``refused_form``)."""
    from playwright.sync_api import expect

    expect(page.locator("body")).to_contain_text(text)


# --- staff sign-in: the provider, the server, signing in, the checks every page gets -------------------------------

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web" / "staff"
TENANT = "3f0c9b2e-0000-4000-8000-00000000000a"
WILTSHIRE = "/agencies/wiltshire-police/reports/safe-to-share"
DORSET = "/agencies/dorset-police/reports/safe-to-share"

ACCOUNTS: dict[str, dict[str, Any]] = {
    "liaison": {"email": "liaison@wiltshire.example.org", "name": "Lee Liaison", "tid": TENANT},
    "admin": {
        "email": "chris@coordinators.example.org",
        "name": "Chris Admin",
        "groups": ["actioned-admins"],
        "tid": TENANT,
    },
    "nobody": {"email": "nobody@example.org", "name": "No Role", "tid": TENANT},
    "wrong-audience": {"email": "liaison@wiltshire.example.org", "tid": TENANT, "misbehave": "wrong-audience"},
    "expired": {"email": "liaison@wiltshire.example.org", "tid": TENANT, "misbehave": "expired"},
    "forged": {"email": "liaison@wiltshire.example.org", "tid": TENANT, "misbehave": "forged"},
    "other-tenant": {"email": "liaison@wiltshire.example.org", "tid": "99999999-0000-4000-8000-000000000000"},
    "dorset-liaison": {"email": "liaison@dorset.example.org", "name": "Dee Dorset", "tid": TENANT},
}

STAFF_FILE = """\
administrators:
  groups: [actioned-admins]
liaison_officers:
  wiltshire-police:
    emails: [Liaison@Wiltshire.example.org]
  dorset-police:
    emails: [liaison@dorset.example.org]
"""


@pytest.fixture
def app_today() -> date:
    return TODAY


@pytest.fixture
def server(
    assigned: Settings,
    provider: oidc_provider.Provider,
    app_listener: socket.socket,
    app_today: date,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    staff_file = tmp_path / "staff.yaml"
    staff_file.write_text(STAFF_FILE)
    with serving_staff(provider, app_listener, app_today, staff_file, monkeypatch) as base:
        yield base


@contextmanager
def serving_staff(
    provider: oidc_provider.Provider,
    listener: socket.socket,
    today: date,
    staff_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """The whole app served on ``listener`` as of ``today``, signing staff in at ``provider``, roles from ``staff_file``."""
    from web.app import create_app

    for name, value in {
        "ACTIONED_BASE_URL": f"http://127.0.0.1:{listener.getsockname()[1]}",
        "ACTIONED_OIDC_ISSUER": provider.issuer,
        "ACTIONED_OIDC_CLIENT_ID": provider.client_id,
        "ACTIONED_OIDC_CLIENT_SECRET": provider.client_secret,
        "ACTIONED_OIDC_TENANTS": TENANT,
        "ACTIONED_STAFF_FILE": str(staff_file),
        "ACTIONED_COOKIE_SECURE": "false",
    }.items():
        monkeypatch.setenv(name, value)
    with serving(create_app(today=lambda: today), listener) as served:
        yield served


def sign_in(page: Any, base: str, path: str, login: str) -> Any:
    """Open ``path``; the provider's login page comes up; sign in as ``login``; return the page's response."""
    page.goto(base + path)
    assert "/interaction/" in page.url, page.url
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    with page.expect_navigation(url=lambda u: u.startswith(base)):
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def check(page: Any, name: str) -> None:
    """Screenshots at 375 and 1280 px, no horizontal scrolling at 375 px, and axe-core finds no violation."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if width == 375:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 375, f"{name}: scrolls sideways at 375 px ({scroll} px wide)"
        result = Axe().run(page)
        assert result.violations_count == 0, f"{name} at {width} px: {result.generate_report()}"
