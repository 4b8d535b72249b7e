"""The return's page for an agency (signed in): the preview exactly as it will be sent, what is still missing, the
decisions (approve, hold, release, send as it stands, resubmit) with who and when, and what was sent, to whom, when
and the server's answer. Each decision calls the same ``models.store.returns`` function as ``actioned returns ...``.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from models.rules.errors import ActionedError
from models.rules.vocabulary import DeliveryStatus, label_of
from models.store import returns as return_store
from models.store.reports import get_report, report_due_on
from models.store.tables import Agency, Delivery, Return
from notifications.documents.render import render_html
from web import forms
from web.deps import AgencyDep, DatabaseDep, StaffDep, StaffForm
from web.rendering import in_session, not_found, staff_page

DECISIONS: dict[str, Callable[..., Return]] = {
    "approve": return_store.approve,
    "hold": return_store.hold,
    "release": return_store.release,
    "send-as-is": return_store.send_as_is,
    "resubmit": return_store.resubmit,
}
DONE = {
    "approve": "The return is approved.",
    "hold": "The return is on hold: it will not go until it is released.",
    "release": "The return is released: it goes with the next daily cycle if it is due.",
    "send-as-is": "The return will go as it stands, with what is missing.",
    "resubmit": "A new round has started: it goes with the next submission.",
}
ON_THE_PAGE = {
    "use `actioned returns resubmit` to start a new round": "start a new round with the button below",
    "(`actioned returns submit` sends it when it is due)": "(the daily cycle sends it when it is due)",
}
"""What the command line's errors tell a person to run, as the page says it: the page has the button."""


def page_message(message: str) -> str:
    """An error from ``models.store.returns`` as a sentence on this page: no command to run."""
    for command, words in ON_THE_PAGE.items():
        message = message.replace(command, words)
    return message[:1].upper() + message[1:]


PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
"""The preview is the document as it goes (its own inline styles); still no scripts and nothing from elsewhere."""


def _context(session: Session, *, agency_id: str, report_id: str, today: date) -> dict[str, Any] | None:
    agency = session.get(Agency, agency_id)
    try:
        report = get_report(session, report_id=report_id)
        content = return_store.return_content(session, report_id=report_id, agency_id=agency_id, today=today)
    except (ActionedError, KeyError):
        return None
    if agency is None:
        return None
    row = return_store.current_return(session, report_id=report_id, agency_id=agency_id)
    delivery = session.get(Delivery, row.delivery_id) if row is not None and row.delivery_id else None
    return {
        "agency": agency,
        "report": report,
        "content": content,
        "missing": content.missing,
        "row": row,
        "delivery": delivery,
        "delivery_status": label_of(DeliveryStatus, delivery.status) if delivery else "",
        "due_on": report_due_on(report),
        "base": f"/agencies/{agency_id}/reports/{report_id}/return",
        "values": {"reason": ""},
        "today": today,
    }


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.get("/agencies/{agency_id}/reports/{report_id}/return")
    async def return_page(request: Request, agency_id: AgencyDep, report_id: str, staff: StaffDep) -> Response:
        def show(session: Session) -> Response:
            context = _context(session, agency_id=agency_id, report_id=report_id, today=today())
            if context is None:
                return not_found(request)
            context["done"] = DONE.get(request.query_params.get("done", ""), "")
            return staff_page(request, "staff/return.html", context, staff=staff)

        return await in_session(show)

    @app.get("/agencies/{agency_id}/reports/{report_id}/return/preview")
    def return_preview(
        request: Request, agency_id: AgencyDep, report_id: str, staff: StaffDep, session: DatabaseDep
    ) -> Response:
        try:
            content = return_store.return_content(session, report_id=report_id, agency_id=agency_id, today=today())
        except (ActionedError, KeyError):
            return not_found(request)
        return HTMLResponse(render_html(content), headers={"Content-Security-Policy": PREVIEW_POLICY})

    @app.post("/agencies/{agency_id}/reports/{report_id}/return/{decision}")
    def return_decision(
        request: Request,
        agency_id: AgencyDep,
        report_id: str,
        decision: str,
        staff: StaffDep,
        form: StaffForm,
        session: DatabaseDep,
    ) -> Response:
        change = DECISIONS.get(decision)
        if change is None:
            return not_found(request)
        more = {"reason": forms.text(form, "reason").strip() or None} if decision == "hold" else {}
        try:
            change(session, report_id=report_id, agency_id=agency_id, by=staff.actor, **more)
        except ActionedError as exc:
            session.rollback()
            context = _context(session, agency_id=agency_id, report_id=report_id, today=today())
            if context is None:
                return not_found(request)
            context["errors"] = {"decision": page_message(exc.message)}
            context["done"] = ""
            return staff_page(request, "staff/return.html", context, staff=staff, status_code=400)
        session.commit()  # before the redirect is followed (a yield dependency may exit after the response)
        return RedirectResponse(
            f"/agencies/{agency_id}/reports/{report_id}/return?done={decision}#decisions", status_code=303
        )
