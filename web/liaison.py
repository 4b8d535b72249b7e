"""The liaison officer's page: every action of the agency for a report (owner, due, status, RAG); reassign an action;
the comments that stand around the responses in the return.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.links import InvalidLink, LinkClaim
from models.rules.errors import ConflictError
from models.settings import Settings
from models.store.db import session_scope
from models.store.liaison_links import revoke_liaison_links
from models.store.return_comments import COMMENT_FIELDS, set_return_comments
from models.store.tables import ReturnComments
from notifications import allocation
from web import access, forms, views
from web.deps import LiaisonClaim, LiaisonPost, LinkPost, SettingsDep
from web.rendering import invalid_link, link_page, page

MAX_VERSION_DIGITS = 10


def _context(session: Session, claim: LinkClaim, today: date) -> dict[str, Any]:
    scope = access.agency_report_for(session, claim)
    rows = views.agency_rows(session, agency_id=scope.agency.id, report_id=scope.report.id, today=today)
    comments = session.get(ReturnComments, (scope.report.id, scope.agency.id))
    return {
        "agency": scope.agency,
        "report": scope.report,
        "rows": rows,
        "today": today,
        "values": {
            "action": "",
            "owner_email": "",
            "owner_name": "",
            **{name: (getattr(comments, name) or "") if comments else "" for name in COMMENT_FIELDS},
            "version": comments.version if comments else 0,
        },
        "saved": "",
    }


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.get("/l/{token}")
    async def liaison_page(request: Request, token: str, claim: LiaisonClaim, s: SettingsDep) -> Response:
        return await link_page(
            request, token, "liaison.html", _context, claim=claim, day=today(), secret_key=s.secret_key()
        )

    @app.post("/l/{token}/assign")
    async def liaison_assign(request: Request, token: str, posted: LiaisonPost, s: SettingsDep) -> Response:
        return await run_in_threadpool(_assign, request, token, posted, s, today())

    @app.post("/l/{token}/comments")
    async def liaison_comments(request: Request, token: str, posted: LiaisonPost, s: SettingsDep) -> Response:
        return await run_in_threadpool(_comments, request, token, posted, s, today())

    @app.post("/l/{token}/revoke")
    async def liaison_revoke(request: Request, token: str, posted: LiaisonPost, s: SettingsDep) -> Response:
        return await run_in_threadpool(revoke, request, token, posted, s)


def revoke(request: Request, token: str, posted: LinkPost, s: Settings) -> Response:
    """Withdraw every liaison link to this agency's page for this report (this one included), as its liaison officer."""
    claim = posted.claim
    try:
        with session_scope() as session:
            scope = access.agency_report_for(session, claim)
            who = views.liaison_actor(session, agency_id=scope.agency.id)
            revoke_liaison_links(session, report_id=scope.report.id, agency_id=scope.agency.id, by=who)
    except InvalidLink:
        return invalid_link(request)
    return page(request, "revoked.html", {"error_list": []}, secret_key=s.secret_key())


def _assign(request: Request, token: str, posted: LinkPost, s: Settings, day: date) -> Response:
    secret = s.secret_key()
    claim, form = posted.claim, posted.form
    values = {
        "action": forms.text(form, "action").strip(),
        "owner_email": forms.text(form, "owner_email").strip(),
        "owner_name": forms.text(form, "owner_name").strip(),
    }
    keys: list[str] = []
    try:
        with session_scope() as session:
            scope = access.agency_report_for(session, claim)
            by = views.liaison_actor(session, agency_id=scope.agency.id)
            errors, keys = views.reassign(
                session, agency_id=scope.agency.id, report_id=scope.report.id, values=values, by=by
            )
            if errors:
                session.rollback()
                context = _context(session, claim, day)
                context["values"].update(values)
                context["errors"] = errors
                return page(request, "liaison.html", context, secret_key=secret, link_token=token, status_code=400)
    except InvalidLink:
        return invalid_link(request)
    allocation.send(keys)  # the new owner is told at once, after the commit
    return RedirectResponse(f"/l/{token}?saved=owner#actions", status_code=303)


def _comments(request: Request, token: str, posted: LinkPost, s: Settings, day: date) -> Response:
    secret = s.secret_key()
    claim, form = posted.claim, posted.form
    typed = {name: forms.text(form, name).strip() for name in COMMENT_FIELDS}
    version_text = forms.text(form, "version").strip()
    version = int(version_text) if version_text.isdigit() and len(version_text) < MAX_VERSION_DIGITS else -1
    try:
        with session_scope() as session:
            scope = access.agency_report_for(session, claim)
            by = views.liaison_actor(session, agency_id=scope.agency.id)
            try:
                set_return_comments(
                    session,
                    report_id=scope.report.id,
                    agency_id=scope.agency.id,
                    by=by,
                    expected_version=version,
                    chief_officer=typed["chief_officer"],
                    portfolio_lead=typed["portfolio_lead"],
                    pcc=typed["pcc"],
                )
            except ConflictError:
                session.rollback()
                context = _context(session, claim, day)
                theirs = {name: context["values"][name] for name in COMMENT_FIELDS}
                context["values"].update(typed)  # what the person typed stays in the form; the version moves on
                context["theirs_comments"] = theirs
                context["errors"] = {
                    "version": "Someone else saved these comments while you had the page open. Nothing you typed "
                    "is lost: it is still in the form. Check the comments as they are now, then save again."
                }
                return page(request, "liaison.html", context, secret_key=secret, link_token=token, status_code=409)
    except InvalidLink:
        return invalid_link(request)
    return RedirectResponse(f"/l/{token}?saved=comments#comments", status_code=303)
