"""The agency's delivery log (signed in): every message decided for the agency, newest first, with its state (decided,
sending, sent, partly sent, failed, skipped) and the reason or the server's last answer; filtered by state, kind and
report in SQL (``models.store.delivery_log``), a page at a time. ``actioned agencies deliveries`` prints the same.
"""

from collections.abc import Callable
from datetime import date
from urllib.parse import urlencode

from fastapi import FastAPI
from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import Response

from models.rules.vocabulary import DeliveryStatus
from models.store import delivery_log
from models.store.tables import Action, Agency, Report
from web.deps import AgencyDep, StaffDep
from web.rendering import in_session, not_found, staff_page

STATE_LABELS = {
    DeliveryStatus.PENDING.value: "Decided, not sent yet",
    DeliveryStatus.SENDING.value: "Sending",
    DeliveryStatus.SENT.value: "Sent",
    DeliveryStatus.PARTLY_SENT.value: "Partly sent",
    DeliveryStatus.FAILED.value: "Failed",
    DeliveryStatus.SKIPPED.value: "Skipped",
}
MAX_PAGE = 1_000_000


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and len(value) < len(str(MAX_PAGE)) else 1


def register(app: FastAPI, today: Callable[[], date]) -> None:
    del today  # the log is what happened: no "as of" day

    @app.get("/agencies/{agency_id}/deliveries")
    async def deliveries(request: Request, agency_id: AgencyDep, staff: StaffDep) -> Response:
        def show(session: Session) -> Response:
            agency = session.get(Agency, agency_id)
            if agency is None:
                return not_found(request)
            params = request.query_params
            reports = session.exec(
                select(Report.id, Report.title)
                .where(col(Report.id).in_(select(Action.report_id).where(Action.agency_id == agency_id).distinct()))
                .order_by(col(Report.published_on).desc())
            ).all()
            titles = dict(reports)
            wanted = delivery_log.LogFilter(
                status=params.get("status") if params.get("status") in STATE_LABELS else None,
                kind=params.get("kind") if params.get("kind") in delivery_log.KINDS else None,
                report_id=params.get("report") if params.get("report") in titles else None,
            )
            found = delivery_log.log_page(
                session, agency_id=agency_id, wanted=wanted, page=_page_number(params.get("page", ""))
            )
            query = {"status": wanted.status or "", "kind": wanted.kind or "", "report": wanted.report_id or ""}
            query = {k: v for k, v in query.items() if v}

            def page_link(number: int) -> str:
                return f"?{urlencode({**query, 'page': number})}#log"

            context = {
                "agency": agency,
                "found": found,
                "wanted": wanted,
                "reports": reports,
                "titles": titles,
                "kinds": delivery_log.KINDS,
                "states": STATE_LABELS,
                "page_link": page_link,
                "filtered": bool(query),
            }
            return staff_page(request, "staff/deliveries.html", context, staff=staff)

        return await in_session(show)
