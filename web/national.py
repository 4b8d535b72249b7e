"""The national view (signed in as the inspectorate or a national coordinator): for one report, every addressed
agency's return (its state, working days late, its actions' RAG, the chaser trail), filterable and sortable; the late
list; the collated national return to download; and, for the inspectorate, its decisions on actions (closed, or
further evidence needed: the owner gets the note and a fresh link).

Each route starts from its dependencies (``web.deps``); changes go through the same functions as the command line's
(``notifications.closure.decide``).
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.bank_holidays import around
from models.rules.errors import ActionedError
from models.rules.national import parse_closure
from models.rules.vocabulary import Closure, Rag, ReturnProgress, StaffRole
from models.settings import load_settings
from models.store import national
from models.store.actions import get_action, list_actions
from models.store.reports import get_report
from models.store.tables import Agency, Group, Report
from notifications import closure
from notifications.documents.collate import XLSX_CONTENT_TYPE, collated, render_collated_docx, render_collated_xlsx
from notifications.documents.render import DOCX_CONTENT_TYPE
from notifications.signoff import send
from web import forms
from web.deps import DatabaseDep, StaffDep, StaffForm, StaffMember, StaffRefused
from web.rendering import not_found, staff_page

NATIONAL_ROLES = frozenset({StaffRole.INSPECTORATE, StaffRole.NATIONAL_COORDINATOR})
SORTS = {
    "name": lambda s: (s.agency_name.casefold(),),
    "late": lambda s: (-s.days_late, s.agency_name.casefold()),
    "state": lambda s: (list(ReturnProgress).index(s.progress), s.agency_name.casefold()),
    "rag": lambda s: (list(Rag).index(s.worst), s.agency_name.casefold()),
}


async def national_staff(report_id: str, staff: StaffDep) -> StaffMember:
    """The inspectorate, or a national coordinator given this report; anyone else is refused, shown nothing."""
    if not staff.access.roles & NATIONAL_ROLES or not staff.access.sees_national_report(report_id):
        raise StaffRefused(staff.identity)
    return staff


NationalDep = Annotated[StaffMember, Depends(national_staff)]


async def inspectorate(staff: NationalDep) -> StaffMember:
    """Only the inspectorate decides on actions."""
    if not staff.access.is_(StaffRole.INSPECTORATE):
        raise StaffRefused(staff.identity)
    return staff


InspectorateDep = Annotated[StaffMember, Depends(inspectorate)]


def _report(session: Session, report_id: str) -> Report | None:
    try:
        return get_report(session, report_id=report_id)
    except ActionedError:
        return None


def shown_to(session: Session, *, report_id: str, staff: StaffMember) -> Callable[[str], bool]:
    """Whether an agency is shown to this person on the report's national page (the staff file's scope)."""
    groups = national.group_memberships(session)
    return lambda agency_id: staff.access.sees_nationally(report_id, agency_id, groups.get(agency_id, frozenset()))


def answers_shown(
    session: Session, *, report_id: str, shown_here: Callable[[str], bool]
) -> list[national.NationalAnswer]:
    """The national responses that speak for an agency shown (or come from one), naming only the agencies shown."""
    out = []
    for answer in national.national_answers(session, report_id=report_id):
        covered = tuple(pair for pair in answer.covered if shown_here(pair[0]))
        if covered or shown_here(answer.body_id):
            out.append(replace(answer, covered=covered))
    return out


def _context(
    session: Session, *, report: Report, staff: StaffMember, query: dict[str, str], today: date
) -> dict[str, Any]:
    shown_here = shown_to(session, report_id=report.id, staff=staff)
    found = [
        s
        for s in national.standings(session, report_id=report.id, today=today, holidays=around(today))
        if shown_here(s.agency_id)
    ]
    late = sorted((s for s in found if s.days_late and s.accepted_at is None), key=SORTS["late"])
    state, only_late, sort = query.get("state", ""), query.get("late", "") == "1", query.get("sort", "name")
    listed: list[national.AgencyStanding] = [
        s
        for s in found
        if (not state or s.progress.value == state) and (not only_late or (s.days_late and s.accepted_at is None))
    ]
    listed.sort(key=SORTS.get(sort, SORTS["name"]))
    rows = list_actions(session, report_id=report.id)
    return {
        "report": report,
        "today": today,
        "standings": listed,
        "total": len(found),
        "late": late,
        "accepted": sum(1 for s in found if s.progress is ReturnProgress.ACCEPTED),
        "states": list(ReturnProgress),
        "filters": {"state": state, "late": only_late, "sort": sort},
        "may_decide": staff.access.is_(StaffRole.INSPECTORATE),
        "actions": [r for r in rows if shown_here(r.action.agency_id)],
        "answers": answers_shown(session, report_id=report.id, shown_here=shown_here),
        "decisions": list(Closure),
        "values": {"action": "", "decision": "", "note": "", "evidence": ""},
        "base": f"/national/{report.id}",
        "rags": list(Rag),
        "unknown_names": _unknown_names(session, staff),
    }


def _unknown_names(session: Session, staff: StaffMember) -> list[str]:
    """The ids the person's scope names that the register lacks; the register is read only when it names any."""
    if not any(staff.access.names):
        return []
    return staff.access.names_unknown(
        agencies=set(session.exec(select(Agency.id))), groups=set(session.exec(select(Group.id)))
    )


def _chosen_action(session: Session, values: dict[str, str], *, report_id: str, staff: StaffMember) -> int:
    """The action the form names, when it is on this report and the person may see its agency; and a decision."""
    chosen = values["action"]
    action = get_action(session, action_id=int(chosen)) if chosen.isdigit() else None
    if (
        action is None
        or action.id is None
        or action.report_id != report_id
        or not shown_to(session, report_id=report_id, staff=staff)(action.agency_id)
    ):
        raise ActionedError("choose the action", field="action")
    if not values["decision"]:
        raise ActionedError("choose closed or further evidence needed", field="decision")
    return action.id


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.get("/national/{report_id}")
    def national_page(request: Request, report_id: str, staff: NationalDep, session: DatabaseDep) -> Response:
        report = _report(session, report_id)
        if report is None:
            return not_found(request)
        context = _context(session, report=report, staff=staff, query=dict(request.query_params), today=today())
        context["saved"] = request.query_params.get("saved", "")
        return staff_page(request, "staff/national.html", context, staff=staff)

    @app.get("/national/{report_id}/{report_file}")
    def national_download(
        request: Request, report_id: str, report_file: str, staff: NationalDep, session: DatabaseDep
    ) -> Response:
        report = _report(session, report_id)
        suffix = report_file.removeprefix(f"{report_id}-national.")
        if report is None or suffix not in ("docx", "xlsx"):
            return not_found(request)
        c = collated(
            session, report_id=report_id, today=today(), shown=shown_to(session, report_id=report_id, staff=staff)
        )
        data, kind = (
            (render_collated_docx(c), DOCX_CONTENT_TYPE)
            if suffix == "docx"
            else (render_collated_xlsx(c), XLSX_CONTENT_TYPE)
        )
        headers = {"Content-Disposition": f'attachment; filename="{c.stem}.{suffix}"'}
        return Response(content=data, media_type=kind, headers=headers)

    @app.post("/national/{report_id}/decisions")
    def national_decide(
        request: Request, report_id: str, staff: InspectorateDep, form: StaffForm, session: DatabaseDep
    ) -> Response:
        report = _report(session, report_id)
        if report is None:
            return not_found(request)
        values = {name: forms.text(form, name).strip() for name in ("action", "decision", "note", "evidence")}
        errors: dict[str, str] = {}
        keys: list[str] = []
        try:
            action_id = _chosen_action(session, values, report_id=report_id, staff=staff)
            s = load_settings()
            _action, _row, keys = closure.decide(
                session,
                action_id=action_id,
                decision=parse_closure(values["decision"]),
                note=values["note"],
                evidence=values["evidence"],
                by=staff.actor,
                base_url=s.base_url,
                secret_key=s.secret_key(),
            )
        except ActionedError as exc:
            errors[exc.field or "action"] = exc.message[:1].upper() + exc.message[1:]
        if errors:
            session.rollback()
            context = _context(session, report=report, staff=staff, query={}, today=today())
            context["values"].update(values)
            context["errors"] = errors
            context["saved"] = ""
            return staff_page(request, "staff/national.html", context, staff=staff, status_code=400)
        session.commit()
        send(keys)
        saved = "further" if keys or values["decision"] != Closure.CLOSED else "closed"
        return RedirectResponse(f"/national/{report_id}?saved={saved}#decide", status_code=303)
