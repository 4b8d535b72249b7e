"""The register for administrators (signed in): every agency with its kind, groups and contacts, and the shipped
register's updates shown as a change to accept. Accepting applies what ``actioned init`` applies on an existing
database (local edits kept); an agency whose name or groups were edited here takes the shipped version only when a
person ticks it.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.rules.errors import ActionedError
from models.rules.vocabulary import AgencyKind, ContactRole, label_of
from models.store import register_updates
from web.deps import AdministratorDep, DatabaseDep, StaffForm
from web.rendering import in_session, staff_page

KIND_HEADINGS = {
    AgencyKind.FORCE: "Police forces",
    AgencyKind.LOCAL_POLICING_BODY: "Local policing bodies",
    AgencyKind.NATIONAL_BODY: "National bodies",
}

KIND_LABELS = {
    AgencyKind.FORCE: "Police force",
    AgencyKind.LOCAL_POLICING_BODY: "Local policing body",
    AgencyKind.NATIONAL_BODY: "National body",
}


class _RoleLabels(dict[str, str]):
    """Each contact's role as the list shows it ("Owner: ..."), looked up rather than worked out for each of hundreds
    of contacts (a call in a template costs several lookups); a role this version does not know shows as stored.
    """

    def __missing__(self, role: str) -> str:
        return role.capitalize()


ROLE_LABELS = _RoleLabels({role.value: label_of(ContactRole, role).capitalize() for role in ContactRole})


def _context(session: Session) -> dict[str, Any]:
    register = register_updates.shipped_register()
    listing = register_updates.register_listing(session)
    rows = listing.rows
    names = {g.id: g.name for g in register.groups} | {g.id: g.name for g in listing.groups.values()}
    return {
        "changes": register_updates.shipped_changes(listing, register=register),
        "group_names": names,
        "agency_names": {r.agency.id: r.agency.name for r in rows},
        "kinds": [(heading, [r for r in rows if r.agency.kind == kind]) for kind, heading in KIND_HEADINGS.items()],
        "others": [r for r in rows if r.agency.kind not in set(KIND_HEADINGS)],
        "role_labels": ROLE_LABELS,
        "kind_label": lambda kind: KIND_LABELS.get(kind, kind),
        "shipped_file": register_updates.SHIPPED_REGISTER.name,
        "taken": [],
        "count": len(rows),
    }


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.get("/admin/register")
    async def register_page(request: Request, staff: AdministratorDep) -> Response:
        def show(session: Session) -> Response:
            context = _context(session)
            context["done"] = request.query_params.get("done") == "updates"
            return staff_page(request, "staff/admin/register.html", context, staff=staff)

        return await in_session(show)

    @app.post("/admin/register/updates")
    def accept_updates(request: Request, staff: AdministratorDep, form: StaffForm, session: DatabaseDep) -> Response:
        take = [value for value in form.getlist("take") if isinstance(value, str)]
        try:
            register_updates.accept(
                session,
                register=register_updates.shipped_register(),
                source=f"{register_updates.SHIPPED_REGISTER.name} (accepted by {staff.actor})",
                take=take,
            )
        except ActionedError as error:
            session.rollback()
            context = _context(session)
            context.update({"errors": {"take": error.message}, "done": False, "taken": take})
            return staff_page(request, "staff/admin/register.html", context, staff=staff, status_code=400)
        session.commit()  # before the redirect is followed (a yield dependency may exit after the response)
        return RedirectResponse("/admin/register?done=updates#updates", status_code=303)
