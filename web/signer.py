"""The signer's page: the action as the owner left it; approve it (complete) or send it back with a reason."""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from models.links import InvalidLink, LinkClaim
from models.rules.errors import ActionedError, ConflictError
from models.rules.vocabulary import ContactRole, Status
from models.settings import Settings
from models.store import due_dates
from models.store.db import session_scope
from notifications import signoff
from web import access, forms, signer_due, views
from web.deps import LinkPost, SettingsDep, SignerClaim, SignerPost
from web.owner import evidence_download
from web.rendering import invalid_link, link_page, page, refused_form


def signer_context(session: Session, claim: LinkClaim, today: date) -> dict[str, Any]:
    setting = access.action_setting_for(session, claim)
    action = setting.action
    return {
        "view": views.action_view(session, action, today, setting=setting),
        "pending": action.status == Status.PENDING_SIGNOFF,
        "closing": Status(action.closing or Status.COMPLETE).label.lower(),
        "values": {"decision": "", "reason": "", "version": action.version},
        "due_waiting": due_dates.waiting_change(session, action_id=action.id or 0),
        "due_reason": "",
        "saved": "",
    }


def register(app: FastAPI, today: Callable[[], date]) -> None:
    signer_due.register(app, today)

    @app.get("/s/{token}")
    async def signer_page(request: Request, token: str, claim: SignerClaim, s: SettingsDep) -> Response:
        return await link_page(
            request, token, "signer.html", signer_context, claim=claim, day=today(), secret_key=s.secret_key()
        )

    @app.post("/s/{token}")
    async def signer_decide(request: Request, token: str, posted: SignerPost, s: SettingsDep) -> Response:
        return await run_in_threadpool(_decide, request, token, posted, s, today())

    @app.get("/s/{token}/evidence/{evidence_id}")
    def signer_evidence_file(request: Request, token: str, evidence_id: int) -> Response:
        return evidence_download(request, token, evidence_id, "signer")


def _decide(request: Request, token: str, posted: LinkPost, s: Settings, day: date) -> Response:
    secret = s.secret_key()
    claim, form = posted.claim, posted.form
    values: dict[str, Any] = {"decision": forms.text(form, "decision").strip(), "reason": forms.text(form, "reason")}
    try:
        values["version"] = int(forms.text(form, "version"))
    except ValueError:
        return refused_form(request)
    errors: dict[str, str] = {}
    keys: list[str] = []
    conflict = False
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            assert action.id is not None
            by = views.actor_for(
                session, agency_id=action.agency_id, role=ContactRole.PORTFOLIO_LEAD, fallback="signer"
            )
            try:
                keys = signoff.sign_off(
                    session,
                    action_id=action.id,
                    decision=values["decision"],
                    reason=values["reason"],
                    by=by,
                    expected_version=values["version"],
                    base_url=s.base_url,
                    secret_key=secret,
                )
            except ConflictError:
                conflict = True
            except ActionedError as exc:
                field, message = forms.field_error(exc, default="decision", rename={"note": "reason"})
                errors[field] = message
            if errors or conflict:
                session.rollback()
                context = signer_context(session, claim, day)
                values["version"] = context["values"]["version"]
                if conflict:
                    errors = {
                        "version": "Someone else changed this action while you had it open. Check it as it is now, then decide again."
                    }
                context.update(values=values, errors=errors)
                return page(
                    request,
                    "signer.html",
                    context,
                    secret_key=secret,
                    link_token=token,
                    status_code=409 if conflict else 400,
                )
            context = {"view": views.action_view(session, action, day), "decision": values["decision"]}
    except InvalidLink:
        return invalid_link(request)
    signoff.send(keys)
    return page(request, "signed.html", context, secret_key=secret)
