"""The staff pages (signed in): the home page with every report addressed to the person's agencies, and an agency's
page for one report (its actions, reassigning an owner, the comments that stand around the return).

Each route starts from its dependencies (``web.deps``): the signed-in member of staff, the agency they may see, the
checked form. Changes go through the same repository functions as the command line's.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.rules.errors import ActionedError
from models.rules.vocabulary import Rag
from models.store.reports import get_report, list_reports
from models.store.return_comments import COMMENT_FIELDS, set_return_comments
from models.store.tables import Agency, ReturnComments
from notifications import allocation
from web import forms, staff_workflow, views, workplace
from web.deps import AgencyDep, DatabaseDep, StaffDep, StaffForm
from web.rendering import in_session, not_found, staff_page


def _report_context(session: Session, *, agency_id: str, report_id: str, today: date) -> dict[str, Any] | None:
    agency = session.get(Agency, agency_id)
    if agency is None:
        return None
    try:
        report = get_report(session, report_id=report_id)
    except ActionedError:
        return None
    rows = views.agency_rows(session, agency_id=agency_id, report_id=report_id, today=today)
    if not rows:
        return None
    actions = [r.action for r in rows]
    heading = workplace.ReportHeading(report.id, report.title, report.published_on)
    summary = workplace.summary_of(workplace.AgencyName(agency.id, agency.name), heading, actions, today)
    comments = session.get(ReturnComments, (report_id, agency_id))
    return {
        "agency": agency,
        "report": report,
        "rows": rows,
        "summary": summary,
        "chart": workplace.progress(session, action_ids=[a.id for a in actions if a.id], report=report, today=today),
        "today": today,
        "rags": list(Rag),
        "base": f"/agencies/{agency_id}/reports/{report_id}",
        **staff_workflow.workflow_context(session, agency_id=agency_id, report_id=report_id),
        "values": {
            "action": "",
            "owner_email": "",
            "owner_name": "",
            **{name: (getattr(comments, name) or "") if comments else "" for name in COMMENT_FIELDS},
        },
    }


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.get("/")
    async def home(request: Request, staff: StaffDep) -> Response:
        def show(session: Session) -> Response:
            agencies = None if staff.access.every_agency else staff.access.agencies
            found = workplace.summaries(session, agency_ids=agencies, today=today())
            national_reports = (  # read only for those with a national view: a liaison officer's home never needs them
                [r for r in list_reports(session) if staff.access.sees_national_report(r.id)]
                if staff.access.national
                else []
            )
            context = {"summaries": found, "today": today(), "rags": list(Rag), "national_reports": national_reports}
            return staff_page(request, "staff/home.html", context, staff=staff)

        return await in_session(show)

    @app.get("/agencies/{agency_id}/reports/{report_id}")
    async def agency_report(request: Request, agency_id: AgencyDep, report_id: str, staff: StaffDep) -> Response:
        def show(session: Session) -> Response:
            context = _report_context(session, agency_id=agency_id, report_id=report_id, today=today())
            if context is None:
                return not_found(request)
            context["saved"] = request.query_params.get("saved", "")
            return staff_page(request, "staff/agency-report.html", context, staff=staff)

        return await in_session(show)

    @app.post("/agencies/{agency_id}/reports/{report_id}/assign")
    def agency_assign(
        request: Request, agency_id: AgencyDep, report_id: str, staff: StaffDep, form: StaffForm, session: DatabaseDep
    ) -> Response:
        values = {name: forms.text(form, name).strip() for name in ("action", "owner_email", "owner_name")}
        errors, keys = views.reassign(session, agency_id=agency_id, report_id=report_id, values=values, by=staff.actor)
        if errors:
            session.rollback()
            context = _report_context(session, agency_id=agency_id, report_id=report_id, today=today())
            if context is None:
                return not_found(request)
            context["values"].update(values)
            context["errors"] = errors
            context["saved"] = ""
            return staff_page(request, "staff/agency-report.html", context, staff=staff, status_code=400)
        session.commit()  # before the redirect is followed (a yield dependency may exit after the response)
        allocation.send(keys)  # the new owner is told at once, after the commit
        return RedirectResponse(f"/agencies/{agency_id}/reports/{report_id}?saved=owner#actions", status_code=303)

    @app.post("/agencies/{agency_id}/reports/{report_id}/comments")
    def agency_comments(
        agency_id: AgencyDep, report_id: str, staff: StaffDep, form: StaffForm, session: DatabaseDep
    ) -> Response:
        get_report(session, report_id=report_id)
        set_return_comments(
            session,
            report_id=report_id,
            agency_id=agency_id,
            by=staff.actor,
            chief_officer=forms.text(form, "chief_officer").strip(),
            portfolio_lead=forms.text(form, "portfolio_lead").strip(),
            pcc=forms.text(form, "pcc").strip(),
        )
        session.commit()
        return RedirectResponse(f"/agencies/{agency_id}/reports/{report_id}?saved=comments#comments", status_code=303)
