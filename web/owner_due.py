"""The owner's page, its due date: the owner asks for the date to move (the new date and why); the agency's portfolio
lead or liaison officer approves or refuses it (the staff page). A refused form shows the page again with the error
by its field, and changes nothing.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.links import InvalidLink
from models.rules.due_dates import date_changes_allowed
from models.rules.errors import ActionedError
from models.rules.vocabulary import WORKING, Status
from models.store import due_dates
from models.store.db import session_scope
from models.store.tables import Action, Report
from notifications import signoff
from web import access, forms
from web.deps import LinkPost, OwnerPost
from web.owner_tasks import date_fields, page_again
from web.rendering import invalid_link

FIELDS = {"to_on": "due-day", "due_on": "due-day", "reason": "due-reason"}


def due_context(session: Session, action: Action) -> dict[str, Any]:
    """The due-date change waiting (if any), how many the report allows, and the form's values."""
    report = session.get(Report, action.report_id)
    assert report is not None
    waiting = due_dates.waiting_change(session, action_id=action.id or 0)
    try:
        allowed = date_changes_allowed(report.settings)
    except ActionedError:
        allowed = 0
    return {
        "due_waiting": waiting,
        "due_left": max(allowed - action.due_changes, 0),
        "can_ask_due": Status(action.status) in WORKING and waiting is None and allowed > action.due_changes,
        "due_values": {"day": "", "month": "", "year": "", "reason": ""},
    }


def _ask(request: Request, token: str, posted: LinkPost, day: date) -> Response:
    claim, form = posted.claim, posted.form
    values = {name: forms.text(form, f"due-{name}").strip() for name in ("day", "month", "year", "reason")}
    errors: dict[str, str] = {}
    keys: list[str] = []
    to_on, date_error = date_fields(values, optional=False)
    if date_error:
        errors["due-day"] = date_error
    if not values["reason"]:
        errors["due-reason"] = "Say why the date should move: the approver and the committee read it"
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            if not errors and to_on is not None:
                assert action.id is not None
                assert action.owner_email is not None
                try:
                    due_dates.request_change(
                        session, action_id=action.id, to_on=to_on, reason=values["reason"], by=action.owner_email
                    )
                except ActionedError as exc:
                    session.rollback()
                    errors[FIELDS.get(exc.field or "", "due-day")] = forms.sentence(exc.message)
                else:
                    keys = signoff.queue_due_request(session, action_id=action.id)
    except InvalidLink:
        return invalid_link(request)
    if errors:
        return page_again(request, token, claim, day, errors, due_values=values)
    signoff.send(keys)  # after the commit: the approver gets a signed link to decide
    return RedirectResponse(f"/a/{token}?saved=due#due-date", status_code=303)


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.post("/a/{token}/due")
    async def owner_ask_due(request: Request, token: str, posted: OwnerPost) -> Response:
        return await run_in_threadpool(_ask, request, token, posted, today())
