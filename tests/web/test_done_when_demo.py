"""Issue 13's "Done when", end to end on the demo's own data: ``actioned demo`` runs (its register, example contacts,
Wiltshire Police's published return approved and sent by the daily cycle on the return date, every message to the
outbox); then, with the staff file the demo suggests, the inspectorate signs in at a real OpenID provider, sees the
late agencies for "Safe to share?", downloads the collated return with Wiltshire Police's four responses in it, closes
one action and asks for more evidence on another; the owner of that action gets the note and a fresh link (in the
outbox, as every demo message), and the link opens the owner's page. The NPCC lead, signed in the same way, sees the
chief constables' returns only.
"""

import email
import email.policy
import re
import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.cli.demo import DEMO_STAFF_FILE, EXAMPLE_RETURN
from models.rules.vocabulary import Closure
from models.settings import Settings
from tests.web import oidc_provider
from tests.web.conftest import SIGNED_IN, serving, sign_in, wiltshire_actions
from tests.web.test_national_pages import decide, responses_of

PAGE = "/national/safe-to-share"
AS_OF = date(2021, 6, 24)  # a week after the return date the demo's cycle ran on

pytestmark = SIGNED_IN
ACCOUNTS: dict[str, dict[str, Any]] = {}
"""As the demo's hint says: any login name at the provider, which becomes the person's email."""


@pytest.fixture
def demo(
    home: Settings,
    cli,
    provider: oidc_provider.Provider,
    app_port: int,
    app_listener: socket.socket,
    monkeypatch: pytest.MonkeyPatch,
):
    result = cli("demo", timeout=900)
    assert result.code == 0, result.stderr[-3000:]
    assert "In the outbox, addressed to the inspectorate: 1" in result.stdout
    home.staff_file.write_text(DEMO_STAFF_FILE.replace("\\n", "\n"), encoding="utf-8")
    base = f"http://127.0.0.1:{app_port}"
    for name, value in {
        "ACTIONED_BASE_URL": base,
        "ACTIONED_OIDC_ISSUER": provider.issuer,
        "ACTIONED_OIDC_CLIENT_ID": provider.client_id,
        "ACTIONED_OIDC_CLIENT_SECRET": provider.client_secret,
        "ACTIONED_COOKIE_SECURE": "false",
    }.items():
        monkeypatch.setenv(name, value)
    from web.app import create_app

    with serving(create_app(today=lambda: AS_OF), app_listener) as served:
        yield served


def outbox_messages(home: Settings) -> dict[str, email.message.EmailMessage]:
    return {
        p.name: email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(home.outbox.glob("*.eml"))
    }


def test_done_when_on_the_demo_data(demo: str, home: Settings, browser: Any) -> None:
    published = yaml.safe_load(EXAMPLE_RETURN.read_text(encoding="utf-8"))["responses"]
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, demo, "/", "inspector@hmicfrs.example.org")
    page.click("#national ~ ul a")  # the home page's link to the national view
    page.wait_for_load_state()
    assert page.url == demo + PAGE

    late = page.locator("#late ~ table").first.inner_text()
    assert "Avon and Somerset Constabulary" in late
    assert "Wiltshire Police" not in late  # its return went on the return date
    assert "5" in late  # working days late, a week after the return date

    with page.expect_download() as download:
        page.click("text=Download the Word document")
    wiltshire = responses_of("Wiltshire Police", Path(download.value.path()).read_bytes())
    assert wiltshire == list(published.values())
    assert len(wiltshire) == 4

    first, second = wiltshire_actions()[:2]
    before = set(outbox_messages(home))
    decide(page, first, Closure.CLOSED, "Procedure change seen on the revisit.", "Force policy DA-12 v3")
    assert "closed by the inspectorate" in page.locator(".banner").inner_text()
    decide(page, second, Closure.FURTHER_EVIDENCE, "Please send the safe reporting pathway itself.")
    assert "has been sent your note with a fresh link" in page.locator(".banner").inner_text()

    new = {name: m for name, m in outbox_messages(home).items() if name not in before}
    (notice,) = [m for m in new.values() if "Further evidence needed" in m["Subject"]]
    assert notice["To"] == "sam.carter@wiltshire-police.example"
    body = notice.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Please send the safe reporting pathway itself." in text
    (url,) = re.findall(r"http://\S+/a/\S+", text)
    assert context.new_page().goto(url).status == 200  # the fresh link opens the owner's page
    context.close()

    # The NPCC lead of the demo's staff file: the chief constables' returns, not the PCCs'.
    lead = browser.new_context()
    page = lead.new_page()
    sign_in(page, demo, PAGE, "lead@npcc.example.org")
    standings = page.locator("#standings").inner_text()
    assert "Wiltshire Police" in standings
    assert "Police and Crime Commissioner for Wiltshire" not in standings
    assert page.locator("#decide").count() == 0
    lead.close()
