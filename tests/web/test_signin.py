"""Staff sign-in end to end: Chromium (Playwright) signs in at a real OpenID provider (oidc-provider on Node.js,
127.0.0.1) through the authorization code flow with PKCE, and comes back to the page it asked for. A wrong audience,
a forged or an expired ID token, another Entra tenant, a person with no role, and a liaison officer opening another
agency's page are each refused with nothing shown. Pages are checked with axe-core at 375 and 1280 px; screenshots
go to test-artifacts/web/staff/.
"""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SmtpSink
from tests.web import oidc_provider
from tests.web.conftest import DORSET, SIGNED_IN, WILTSHIRE, check, shows, sign_in

pytestmark = SIGNED_IN


def test_liaison_officer_signs_in_and_comes_back_to_the_page_asked_for(
    server: str, browser: Any, provider: oidc_provider.Provider
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "liaison")
    assert page.url == server + WILTSHIRE
    assert page.locator("h1").inner_text() == "Wiltshire Police"
    assert "Lee Liaison" in page.locator("header").inner_text()
    cookie = next(c for c in context.cookies() if c["name"] == "actioned_session")
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Lax"
    check(page, "agency-report")

    page.goto(server + "/")
    assert "Wiltshire Police: " in page.locator("main").inner_text()
    assert "Dorset" not in page.content()
    check(page, "home")

    # Another agency's page: refused, nothing of it shown.
    response = page.goto(server + DORSET)
    assert response.status == 403
    assert "Dorset" not in page.content()
    check(page, "refused-other-agency")
    # ... nor can its forms be posted to.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    posted = context.request.post(
        server + DORSET + "/comments", form={"csrf_token": token, "chief_officer": "not mine"}, max_redirects=0
    )
    assert posted.status == 403

    # Sign out: the session is gone; the next visit goes through the provider again (which still knows the person:
    # signing out of Actioned is not signing out of the organisation's account).
    page.goto(server + WILTSHIRE)
    page.click("text=Sign out")
    assert page.locator("h1").inner_text() == "You have signed out"
    assert not [c for c in context.cookies() if c["name"] == "actioned_session"]
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(server + WILTSHIRE)
    assert any(u.startswith(provider.issuer + "/auth?") and "code_challenge_method=S256" in u for u in seen), seen
    assert page.url == server + WILTSHIRE
    context.close()


def test_a_form_without_the_sessions_csrf_token_is_refused(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "liaison")
    posted = context.request.post(
        server + WILTSHIRE + "/comments", form={"csrf_token": "forged", "chief_officer": "forged"}, max_redirects=0
    )
    assert posted.status == 403
    page.goto(server + WILTSHIRE)
    assert "forged" not in page.content()
    context.close()


@pytest.mark.parametrize("login", ["wrong-audience", "expired", "forged", "other-tenant"])
def test_a_bad_id_token_or_another_tenant_signs_nobody_in(server: str, browser: Any, login: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, login)
    assert page.locator("h1").inner_text() == "You could not be signed in"
    assert "Wiltshire" not in page.content()
    if login == "forged":
        check(page, "not-signed-in")
    assert not [c for c in context.cookies() if c["name"] == "actioned_session"]
    # Still not signed in: asking again goes back through the provider and is refused again.
    page.goto(server + WILTSHIRE)
    assert page.url.startswith(server + "/auth/callback")
    assert page.locator("h1").inner_text() == "You could not be signed in"
    context.close()


def test_a_person_with_no_role_is_shown_nothing(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "nobody")
    assert page.locator("h1").inner_text() == "You do not have access to this page"
    assert "Wiltshire" not in page.content()
    check(page, "no-role")
    context.close()


def test_a_staff_file_with_a_mistake_shows_nobody_anything_and_says_which_line(
    server: str, browser: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken-staff.yaml"
    broken.write_text(
        "administrators:\n  groups: [actioned-admins]\nnational_coordinators:\n  emails: [a@example.org]\n"
    )
    monkeypatch.setenv("ACTIONED_STAFF_FILE", str(broken))
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, WILTSHIRE, "admin")
    assert page.locator("h1").inner_text() == "The staff pages are unavailable"
    problem = page.locator("code").inner_text()
    assert problem.startswith("broken-staff.yaml line 4: national_coordinators[0]")
    assert str(tmp_path) not in page.content()  # the file's name, not where it lives on the server
    assert "Wiltshire" not in page.content()
    check(page, "staff-file-broken")
    context.close()


def test_an_administrator_sees_every_agency(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "admin")
    main = page.locator("main").inner_text()
    assert "Wiltshire Police: " in main
    assert "Dorset Police: " in main
    page.goto(server + DORSET)
    assert page.locator("h1").inner_text() == "Dorset Police"
    context.close()


@pytest.mark.parametrize("app_today", [date(2021, 6, 17)])
def test_a_liaison_officer_fixes_an_owner_previews_approves_and_sees_the_return_accepted(
    server: str, browser: Any, smtp: SmtpSink, prefect_harness: None
) -> None:
    from flows.submit_returns import submit_returns

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "liaison")
    page.click("text=Wiltshire Police: Safe to share?")
    assert page.url == server + WILTSHIRE

    # An owner fixed: first a mistake (no address), then the new owner.
    page.select_option("#action", index=1)
    page.click("button:has-text('Reassign')")
    assert page.locator(".error-summary").is_visible()
    check(page, "agency-report-error")
    page.select_option("#action", index=1)
    page.fill("#owner_email", "new.owner@wiltshire.example.org")
    page.click("button:has-text('Reassign')")
    assert "The action has a new owner" in page.locator(".banner").inner_text()
    assert "new.owner@wiltshire.example.org" in page.locator("#actions").inner_text()

    # The return: what is missing, the preview as it will be sent, the decisions.
    page.click("text=The progress return: check, preview and approve it")
    assert page.locator("h1").inner_text() == "Wiltshire Police: the progress return"
    check(page, "return")
    page.click("text=Open the return exactly as it will be sent")
    shows(page, "Wiltshire Police")
    page.go_back()
    page.click("button:has-text('Send it as it stands')")
    assert "as it stands" in page.locator(".banner").inner_text()
    page.click("button:has-text('Approve the return')")
    assert "approved" in page.locator(".banner").inner_text()
    summary = page.locator(".summary").inner_text()
    assert "by liaison@wiltshire.example.org" in summary

    # The daily cycle sends it; the page shows what went, to whom, and the server's answer.
    submit_returns(date(2021, 6, 17))
    page.reload()
    sent = page.locator(".summary").inner_text()
    assert "to policesupercomplaint@hmicfrs.gov.uk" in sent
    assert [m["To"] for m in smtp.messages].count("policesupercomplaint@hmicfrs.gov.uk") >= 1
    check(page, "return-sent")
    context.close()
