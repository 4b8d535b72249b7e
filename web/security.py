"""Security for pages reached by signed links: response headers, and CSRF tokens tied to the link.

CSRF uses a signed double submit: a random value in a cookie, and in every form an HMAC of that value and the page's
link token, keyed with the secret key. A forged form from another site can neither read the cookie nor compute the
HMAC, and a token taken from one action's page is worthless on another's.
"""

import hashlib
import hmac
import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "actioned_csrf"
CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""No scripts at all, nothing from anywhere else: the pages work offline and injected markup cannot run."""

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cache-Control": "no-store",
}
"""``no-referrer`` matters most: the link token is in the URL and must not leak to a site an owner links to."""


class SecurityHeaders:
    """``HEADERS`` on every HTTP response that does not set them itself.

    A plain ASGI middleware: Starlette's ``@app.middleware("http")`` (``BaseHTTPMiddleware``) runs each request through
    a task group and memory streams, which cost the owner's page about a tenth of its time (bench/page.py).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_nonce(request: Request) -> tuple[str, bool]:
    """The browser's CSRF cookie value, and whether it is new (and must be set on the response)."""
    current = request.cookies.get(CSRF_COOKIE, "")
    if len(current) >= 32:
        return current, False
    return secrets.token_urlsafe(32), True


def csrf_token(secret_key: str, nonce: str, link_token: str) -> str:
    message = f"csrf|{nonce}|{link_token}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def csrf_ok(secret_key: str, request: Request, link_token: str, submitted: object) -> bool:
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if len(nonce) < 32 or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(csrf_token(secret_key, nonce, link_token), submitted)


def set_csrf_cookie(response: Response, nonce: str, *, secure: bool) -> None:
    response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=secure, path="/")
