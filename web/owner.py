"""The owner's page: the action, its history and evidence; record a status, the response and evidence."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from models.links import InvalidLink, LinkClaim
from models.rules.errors import ActionedError, ConflictError, TransitionError
from models.rules.transitions import decide_move, parse_status
from models.rules.vocabulary import Actor, Status
from models.settings import Settings, load_settings
from models.store import evidence, tasks
from models.store.db import session_scope
from models.store.tables import Evidence
from notifications import signoff
from web import access, forms, owner_due, owner_tasks, views
from web.deps import LinkPost, OwnerClaim, OwnerPost, SettingsDep
from web.rendering import invalid_link, link_page, not_found, page, refused_form


def owner_context(session: Session, claim: LinkClaim, today: date) -> dict[str, Any]:
    setting = access.action_setting_for(session, claim)
    action = setting.action
    view = views.action_view(session, action, today, setting=setting)
    pending = action.status == Status.PENDING_SIGNOFF
    return {
        "view": view,
        "choices": views.owner_choices(action.status),
        "pending": pending,
        # who signs off is named only while the action waits for it: read then, not on every visit
        "signers": signoff.signers(session, agency_id=action.agency_id) if pending else [],
        "max_mb": evidence.MAX_BYTES // (1024 * 1024),
        "allowed_types": ", ".join(sorted(evidence.ALLOWED_TYPES)),
        "values": {"response": action.response or "", "note": "", "status": "", "version": action.version, "url": ""},
        **owner_tasks.tasks_context(session, action.id or 0, action.status),
        **owner_due.due_context(session, action),
    }


def _validate_update(
    action_status: str, action_response: str | None, values: dict[str, Any], tasks_not_done: int = 0
) -> dict[str, str]:
    """Field errors in an owner's update, checked before anything is written."""
    errors: dict[str, str] = {}
    status, response, note = values["status"], values["response"], values["note"]
    if not response.strip() and action_response:
        errors["response"] = "Enter the response: once given it cannot be left empty"
    if status:
        try:
            decide_move(
                Status(action_status),
                parse_status(status),
                actor=Actor.OWNER,
                note=note or None,
                response=response if response.strip() else action_response,
                tasks_not_done=tasks_not_done,
            )
        except TransitionError as exc:
            field, message = forms.field_error(exc, default="status")
            errors.setdefault(field, message)
    elif not errors and (not response.strip() or response == (action_response or "")) and not note.strip():
        errors["status"] = "Choose a status, or change the response"
    return errors


def register(app: FastAPI, today: Callable[[], date]) -> None:
    owner_tasks.register(app, today)
    owner_due.register(app, today)

    @app.get("/a/{token}")
    async def owner_page(request: Request, token: str, claim: OwnerClaim, s: SettingsDep) -> Response:
        return await link_page(
            request, token, "action.html", owner_context, claim=claim, day=today(), secret_key=s.secret_key()
        )

    @app.post("/a/{token}")
    async def owner_update(request: Request, token: str, posted: OwnerPost, s: SettingsDep) -> Response:
        return await run_in_threadpool(_owner_update, request, token, posted, s, today())

    @app.post("/a/{token}/evidence")
    async def owner_evidence(request: Request, token: str, posted: OwnerPost, s: SettingsDep) -> Response:
        file = forms.upload(posted.form, "file")
        data = await file.read(evidence.MAX_BYTES + 1) if file else b""
        return await run_in_threadpool(_owner_evidence, request, token, posted, data, s, today())

    @app.get("/a/{token}/evidence/{evidence_id}")
    def owner_evidence_file(request: Request, token: str, evidence_id: int) -> Response:
        return evidence_download(request, token, evidence_id, "owner")


def evidence_download(request: Request, token: str, evidence_id: int, role: str) -> Response:
    """A stored evidence file, offered as a download (never shown inline), checked against its checksum."""
    s = load_settings()
    if not forms.is_row_id(evidence_id):
        return not_found(request)
    try:
        claim = access.claim_for(s.secret_key(), token, role)
        with session_scope() as session:
            action = access.action_for(session, claim)
            assert action.id is not None
            row, path = evidence.evidence_file(session, action_id=action.id, evidence_id=evidence_id, home=s.home)
    except (InvalidLink, ActionedError):
        return invalid_link(request)
    return attachment(row, path)


def attachment(row: Evidence, path: Path) -> FileResponse:
    """An evidence file as a download, never shown inline (the owners', signers' and staff pages)."""
    return FileResponse(
        path,
        media_type=row.content_type or "application/octet-stream",
        filename=row.filename,
        content_disposition_type="attachment",
    )


def _owner_update(request: Request, token: str, posted: LinkPost, s: Settings, day: date) -> Response:
    secret = s.secret_key()
    claim, form = posted.claim, posted.form
    values: dict[str, Any] = {
        "status": forms.text(form, "status").strip(),
        "response": forms.text(form, "response"),
        "note": forms.text(form, "note"),
        "url": "",
    }
    try:
        version = int(forms.text(form, "version"))
    except ValueError:
        return refused_form(request)
    values["version"] = version
    keys: list[str] = []
    status_code = 200
    errors: dict[str, str] = {}
    conflict = False
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            assert action.id is not None
            assert action.owner_email is not None
            conflict = version != action.version
            left = tasks.tasks_not_done(session, action_id=action.id)
            errors = {} if conflict else _validate_update(action.status, action.response, values, left)
            if not errors and not conflict:
                response = values["response"]
                try:
                    _updated, messages = signoff.update(
                        session,
                        action_id=action.id,
                        by=action.owner_email,
                        actor=Actor.OWNER,
                        base_url=s.base_url,
                        secret_key=secret,
                        status=values["status"] or None,
                        response=response if response.strip() and response != (action.response or "") else None,
                        note=values["note"].strip() or None,
                        expected_version=version,
                    )
                except ConflictError:
                    conflict = True
                    session.rollback()
                except ActionedError as exc:
                    field, message = forms.field_error(exc, default="status")
                    errors[field] = message
                    session.rollback()
                else:
                    keys = [m.key for m in messages]
            if errors or conflict:
                context = owner_context(session, claim, day)
                current = context["values"]
                values["version"] = current["version"]
                context.update(values=values, errors=errors, conflict=conflict, saved="")
                if conflict:
                    context["theirs"] = {"response": current["response"]}
                    context["errors"] = {
                        "version": "Someone else saved this action while you had it open. Nothing you typed is lost: "
                        "it is still in the form. Check the action as it is now, then save again."
                    }
                status_code = 409 if conflict else 400
                return page(
                    request, "action.html", context, secret_key=secret, link_token=token, status_code=status_code
                )
    except InvalidLink:
        return invalid_link(request)
    signoff.send(keys)
    return RedirectResponse(f"/a/{token}?saved=1#top", status_code=303)


def file_too_large(request: Request, token: str, day: date) -> Response:
    """The owner's page again, the file refused before it was read (it is over the limit): what was saved stays."""
    s = load_settings()
    secret = s.secret_key()
    try:
        claim = access.claim_for(secret, token, "owner")
        with session_scope() as session:
            context = owner_context(session, claim, day)
    except InvalidLink:
        return invalid_link(request)
    limit = evidence.MAX_BYTES // (1024 * 1024)
    context.update(
        errors={"file": f"The file is larger than {limit} MB: choose a smaller one"}, evidence_errors=True, saved=""
    )
    return page(request, "action.html", context, secret_key=secret, link_token=token, status_code=413)


def _owner_evidence(request: Request, token: str, posted: LinkPost, data: bytes, s: Settings, day: date) -> Response:
    secret = s.secret_key()
    claim, form = posted.claim, posted.form
    file = forms.upload(form, "file")
    url = forms.text(form, "url").strip()
    errors: dict[str, str] = {}
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            assert action.id is not None
            assert action.owner_email is not None
            try:
                if action.status == Status.PENDING_SIGNOFF:  # the page says it is read-only until signed off: it is
                    errors["file"] = (
                        "This action is waiting for sign-off: ask the signer to send it back to add evidence"
                    )
                elif file is not None:
                    evidence.add_file(
                        session,
                        action_id=action.id,
                        filename=file.filename or "",
                        data=data,
                        by=action.owner_email,
                        home=s.home,
                    )
                if url and not errors:
                    evidence.add_link(session, action_id=action.id, url=url, by=action.owner_email)
                if file is None and not url and not errors:
                    errors["file"] = "Choose a file to upload, or enter a link to the evidence"
            except evidence.EvidenceError as exc:
                field, message = forms.field_error(exc, default="file")
                errors[field if field in ("file", "url") else "file"] = message
            if errors:
                session.rollback()
                context = owner_context(session, claim, day)
                context["values"]["url"] = url
                context.update(errors=errors, saved="", evidence_errors=True)
                return page(request, "action.html", context, secret_key=secret, link_token=token, status_code=400)
    except InvalidLink:
        return invalid_link(request)
    return RedirectResponse(f"/a/{token}?saved=evidence#evidence", status_code=303)
