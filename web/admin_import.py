"""Importing a report from its document (administrators and national coordinators, signed in).

Upload the document; review what the reader found (every recommendation editable, every line it could not place
beside them); check your answers; confirm. Nothing is imported before the confirmation, which runs the same
validation as ``actioned report import`` and then the fan-out (``actioned assign``).
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models import import_draft
from models.import_draft import Draft, DraftItem
from models.rules.errors import ActionedError
from models.rules.vocabulary import StaffRole
from models.store.evidence import MAX_BYTES
from models.store.register import alias_table
from models.store.report_drafts import Checked, check, import_checked, imported_counts
from models.store.reports import get_report
from web import forms
from web.deps import DatabaseDep, SettingsDep, StaffForm, StaffMember, staff_in
from web.rendering import not_found, staff_page

IMPORT_PATH = "/admin/import"
IMPORTERS = frozenset({StaffRole.ADMINISTRATOR, StaffRole.NATIONAL_COORDINATOR})
"""Who may import a report: administrators and national coordinators (never a liaison officer)."""


ImporterDep = Annotated[StaffMember, staff_in(IMPORTERS)]


async def drafts(s: SettingsDep) -> Path:
    return s.home / "imports"


DraftsDep = Annotated[Path, Depends(drafts)]


def own_draft(draft_id: str, staff: ImporterDep, folder: DraftsDep) -> Draft:
    """The ``{draft_id}`` in the path, when it is this person's draft (anyone else's, or none: not found)."""
    draft = import_draft.load(folder, draft_id, owner=staff.identity.subject)
    if draft is None:
        raise HTTPException(status_code=404)
    return draft


DraftDep = Annotated[Draft, Depends(own_draft)]


def _draft_values(draft: Draft, form: FormData) -> Draft:
    """The draft as the review form corrected it (only the fields the page has; the rest is kept)."""
    items = [
        item.model_copy(
            update={
                "number": forms.text(form, f"rec_{place}_number").strip(),
                "addressee": forms.text(form, f"rec_{place}_addressee").strip(),
                "text": forms.text(form, f"rec_{place}_text").strip(),
                "due_on": forms.text(form, f"rec_{place}_due_on").strip(),
                "due_text": forms.text(form, f"rec_{place}_due_text").strip(),
                "left_out": forms.text(form, f"rec_{place}_left_out") == "yes",
            }
        )
        for place, item in enumerate(draft.items, start=1)
    ]
    return draft.model_copy(
        update={
            "title": forms.text(form, "title").strip(),
            "report_id": forms.text(form, "report_id").strip(),
            "published_on": forms.text(form, "published_on").strip(),
            "return_address": forms.text(form, "return_address").strip(),
            "items": items,
        }
    )


def _review(request: Request, draft: Draft, checked: Checked, staff: StaffMember, *, shown: bool = True) -> Response:
    """The review page; with ``shown``, the check's errors on their fields (400), else as it was read (200)."""
    context: dict[str, Any] = {"draft": draft, "checked": checked, "errors": checked.errors if shown else {}}
    status_code = 400 if shown and checked.errors else 200
    return staff_page(request, "staff/admin/import-review.html", context, staff=staff, status_code=status_code)


def _upload(request: Request, staff: StaffMember, form: FormData, folder: Path, session: Session) -> Response:
    """Read an uploaded document into a draft (kept for its uploader), or the upload page with the reader's error."""
    file = forms.upload(form, "file")
    filename, data = (file.filename or "", file.file.read(MAX_BYTES + 1)) if file is not None else ("", b"")
    try:
        draft = import_draft.draft_from_upload(
            filename, data, owner=staff.identity.subject, aliases=alias_table(session)
        )
    except ActionedError as error:
        # the file's name leads the message as the reader wrote it (``report.pdf: ...``)
        return staff_page(
            request,
            "staff/admin/import-upload.html",
            {"errors": {"file": error.message}},
            staff=staff,
            status_code=400,
        )
    import_draft.prune(folder, now=draft.created_at)
    import_draft.save(folder, draft)
    return RedirectResponse(f"{IMPORT_PATH}/{draft.id}", status_code=303)


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.get(IMPORT_PATH)
    async def upload_page(request: Request, staff: ImporterDep) -> Response:
        # a coroutine: it waits on nothing (no database, no file), so a hand-off to a thread would be all cost
        return staff_page(request, "staff/admin/import-upload.html", {}, staff=staff)

    @app.post(IMPORT_PATH)
    def upload(
        request: Request, staff: ImporterDep, form: StaffForm, folder: DraftsDep, session: DatabaseDep
    ) -> Response:
        return _upload(request, staff, form, folder, session)

    @app.get(IMPORT_PATH + "/{draft_id}")
    def review_page(request: Request, draft: DraftDep, staff: ImporterDep, session: DatabaseDep) -> Response:
        return _review(request, draft, check(session, draft), staff, shown=False)

    @app.post(IMPORT_PATH + "/{draft_id}")
    def review(
        request: Request, draft: DraftDep, staff: ImporterDep, form: StaffForm, folder: DraftsDep, session: DatabaseDep
    ) -> Response:
        draft = _draft_values(draft, form)
        if forms.text(form, "add") == "yes":  # a recommendation the reader missed, typed in by hand
            draft.items.append(DraftItem(location="added by hand"))
            import_draft.save(folder, draft)
            return RedirectResponse(f"{IMPORT_PATH}/{draft.id}#rec_{len(draft.items)}", status_code=303)
        import_draft.save(folder, draft)  # what was typed is kept, even with a mistake in it
        checked = check(session, draft)
        if checked.errors:
            return _review(request, draft, checked, staff)
        return RedirectResponse(f"{IMPORT_PATH}/{draft.id}/check", status_code=303)

    @app.get(IMPORT_PATH + "/{draft_id}/check")
    def check_page(request: Request, draft: DraftDep, staff: ImporterDep, session: DatabaseDep) -> Response:
        checked = check(session, draft)
        if checked.errors:
            return _review(request, draft, checked, staff)
        context = {"draft": draft, "checked": checked}
        return staff_page(request, "staff/admin/import-check.html", context, staff=staff)

    @app.post(IMPORT_PATH + "/{draft_id}/confirm")
    def confirm(
        request: Request, draft: DraftDep, staff: ImporterDep, form: StaffForm, folder: DraftsDep, session: DatabaseDep
    ) -> Response:
        checked = check(session, draft)  # again: the register may have changed since the check page
        if checked.definition is None or checked.errors:
            return _review(request, draft, checked, staff)
        try:
            done = import_checked(
                session, definition=checked.definition, source=f"{draft.document} (imported by {staff.actor})"
            )
        except ActionedError as error:
            session.rollback()
            checked.errors = {"recommendations": error.message[:1].upper() + error.message[1:]}
            return _review(request, draft, checked, staff)
        session.commit()  # before the redirect is followed (a yield dependency may exit after the response)
        import_draft.discard(folder, draft.id)
        return RedirectResponse(f"/admin/reports/{done.report_id}/imported", status_code=303)

    @app.post(IMPORT_PATH + "/{draft_id}/discard")
    def discard(draft: DraftDep, form: StaffForm, folder: DraftsDep) -> Response:
        import_draft.discard(folder, draft.id)
        return RedirectResponse(IMPORT_PATH, status_code=303)

    @app.get("/admin/reports/{report_id}/imported")
    def imported(request: Request, report_id: str, staff: ImporterDep, session: DatabaseDep) -> Response:
        counts = imported_counts(session, report_id=report_id)
        if counts is None:
            return not_found(request)
        report = get_report(session, report_id=report_id)
        context = {"report": report, "recommendations": counts[0], "actions": counts[1]}
        return staff_page(request, "staff/admin/imported.html", context, staff=staff)
