"""Templates (autoescaped, strict) and the responses every page shares: a page with a CSRF token, the 403 page."""

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from models.links import LinkClaim
from models.store.db import session_scope
from notifications.render import folder_environment
from web import security

TEMPLATES = Path(__file__).parent / "templates"
R = TypeVar("R")
"""What a page's work in a session gives back (``in_session``)."""

_env = folder_environment(TEMPLATES, html_only=False)
"""The pages' templates, in the one environment every template folder gets (the messages' filters and rules)."""


ERROR_ORDER = ("version", "status", "decision", "note", "reason", "response", "file", "url", "owner_email", "action")


def ordered_errors(errors: Mapping[str, str]) -> list[tuple[str, str]]:
    """Errors in the order their fields appear on the page, for the error summary."""
    rank = {name: i for i, name in enumerate(ERROR_ORDER)}
    return sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank)))


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    secret_key: str,
    link_token: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A page; when it has forms (``link_token``), with the CSRF token they carry and the cookie it is checked with."""
    nonce, new = security.csrf_nonce(request)
    errors = dict(context.get("errors") or {})
    full = {
        "errors": errors,
        "error_list": ordered_errors(errors),
        "csrf_field": security.CSRF_FIELD,
        "csrf_token": security.csrf_token(secret_key, nonce, link_token) if link_token else "",
        "base": f"/{request.url.path.split('/')[1]}/{link_token}" if link_token else "",
        **{k: v for k, v in context.items() if k != "errors"},
    }
    response = HTMLResponse(_env.get_template(template).render(full), status_code=status_code)
    if link_token and new:
        security.set_csrf_cookie(response, nonce, secure=request.url.scheme == "https")
    return response


LinkContext = Callable[[Session, LinkClaim, date], dict[str, Any]]
"""What a link's page shows: read from the database for the link's verified claim, as of a day."""


async def in_session(work: Callable[[Session], R]) -> R:
    """A page's reads and its rendering in a session of its own, in one hand-off to the thread pool: a session given
    by a dependency (``web.deps.database``) takes a second hand-off to end, and a hand-off measured 0.3 ms in-process,
    as much as one of the page's queries. Committed when the work ends (a page that only reads commits nothing),
    rolled back if it fails.
    """

    def run() -> R:
        with session_scope() as session:
            return work(session)

    return await run_in_threadpool(run)


async def link_page(
    request: Request, token: str, template: str, read: LinkContext, *, claim: LinkClaim, day: date, secret_key: str
) -> HTMLResponse:
    """A signed link's page (an owner's, a signer's, a liaison officer's): what it shows read for the link's claim
    (``read``), then rendered with the CSRF token its forms carry; "saved" from the query, after a form. One
    hand-off (``in_session``): these are the pages most people open.
    """

    def read_and_render(session: Session) -> HTMLResponse:
        context = read(session, claim, day)
        context["saved"] = request.query_params.get("saved", "")
        return page(request, template, context, secret_key=secret_key, link_token=token)

    return await in_session(read_and_render)


def invalid_link(request: Request) -> HTMLResponse:
    """The one page every refused link gets: it says nothing about any action, and how to get a fresh link."""
    return HTMLResponse(_env.get_template("invalid.html").render({"error_list": []}), status_code=403)


def refused_form(request: Request) -> HTMLResponse:
    """A form without its CSRF token (or with a wrong one): refused, nothing changed."""
    return HTMLResponse(_env.get_template("refused.html").render({"error_list": []}), status_code=403)


def not_found(request: Request) -> HTMLResponse:
    return HTMLResponse(_env.get_template("not-found.html").render({"error_list": []}), status_code=404)


def staff_page(
    request: Request, template: str, context: Mapping[str, Any], *, staff: Any = None, status_code: int = 200
) -> HTMLResponse:
    """A staff page: the signed-in person in the header (with sign-out), and the session's CSRF token for forms."""
    session = request.scope.get("session") or {}
    errors = dict(context.get("errors") or {})
    full = {
        "errors": errors,
        "error_list": ordered_errors(errors),
        "csrf_field": security.CSRF_FIELD,
        "csrf_token": session.get("csrf", ""),
        "staff": staff,
        "path": request.url.path,
        **{k: v for k, v in context.items() if k != "errors"},
    }
    return HTMLResponse(_env.get_template(template).render(full), status_code=status_code)


def too_large(request: Request) -> HTMLResponse:
    """A form whose body is over the limit: refused before it was read, nothing changed."""
    return HTMLResponse(_env.get_template("too-large.html").render({"error_list": []}), status_code=413)


def server_error(request: Request) -> HTMLResponse:
    """Something went wrong on our side: nothing about it is shown, it is in the server's log."""
    return HTMLResponse(_env.get_template("error.html").render({"error_list": []}), status_code=500)
