"""On an agency's staff page: the due-date changes its owners asked for, approved or refused by its liaison officer
(signed in), and the audit committee's pack as a download (Word or Excel). Agency and role are checked by the
dependencies (``web.deps``) as on every staff page; forms carry the session's CSRF token.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.rules.errors import ActionedError
from models.rules.vocabulary import ContactRole, DueChangeStatus
from models.store import due_dates
from models.store.tables import Action, DueDateChange, Recommendation
from web import forms
from web.deps import AgencyDep, DatabaseDep, StaffDep, StaffForm
from web.owner_tasks import date_fields
from web.rendering import not_found, staff_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workflow_context(session: Session, *, agency_id: str, report_id: str) -> dict[str, Any]:
    """The due-date changes waiting on the agency's actions for the report, and the pack form's values."""
    waiting = session.exec(
        select(DueDateChange, Action, Recommendation)
        .join(Action, col(Action.id) == col(DueDateChange.action_id))
        .join(Recommendation, col(Recommendation.id) == col(Action.recommendation_id))
        .where(
            Action.agency_id == agency_id,
            Action.report_id == report_id,
            DueDateChange.status == DueChangeStatus.REQUESTED.value,
        )
        .order_by(col(DueDateChange.id))
    ).all()
    return {
        "due_waiting": [{"change": c, "action": a, "number": r.number} for c, a, r in waiting],
        "pack_values": {"day": "", "month": "", "year": ""},
    }


def _page(
    request: Request, session: Session, staff: Any, agency_id: str, report_id: str, day: date, **more: Any
) -> Response:
    from web.staff import _report_context

    context = _report_context(session, agency_id=agency_id, report_id=report_id, today=day)
    if context is None:
        return not_found(request)
    context.update(saved="", **more)
    return staff_page(request, "staff/agency-report.html", context, staff=staff, status_code=400)


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.post("/agencies/{agency_id}/reports/{report_id}/due/{change_id}")
    def decide_due(
        request: Request,
        agency_id: AgencyDep,
        report_id: str,
        change_id: int,
        staff: StaffDep,
        form: StaffForm,
        session: DatabaseDep,
    ) -> Response:
        change = session.get(DueDateChange, change_id) if forms.is_row_id(change_id) else None
        action = session.get(Action, change.action_id) if change else None
        if change is None or action is None or (action.agency_id, action.report_id) != (agency_id, report_id):
            return not_found(request)
        decision = forms.text(form, "decision").strip()
        reason = forms.text(form, "reason").strip()
        field = f"due-{change_id}-decision"
        errors: dict[str, str] = {}
        if decision not in ("approve", "refuse"):
            errors[field] = "Choose whether to approve or refuse the change"
        else:
            try:
                due_dates.decide_change(
                    session,
                    action_id=action.id or 0,
                    approve=decision == "approve",
                    by=staff.actor,
                    note=reason or None,
                    role=ContactRole.LIAISON_OFFICER,  # the staff file says they are the agency's liaison officer
                )
            except ActionedError as exc:
                session.rollback()
                errors[f"due-{change_id}-reason" if exc.field == "reason" else field] = forms.sentence(exc.message)
        if errors:
            return _page(request, session, staff, agency_id, report_id, today(), errors=errors)
        session.commit()
        return RedirectResponse(f"/agencies/{agency_id}/reports/{report_id}?saved=due#due-changes", status_code=303)

    @app.get("/agencies/{agency_id}/reports/{report_id}/pack")
    def pack_download(
        request: Request, agency_id: AgencyDep, report_id: str, staff: StaffDep, session: DatabaseDep
    ) -> Response:
        from notifications.documents import pack

        values = {name: request.query_params.get(f"since-{name}", "") for name in ("day", "month", "year")}
        since, error = date_fields(values, optional=False)
        day = today()
        if error is None and since is not None and since > day:
            error = "The last meeting must be today or before"
        if error is not None or since is None:
            message = error or "Enter the date of the last committee meeting"
            message = message.replace("new due date", "date of the last committee meeting").replace("due date", "date")
            return _page(request, session, staff, agency_id, report_id, day, errors={"since-day": message},
                         pack_values=values)  # fmt: skip
        content = pack.gather(
            session, agency_id=agency_id, since=since, next_meeting=day + timedelta(days=91), today=day
        )
        excel = request.query_params.get("format") == "xlsx"
        body = pack.xlsx_bytes(content) if excel else pack.docx_bytes(content)
        name = f"pack-{agency_id}-{day.isoformat()}.{'xlsx' if excel else 'docx'}"
        return Response(
            body, media_type=XLSX if excel else DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )
