"""Templates (autoescaped, strict) and the responses every page shares: a page with a CSRF token, the 403 page."""

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from web import security

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


def long_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "no date set"


_env.filters["long_date"] = long_date

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


def invalid_link(request: Request) -> HTMLResponse:
    """The one page every refused link gets: it says nothing about any action, and how to get a fresh link."""
    return HTMLResponse(_env.get_template("invalid.html").render({"error_list": []}), status_code=403)


def refused_form(request: Request) -> HTMLResponse:
    """A form without its CSRF token (or with a wrong one): refused, nothing changed."""
    return HTMLResponse(_env.get_template("refused.html").render({"error_list": []}), status_code=403)


def not_found(request: Request) -> HTMLResponse:
    return HTMLResponse(_env.get_template("not-found.html").render({"error_list": []}), status_code=404)


def too_large(request: Request) -> HTMLResponse:
    """A form whose body is over the limit: refused before it was read, nothing changed."""
    return HTMLResponse(_env.get_template("too-large.html").render({"error_list": []}), status_code=413)


def server_error(request: Request) -> HTMLResponse:
    """Something went wrong on our side: nothing about it is shown, it is in the server's log."""
    return HTMLResponse(_env.get_template("error.html").render({"error_list": []}), status_code=500)
