"""An action's page for staff (the agency's liaison officers, administrators): owner, due date (and the original date
if it moved), status, rating, the response, evidence and history; reassign; send the owner a fresh link; chase now.

A link is never shown here: "send a fresh link" and "chase now" are messages to the owner, decided, logged and sent
like every other (``notifications.owner_messages``), once a day each, whatever the number of clicks. The same
functions serve ``actioned action send-link`` and ``actioned action chase``.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.rules.errors import ActionedError
from models.rules.transitions import can_reassign
from models.rules.vocabulary import Status
from models.settings import load_settings
from models.store import evidence
from models.store.action_page import action_in_setting
from models.store.tables import Action
from notifications import allocation, owner_messages
from web import forms, views
from web.deps import AgencyDep, DatabaseDep, StaffDep, StaffForm
from web.owner import attachment
from web.rendering import in_session, not_found, staff_page

DONE = {
    "owner": "The action has a new owner. They have been sent their link; the old owner's link no longer works.",
    owner_messages.FRESH_LINK: "A fresh link has been sent to the owner.",
    owner_messages.CHASE: "A chaser has been sent to the owner.",
}
ALREADY = {
    owner_messages.FRESH_LINK: "A fresh link was already sent to the owner today: nothing more was sent.",
    owner_messages.CHASE: "The owner was already chased today: nothing more was sent.",
}


def action_path(agency_id: str, action_id: int) -> str:
    return f"/agencies/{agency_id}/actions/{action_id}"


def _action(session: Session, agency_id: str, action_id: int) -> Action | None:
    if not forms.is_row_id(action_id):
        return None
    action = session.get(Action, action_id)
    return action if action is not None and action.agency_id == agency_id else None


def _context(session: Session, action: Action, today: date) -> dict[str, Any]:
    assert action.id is not None
    setting = action_in_setting(session, action_id=action.id)  # what it belongs to in one query, not three
    view = views.action_view(session, action, today, setting=setting)
    row = views.AgencyRow(
        action=action,
        number=view.recommendation.number,
        text=view.recommendation.text,
        status_label=view.status_label,
        rag=view.rag,
        reassignable=can_reassign(Status(action.status)),
    )
    sent = owner_messages.sent_today(
        session, action=action, whats=(owner_messages.FRESH_LINK, owner_messages.CHASE), today=today
    )
    return {
        "view": view,
        "agency": view.agency,
        "report": view.report,
        "rows": [row],
        "fixed_action": row,
        "sent": sent,
        "may_message": bool(action.owner_email) and row.reassignable,
        "base": action_path(action.agency_id, action.id),
        "report_path": f"/agencies/{action.agency_id}/reports/{action.report_id}",
        "values": {"action": str(action.id), "owner_email": "", "owner_name": ""},
        "today": today,
        "done": "",
    }


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.get("/agencies/{agency_id}/actions/{action_id}")
    async def staff_action(request: Request, agency_id: AgencyDep, action_id: int, staff: StaffDep) -> Response:
        def show(session: Session) -> Response:
            action = _action(session, agency_id, action_id)
            if action is None:
                return not_found(request)
            context = _context(session, action, today())
            done = request.query_params.get("done", "")
            context["done"] = (ALREADY if request.query_params.get("again") else DONE).get(done, "")
            return staff_page(request, "staff/action.html", context, staff=staff)

        return await in_session(show)

    @app.get("/agencies/{agency_id}/actions/{action_id}/evidence/{evidence_id}")
    def staff_evidence(
        request: Request, agency_id: AgencyDep, action_id: int, evidence_id: int, staff: StaffDep, session: DatabaseDep
    ) -> Response:
        action = _action(session, agency_id, action_id)
        if action is None or action.id is None or not forms.is_row_id(evidence_id):
            return not_found(request)
        try:
            row, path = evidence.evidence_file(
                session, action_id=action.id, evidence_id=evidence_id, home=load_settings().home
            )
        except ActionedError:
            return not_found(request)
        return attachment(row, path)

    @app.post("/agencies/{agency_id}/actions/{action_id}/assign")
    def staff_action_assign(
        request: Request, agency_id: AgencyDep, action_id: int, staff: StaffDep, form: StaffForm, session: DatabaseDep
    ) -> Response:
        action = _action(session, agency_id, action_id)
        if action is None or action.id is None:
            return not_found(request)
        values = {name: forms.text(form, name).strip() for name in ("owner_email", "owner_name")}
        values["action"] = str(action.id)
        errors, keys = views.reassign(
            session, agency_id=agency_id, report_id=action.report_id, values=values, by=staff.actor
        )
        if errors:
            session.rollback()
            context = _context(session, action, today())
            context["values"].update(values)
            context["errors"] = errors
            return staff_page(request, "staff/action.html", context, staff=staff, status_code=400)
        session.commit()  # before the redirect is followed (a yield dependency may exit after the response)
        allocation.send(keys)
        return RedirectResponse(f"{action_path(agency_id, action.id)}?done=owner", status_code=303)

    @app.post("/agencies/{agency_id}/actions/{action_id}/{what}")
    def staff_action_message(
        request: Request,
        agency_id: AgencyDep,
        action_id: int,
        what: str,
        staff: StaffDep,
        form: StaffForm,
        session: DatabaseDep,
    ) -> Response:
        action = _action(session, agency_id, action_id)
        if action is None or action.id is None or what not in (owner_messages.FRESH_LINK, owner_messages.CHASE):
            return not_found(request)
        del form  # checked (CSRF) by the dependency; the buttons carry nothing else
        try:
            decided = owner_messages.decide(session, action_id=action.id, what=what, by=staff.label, today=today())
        except ActionedError as exc:
            session.rollback()
            context = _context(session, action, today())
            context["errors"] = {"message": exc.message[:1].upper() + exc.message[1:]}
            return staff_page(request, "staff/action.html", context, staff=staff, status_code=400)
        session.commit()
        if decided.new:
            allocation.send([decided.key])
        again = "" if decided.new else "&again=1"
        return RedirectResponse(f"{action_path(agency_id, action.id)}?done={what}{again}#owner", status_code=303)
