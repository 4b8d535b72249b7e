"""The staff pages without a browser: not configured, and the sign-in redirect (PKCE) when configured."""

from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from models.settings import Settings
from tests.web import oidc_provider
from tests.web.conftest import TODAY


def test_without_the_variables_the_staff_pages_say_sign_in_is_not_configured(assigned: Settings) -> None:
    from web.app import create_app

    client = TestClient(create_app(today=lambda: TODAY))
    for path in (
        "/",
        "/agencies/wiltshire-police/reports/safe-to-share",
        "/signin",
        "/agencies/wiltshire-police/actions/1",
        "/agencies/wiltshire-police/register",
        "/agencies/wiltshire-police/deliveries",
    ):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 503
        assert "Sign-in is not configured" in response.text
        assert "Wiltshire" not in response.text


def test_a_visit_without_a_session_goes_to_the_issuer_with_pkce(
    assigned: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from web.app import create_app

    base = "http://127.0.0.1:8123"
    with oidc_provider.running(redirect_uri=f"{base}/auth/callback", accounts={}) as provider:
        for name, value in {
            "ACTIONED_BASE_URL": base,
            "ACTIONED_OIDC_ISSUER": provider.issuer,
            "ACTIONED_OIDC_CLIENT_ID": provider.client_id,
            "ACTIONED_OIDC_CLIENT_SECRET": provider.client_secret,
        }.items():
            monkeypatch.setenv(name, value)
        client = TestClient(create_app(today=lambda: TODAY), base_url="https://testserver")
        response = client.get("/agencies/wiltshire-police/reports/safe-to-share", follow_redirects=False)
    assert response.status_code == 302
    target = urlsplit(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}" == provider.issuer
    query = parse_qs(target.query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["redirect_uri"] == [f"{base}/auth/callback"]
    assert query["client_id"] == [provider.client_id]
    assert "nonce" in query
    assert "state" in query
    cookie = response.headers["set-cookie"].lower()
    assert "actioned_session=" in cookie
    for attribute in ("httponly", "secure", "samesite=lax"):
        assert attribute in cookie


def test_the_return_pages_errors_name_no_command() -> None:
    from web.staff_return import page_message

    sent = "wiltshire-police's progress return on safe-to-share (round 1) has already been sent: use `actioned returns resubmit` to start a new round"
    assert page_message(sent).endswith("has already been sent: start a new round with the button below")
    early = "x's return on y has not been sent yet: there is nothing to resubmit (`actioned returns submit` sends it when it is due)"
    assert "actioned" not in page_message(early)
    assert page_message(early).startswith("X's return")
