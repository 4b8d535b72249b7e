"""When the organisation's sign-in service cannot be reached, a member of staff gets the "Sign-in is unavailable" page
(503), not the server's error page: when the issuer does not answer at all, and when it answers the first step but its
token endpoint does not answer the second.

The issuer here is a real HTTP server on 127.0.0.1 that publishes OpenID metadata whose token endpoint is a port
nobody listens on; the issuer that does not answer is another such port. Each such port is held by a socket bound and
never listening, so a connection to it is refused and nothing else can take it during the test.
"""

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from httpx2 import Response
from starlette.testclient import TestClient

from models.settings import Settings


@pytest.fixture
def closed_port_url() -> Iterator[str]:
    """An address on 127.0.0.1 that refuses connections: bound, never listening, held until the test ends."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


@pytest.fixture
def half_issuer(closed_port_url: str) -> Iterator[str]:
    """An issuer that publishes its metadata, and whose token and key endpoints do not answer."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    gone = closed_port_url
    metadata = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/auth",
        "token_endpoint": f"{gone}/token",
        "jwks_uri": f"{gone}/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/.well-known/openid-configuration":
                self.send_error(404)
                return
            body = json.dumps(metadata).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()


def staff_client(monkeypatch: pytest.MonkeyPatch, issuer: str) -> TestClient:
    for name, value in {
        "ACTIONED_OIDC_ISSUER": issuer,
        "ACTIONED_OIDC_CLIENT_ID": "actioned-test",
        "ACTIONED_OIDC_CLIENT_SECRET": "not-a-real-secret",
        "ACTIONED_COOKIE_SECURE": "false",
    }.items():
        monkeypatch.setenv(name, value)
    from web.app import create_app

    return TestClient(create_app(), follow_redirects=False)


def assert_unavailable(response: Response) -> None:
    assert response.status_code == 503, (response.status_code, response.text[:300])
    assert '<h1 class="heading-l">Sign-in is unavailable</h1>' in response.text
    assert "could not be reached" in response.text


def test_an_issuer_that_does_not_answer_shows_sign_in_unavailable(
    registered: Settings, monkeypatch: pytest.MonkeyPatch, closed_port_url: str
) -> None:
    client = staff_client(monkeypatch, closed_port_url)
    assert_unavailable(client.get("/signin"))
    assert_unavailable(client.get("/agencies/wiltshire-police/reports/safe-to-share"))


def test_a_token_endpoint_that_does_not_answer_shows_sign_in_unavailable(
    registered: Settings, monkeypatch: pytest.MonkeyPatch, half_issuer: str
) -> None:
    client = staff_client(monkeypatch, half_issuer)
    to_issuer = client.get("/signin")
    assert to_issuer.status_code in (302, 303, 307), to_issuer.status_code
    where = urlsplit(to_issuer.headers["location"])
    assert f"{where.scheme}://{where.netloc}" == half_issuer
    state = parse_qs(where.query)["state"][0]
    back = client.get("/auth/callback", params={"code": "a-code-the-issuer-gave", "state": state})
    assert_unavailable(back)
