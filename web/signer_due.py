"""The signer's page, a due-date change: the portfolio lead (or the liaison officer) the request went to approves or
refuses it through the signed link in that message. A refused form shows the page again with the error by its
field, and changes nothing.
"""

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.links import InvalidLink
from models.rules.errors import ActionedError
from models.rules.vocabulary import ContactRole
from models.settings import load_settings
from models.store import due_dates
from models.store.db import session_scope
from models.store.register import contacts_of
from web import access, forms
from web.deps import LinkPost, SignerPost
from web.rendering import invalid_link, page


def approver(session: Session, agency_id: str) -> tuple[str, ContactRole]:
    """Who decides through a signer link, and as what: the portfolio lead, else the liaison officer (the request
    went to them: ``notifications.signoff.due_request``).
    """
    for role in (ContactRole.PORTFOLIO_LEAD, ContactRole.LIAISON_OFFICER):
        people = contacts_of(session, agency_id=agency_id, role=role)
        if people:
            return people[0].email, role
    return "signer", ContactRole.PORTFOLIO_LEAD


def _decide(request: Request, token: str, posted: LinkPost, day: date) -> Response:
    from web.signer import signer_context

    s = load_settings()
    claim, form = posted.claim, posted.form
    decision = forms.text(form, "due-decision").strip()
    reason = forms.text(form, "due-reason").strip()
    errors: dict[str, str] = {}
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            if decision not in ("approve", "refuse"):
                errors["due-decision"] = "Choose whether to approve or refuse the change"
            else:
                by, role = approver(session, action.agency_id)
                try:
                    due_dates.decide_change(
                        session,
                        action_id=action.id or 0,
                        approve=decision == "approve",
                        by=by,
                        note=reason or None,
                        role=role,
                    )
                except ActionedError as exc:
                    session.rollback()
                    errors["due-reason" if exc.field == "reason" else "due-decision"] = forms.sentence(exc.message)
            if errors:
                context = signer_context(session, claim, day)
                context.update(errors=errors, due_reason=reason)
                return page(
                    request, "signer.html", context, secret_key=s.secret_key(), link_token=token, status_code=400
                )
    except InvalidLink:
        return invalid_link(request)
    return RedirectResponse(f"/s/{token}?saved=due#due-date", status_code=303)


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.post("/s/{token}/due")
    async def signer_due(request: Request, token: str, posted: SignerPost) -> Response:
        return await run_in_threadpool(_decide, request, token, posted, today())
