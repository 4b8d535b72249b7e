"""The W3C HTML checker (the Nu Html Checker, vnu.jar from the npm package ``vnu-jar``, installed with the test
OpenID provider by ``npm ci --prefix tests/web/oidc``) finds no error on any staff page, in its normal and its error
states, as the server sends it to a signed-in liaison officer. Skips, saying why, without java or the jar.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models.store.db import session_scope
from models.store.tables import Contact
from tests.conftest import SmtpSink
from tests.web.conftest import CHROMIUM, DORSET, WILTSHIRE, sign_in, wiltshire_actions
from tests.web.oidc_provider import FOLDER

VNU = FOLDER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REGISTER = "/agencies/wiltshire-police/register"


def skip_reason() -> str | None:
    if shutil.which("java") is None:
        return "java is not installed (the W3C HTML checker, vnu.jar, runs on it)"
    if not VNU.exists():
        return "the W3C HTML checker is not installed (run: npm ci --prefix tests/web/oidc)"
    return None


pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install -y chromium)"
    ),
    pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or ""),
]


def check_html(files: list[Path]) -> dict[str, list[str]]:
    """vnu.jar over ``files`` in one run: file name -> its errors (line and message)."""
    java = shutil.which("java") or "java"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found: dict[str, list[str]] = {}
    for message in json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]:
        name = Path(message.get("url", "?")).name
        found.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return found


def test_every_staff_page_is_valid_html_in_normal_and_error_states(
    server: str, browser: Any, smtp: SmtpSink, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = wiltshire_actions()[0]
    action = f"/agencies/wiltshire-police/actions/{first}"
    with session_scope() as session:
        morgan = session.exec(select(Contact.id).where(Contact.email == "morgan.hale@wiltshire-police.example")).one()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "liaison")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")

    def get(path: str) -> tuple[int, str]:
        response = context.request.get(server + path, max_redirects=0)
        return response.status, response.text()

    def post(path: str, form: dict[str, str]) -> tuple[int, str]:
        response = context.request.post(server + path, form={"csrf_token": token, **form}, max_redirects=0)
        return response.status, response.text()

    add = {"kind": "add", "role": "owner", "name": "Kim Lee", "email": "kim.lee@wiltshire-police.example"}
    post(f"{action}/chase-now", {})  # so the delivery log has a row
    pages: dict[str, tuple[tuple[int, str], int]] = {
        "home": (get("/"), 200),
        "agency-report": (get(WILTSHIRE), 200),
        "agency-report-error": (post(f"{WILTSHIRE}/assign", {"action": "", "owner_email": ""}), 400),
        "action": (get(f"{action}?done=chase-now"), 200),
        "action-error": (post(f"{action}/assign", {"owner_email": "not an address"}), 400),
        "register": (get(REGISTER), 200),
        "register-error": (post(f"{REGISTER}/check", {**add, "role": "", "name": "", "email": "x"}), 400),
        "register-check": (post(f"{REGISTER}/check", add), 200),
        "register-check-changed": (post(f"{REGISTER}/save", {**add, "effect": "not what it does"}), 409),
        "register-replace": (get(f"{REGISTER}/{morgan}/replace"), 200),
        "register-replace-error": (
            post(f"{REGISTER}/check", {"kind": "replace", "contact": str(morgan), "name": "", "email": "y"}),
            400,
        ),
        "register-remove": (get(f"{REGISTER}/{morgan}/remove"), 200),
        "deliveries": (get("/agencies/wiltshire-police/deliveries"), 200),
        "deliveries-empty": (get("/agencies/wiltshire-police/deliveries?status=failed&kind=return"), 200),
        "return": (get(f"{WILTSHIRE}/return"), 200),
        "return-error": (post(f"{WILTSHIRE}/return/release", {}), 400),
        "refused-other-agency": (get(DORSET), 403),
        "not-found": (get("/agencies/wiltshire-police/actions/999999"), 404),
    }
    signed_out = context.request.post(server + "/signout", form={"csrf_token": token})
    pages["signed-out"] = ((signed_out.status, signed_out.text()), 200)
    forged = browser.new_context()
    refused = sign_in(forged.new_page(), server, WILTSHIRE, "forged")  # the ID token fails its checks
    pages["not-signed-in"] = ((200, refused.content()), 200)
    forged.close()
    monkeypatch.delenv("ACTIONED_OIDC_ISSUER")
    from fastapi.testclient import TestClient

    from web.app import create_app

    unconfigured = TestClient(create_app()).get("/")
    pages["not-configured"] = ((unconfigured.status_code, unconfigured.text), 503)
    files = []
    for name, ((status, html), expected) in pages.items():
        assert status == expected, f"{name}: {status}"
        path = tmp_path / f"{name}.html"
        path.write_text(html)
        files.append(path)
    errors = check_html(files)
    assert not errors, json.dumps(errors, indent=2)
    # the checker itself finds errors: a page it passes is not a page it did not read
    broken = tmp_path / "broken.html"
    broken.write_text(pages["home"][0][1].replace("</main>", "<div></main>", 1))
    assert check_html([broken])
    context.close()
