"""Request bodies limited before they are read, and the link checked before that.

A pure ASGI middleware, so nothing of a body is read (or spooled to disk) before it has decided: a posted form's link
is verified first (a forged or expired link gets the invalid-link page and its body is never read); then a body
whose Content-Length is over the limit is refused at once; a body without one (chunked) is counted as it streams and
refused the moment it passes the limit. What was read is then handed on to the page unchanged.
"""

from collections.abc import Callable
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.links import InvalidLink
from models.settings import load_settings
from models.store import evidence
from web import access
from web.owner import file_too_large
from web.rendering import invalid_link, too_large

FORM_LIMIT = 256 * 1024
"""A page's text form: far more than any response or comment (a long response is about 10 kB)."""
UPLOAD_LIMIT = evidence.MAX_BYTES + 64 * 1024
"""An evidence upload: the largest file allowed, and room for the form's other fields and the multipart framing."""
ROLE_OF = {"a": "owner", "s": "signer", "l": "liaison"}
UPLOAD_PATHS = ("/admin/import",)
"""Other forms that carry a file under the upload limit: a report's document to import."""
MIN_LINK_PARTS = 3  # "", prefix, token


class BodyLimit:
    def __init__(self, app: ASGIApp, *, today: Callable[[], date]) -> None:
        self.app = app
        self.today = today

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        parts = scope["path"].split("/")
        role = ROLE_OF.get(parts[1]) if len(parts) >= MIN_LINK_PARTS else None
        if role is not None:
            try:
                access.claim_for(load_settings().secret_key(), parts[2], role)
            except InvalidLink:
                await invalid_link(request)(scope, receive, send)
                return
        upload = scope["path"].endswith("/evidence") or scope["path"] in UPLOAD_PATHS
        limit = UPLOAD_LIMIT if upload else FORM_LIMIT
        declared = request.headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            await self._refuse(request, parts, upload=upload)(scope, receive, send)
            return
        messages: list[Message] = []
        total = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            total += len(message.get("body", b""))
            if total > limit:
                await self._refuse(request, parts, upload=upload)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    def _refuse(self, request: Request, parts: list[str], *, upload: bool) -> Response:
        if upload and parts[1] == "a":
            return file_too_large(request, parts[2], self.today())
        return too_large(request)
