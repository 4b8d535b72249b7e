"""Security for pages reached by signed links: response headers, and CSRF tokens tied to the link.

CSRF uses a signed double submit: a random value in a cookie, and in every form an HMAC of that value and the page's
link token, keyed with the secret key. A forged form from another site can neither read the cookie nor compute the
HMAC, and a token taken from one action's page is worthless on another's.
"""

import hashlib
import hmac
import logging
import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("actioned.web")

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
    """Every response carries the headers, error pages too: a failure inside a page becomes the plain 500 page here
    (logged with its traceback), not Starlette's bare one, which would go out without them.

    A plain ASGI middleware: it only adds headers to the response's start message, where Starlette's
    ``BaseHTTPMiddleware`` (``app.middleware("http")``) ran every request through a task group and memory streams, which
    measured about a sixth of the owner's page's time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logger.exception("%s %s failed", scope["method"], scope["path"].split("/")[1])
            if started:  # part of the response is out: nothing can replace it
                raise
            from web.rendering import server_error  # here: rendering imports this module

            await server_error(Request(scope))(scope, receive, send_with_headers)


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
