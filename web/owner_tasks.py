"""The owner's page, its tasks: the action's tasks listed, a task added (title, owner, due date), a task updated
(status, note), and the response composed from the tasks' notes. Every form is checked against the owner's link and
its CSRF token; a refused one shows the page again with the error by its field, and changes nothing.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.links import InvalidLink, LinkClaim
from models.rules.errors import ActionedError
from models.rules.tasks import TaskSpec, tasks_left
from models.rules.vocabulary import WORKING, Status, TaskStatus
from models.settings import load_settings
from models.store import tasks
from models.store.db import session_scope
from models.store.tables import Task
from web import access, forms
from web.deps import LinkPost, OwnerPost
from web.rendering import invalid_link, not_found, page

ADD_FIELDS = {"title": "task-title", "owner": "task-owner", "due": "task-due-day"}
"""The add form's fields by the last word of the field a rule names ("task 3 due", "owner")."""


def tasks_context(session: Session, action_id: int, status: str) -> dict[str, Any]:
    """What the page shows of the action's tasks, and whether they can be added to or changed."""
    found = tasks.tasks_of(session, action_id=action_id)
    return {
        "tasks": found,
        "tasks_left": tasks_left(t.status for t in found),
        "task_statuses": [(s.value, s.label) for s in TaskStatus],
        "can_split": Status(status) in WORKING,
        "task_values": {"title": "", "owner": "", "day": "", "month": "", "year": ""},
    }


def date_fields(values: dict[str, str], *, optional: bool = True) -> tuple[date | None, str | None]:
    """The three GOV.UK date fields (day, month, year) as a date (or none, all left empty when ``optional``), or the
    error to show.
    """
    parts = [values["day"].strip(), values["month"].strip(), values["year"].strip()]
    if not any(parts):
        return None, None if optional else "Enter the new due date"
    if not all(p.isdigit() for p in parts):
        leave = ", or leave it empty" if optional else ""
        return None, f"Enter the due date as numbers, for example 10 6 2021{leave}"
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0])), None
    except ValueError:
        return None, "The due date must be a real date"


def page_again(
    request: Request, token: str, claim: LinkClaim, day: date, errors: dict[str, str], **extra: Any
) -> Response:
    from web.owner import owner_context

    s = load_settings()
    with session_scope() as session:
        context = owner_context(session, claim, day)
    context.update(errors=errors, saved="", **extra)
    return page(request, "action.html", context, secret_key=s.secret_key(), link_token=token, status_code=400)


def _add(request: Request, token: str, posted: LinkPost, day: date) -> Response:
    claim, form = posted.claim, posted.form
    values = {name: forms.text(form, f"task-{name}").strip() for name in ("title", "owner")}
    values |= {name: forms.text(form, f"task-due-{name}").strip() for name in ("day", "month", "year")}
    values["owner"] = values["owner"].lower()
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["task-title"] = "Enter what the task is"
    if not values["owner"]:
        errors["task-owner"] = "Enter the email address of the person who will do the task"
    due_on, due_error = date_fields(values)
    if due_error:
        errors["task-due-day"] = due_error
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            if not errors:
                assert action.id is not None
                assert action.owner_email is not None
                try:
                    spec = TaskSpec(values["title"], values["owner"], due_on)
                    tasks.split_action(session, action_id=action.id, tasks=[spec], by=action.owner_email)
                except ActionedError as exc:
                    session.rollback()
                    errors[ADD_FIELDS.get((exc.field or "").split(" ")[-1], "task-title")] = forms.sentence(exc.message)
    except InvalidLink:
        return invalid_link(request)
    if errors:
        return page_again(request, token, claim, day, errors, task_values=values)
    return RedirectResponse(f"/a/{token}?saved=task#tasks", status_code=303)


def _update(request: Request, token: str, task_id: int, posted: LinkPost, day: date) -> Response:
    claim, form = posted.claim, posted.form
    status = forms.text(form, "task-status").strip()
    note = forms.text(form, "task-note")
    errors: dict[str, str] = {}
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            task = session.get(Task, task_id) if forms.is_row_id(task_id) else None
            if task is None or task.action_id != action.id:
                return not_found(request)
            assert action.owner_email is not None
            try:
                tasks.update_task(
                    session,
                    task_id=task_id,
                    by=action.owner_email,
                    status=status if status and status != task.status else None,
                    note=note if note.strip() and note.strip() != (task.note or "") else None,
                )
            except ActionedError as exc:
                session.rollback()
                field = "note" if exc.field == "note" else "status"
                errors[f"task-{task_id}-{field}"] = forms.sentence(exc.message)
    except InvalidLink:
        return invalid_link(request)
    if errors:
        return page_again(
            request, token, claim, day, errors, task_posted={"id": task_id, "status": status, "note": note}
        )
    return RedirectResponse(f"/a/{token}?saved=task#task-{task_id}", status_code=303)


def _compose(request: Request, token: str, posted: LinkPost, day: date) -> Response:
    claim = posted.claim
    errors: dict[str, str] = {}
    try:
        with session_scope() as session:
            action = access.action_for(session, claim)
            assert action.id is not None
            assert action.owner_email is not None
            try:
                tasks.compose_from_tasks(session, action_id=action.id, by=action.owner_email)
            except ActionedError as exc:
                session.rollback()
                errors["compose"] = forms.sentence(exc.message)
    except InvalidLink:
        return invalid_link(request)
    if errors:
        return page_again(request, token, claim, day, errors)
    return RedirectResponse(f"/a/{token}?saved=composed#response", status_code=303)


def register(app: FastAPI, today: Callable[[], date]) -> None:
    @app.post("/a/{token}/tasks")
    async def owner_add_task(request: Request, token: str, posted: OwnerPost) -> Response:
        return await run_in_threadpool(_add, request, token, posted, today())

    @app.post("/a/{token}/tasks/{task_id}")
    async def owner_update_task(request: Request, token: str, task_id: int, posted: OwnerPost) -> Response:
        return await run_in_threadpool(_update, request, token, task_id, posted, today())

    @app.post("/a/{token}/compose")
    async def owner_compose(request: Request, token: str, posted: OwnerPost) -> Response:
        return await run_in_threadpool(_compose, request, token, posted, today())
