"""The agency's register page (signed in): its contacts by role; add, replace and remove them, each through a check
answers step that says what the change does to the open actions ("12 open actions will get this owner", "3 actions
lose their owner and await allocation") before anything is saved.

The effect is worked out and the change made by ``models.store.contacts`` (``plan``, ``apply``), which
``actioned agencies add-contact``, ``replace-contact`` and ``remove-contact`` call too. The save carries the effect
the person was shown: when it no longer holds (someone changed the agency meanwhile) the page shows the new effect to
check again, and nothing is saved.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.rules.errors import ActionedError
from models.rules.vocabulary import ContactRole
from models.store import contacts
from models.store.register import contacts_of
from models.store.tables import Agency, Contact
from notifications import allocation
from web import forms
from web.deps import AgencyDep, DatabaseDep, StaffDep, StaffForm
from web.rendering import in_session, not_found, staff_page

FLASH = "register_saved"
FIELDS = ("role", "name", "email", "title")
KINDS = ("add", "replace", "remove")
DONE = {
    "add": "The contact has been added.",
    "replace": "The contact has been replaced.",
    "remove": "The contact has been removed.",
}


def register_path(agency_id: str) -> str:
    return f"/agencies/{agency_id}/register"


def _by_role(session: Session, agency_id: str) -> list[tuple[ContactRole, list[Contact]]]:
    held = contacts_of(session, agency_id=agency_id)
    return [(role, [c for c in held if c.role == role]) for role in ContactRole]


def _change(agency_id: str, form: FormData) -> contacts.ContactChange | None:
    kind = forms.text(form, "kind").strip()
    if kind not in KINDS:
        return None
    contact_id = forms.row_id(forms.text(form, "contact"))
    if kind != "add" and contact_id is None:
        return None
    return contacts.ContactChange(
        kind=kind,  # type: ignore[arg-type]
        agency_id=agency_id,
        contact_id=contact_id,
        **{name: forms.text(form, name).strip() for name in FIELDS},
    )


def _posted(session: Session, agency_id: str, form: FormData) -> tuple[Agency, contacts.ContactChange] | None:
    """The agency and the change a register form posts, or None when either names nothing."""
    agency = session.get(Agency, agency_id)
    change = _change(agency_id, form)
    return (agency, change) if agency is not None and change is not None else None


def _error(exc: ActionedError) -> dict[str, str]:
    """Every field at fault, each message as a sentence."""
    found = exc.problems if isinstance(exc, contacts.InvalidContact) else {exc.field or "email": exc.message}
    return {(f if f in FIELDS else "email"): m[:1].upper() + m[1:] for f, m in found.items()}


def register_page(
    request: Request,
    session: Session,
    agency: Agency,
    staff: StaffDep,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    context: dict[str, Any] = {
        "agency": agency,
        "roles": _by_role(session, agency.id),
        "role_choices": list(ContactRole),
        "values": values or {"role": "", "name": "", "email": "", "title": ""},
        "errors": errors or {},
        "saved": request.session.pop(FLASH, None) if not errors else None,
        "base": register_path(agency.id),
    }
    return staff_page(request, "staff/register.html", context, staff=staff, status_code=400 if errors else 200)


def check_page(
    request: Request, effect: contacts.Effect, agency: Agency, staff: StaffDep, *, changed: bool = False
) -> Response:
    change = effect.change
    context = {
        "agency": agency,
        "change": change,
        "effect": effect,
        "lines": effect.lines(),
        "role_label": ContactRole(effect.contact.role if effect.contact else change.role).label,
        "changed": changed,
        "base": register_path(agency.id),
    }
    return staff_page(request, "staff/register-check.html", context, staff=staff, status_code=409 if changed else 200)


def replace_page(
    request: Request,
    contact: Contact,
    agency: Agency,
    staff: StaffDep,
    *,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    context = {
        "agency": agency,
        "contact": contact,
        "role_label": ContactRole(contact.role).label,
        "values": values,
        "errors": errors,
        "base": register_path(agency.id),
    }
    return staff_page(request, "staff/register-replace.html", context, staff=staff, status_code=400 if errors else 200)


def _refused_change(
    request: Request,
    session: Session,
    agency: Agency,
    change: contacts.ContactChange,
    exc: ActionedError,
    staff: StaffDep,
) -> Response:
    """The form again, with what was typed and the error on its field (a change naming no contact of the agency: 404)."""
    values = {name: getattr(change, name) for name in FIELDS}
    if change.kind == "replace":
        contact = session.get(Contact, change.contact_id)
        if contact is None or contact.agency_id != agency.id:
            return not_found(request)
        return replace_page(request, contact, agency, staff, values=values, errors=_error(exc))
    if exc.field == "contact":
        return not_found(request)
    return register_page(request, session, agency, staff, values=values, errors=_error(exc))


def register(app: FastAPI, today: Callable[[], date]) -> None:
    del today  # the register has no "as of" day

    @app.get("/agencies/{agency_id}/register")
    async def register_view(request: Request, agency_id: AgencyDep, staff: StaffDep) -> Response:
        def show(session: Session) -> Response:
            agency = session.get(Agency, agency_id)
            if agency is None:
                return not_found(request)
            return register_page(request, session, agency, staff)

        return await in_session(show)

    @app.get("/agencies/{agency_id}/register/{contact_id}/{kind}")
    def contact_change(
        request: Request, agency_id: AgencyDep, contact_id: int, kind: str, staff: StaffDep, session: DatabaseDep
    ) -> Response:
        agency = session.get(Agency, agency_id)
        contact = session.get(Contact, contact_id) if forms.is_row_id(contact_id) else None
        if agency is None or contact is None or contact.agency_id != agency_id or kind not in ("replace", "remove"):
            return not_found(request)
        if kind == "replace":
            values = {"name": contact.name, "email": contact.email, "title": contact.title}
            return replace_page(request, contact, agency, staff, values=values, errors={})
        change = contacts.ContactChange(kind="remove", agency_id=agency_id, contact_id=contact.id)
        return check_page(request, contacts.plan(session, change), agency, staff)

    @app.post("/agencies/{agency_id}/register/check")
    def register_check(
        request: Request, agency_id: AgencyDep, staff: StaffDep, form: StaffForm, session: DatabaseDep
    ) -> Response:
        posted = _posted(session, agency_id, form)
        if posted is None:
            return not_found(request)
        agency, change = posted
        try:
            effect = contacts.plan(session, change)
        except ActionedError as exc:
            return _refused_change(request, session, agency, change, exc, staff)
        return check_page(request, effect, agency, staff)

    @app.post("/agencies/{agency_id}/register/save")
    def register_save(
        request: Request, agency_id: AgencyDep, staff: StaffDep, form: StaffForm, session: DatabaseDep
    ) -> Response:
        posted = _posted(session, agency_id, form)
        if posted is None:
            return not_found(request)
        agency, change = posted
        try:
            effect = contacts.plan(session, change)
            if effect.lines() != forms.text(form, "effect").split("\n"):
                return check_page(request, effect, agency, staff, changed=True)
            applied = contacts.apply(session, change, by=staff.actor)
            keys = allocation.tell_owners(session, applied.allocated.by_owner)
        except ActionedError:
            session.rollback()
            return RedirectResponse(register_path(agency_id), status_code=303)  # gone meanwhile: the page as it is
        session.commit()  # before the redirect is followed (a yield dependency may exit after the response)
        allocation.send(keys)
        request.session[FLASH] = [DONE[change.kind], *effect.lines(done=True)]
        return RedirectResponse(f"{register_path(agency_id)}#contacts", status_code=303)
