"""Sub-actions: splitting an action into tasks, changing a task, and composing the action's response from the tasks'
notes. The rules are ``models.rules.tasks``; every change leaves an event on the action (kind ``task``), and a task
whose owner or due date changes starts its own reminder ladder again (``round``).
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from models.rules.errors import ActionedError, NotFound
from models.rules.tasks import (
    TaskError,
    TaskNote,
    TaskSpec,
    check_split,
    check_task_change,
    compose_response,
    parse_task_status,
)
from models.rules.vocabulary import EventKind, Status, TaskStatus
from models.store.actions import get_action, update_action, write_action
from models.store.tables import Action, Event, Task

_TASKS = select(Task).where(col(Task.action_id) == bindparam("action_id")).order_by(col(Task.position))
"""Built once: the owner's and the staff action page read it on every request."""


def tasks_of(session: Session, *, action_id: int) -> list[Task]:
    """The action's tasks in order."""
    return list(session.exec(_TASKS, params={"action_id": action_id}))


def tasks_not_done(session: Session, *, action_id: int) -> int:
    return int(
        session.exec(
            select(func.count()).select_from(Task).where(Task.action_id == action_id, Task.status != TaskStatus.DONE)
        ).one()
    )


def get_task(session: Session, *, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"task {task_id} does not exist")
    return task


def _checked_email(value: str, *, about: str) -> str:
    from models.definitions import check_email

    try:
        return check_email(value)
    except ValueError as exc:
        raise TaskError(str(exc), field="owner", about=about) from None


def split_action(
    session: Session, *, action_id: int, tasks: Sequence[TaskSpec], by: str, now: datetime | None = None
) -> list[Task]:
    """Add ``tasks`` to the action (after any it has): one event per task. Nothing is added when one is refused."""
    now = now or datetime.now(UTC)
    action = get_action(session, action_id=action_id)
    about = f"action {action_id}"
    existing = tasks_of(session, action_id=action_id)
    try:
        check_split(
            status=Status(action.status),
            due_on=action.due_on,
            tasks=[*[TaskSpec(t.title, t.owner_email, t.due_on) for t in existing], *tasks],
        )
    except TaskError as exc:
        raise exc.concerning(about) from None
    position = max((t.position for t in existing), default=0)
    added: list[Task] = []
    events: list[Event] = []
    for spec in tasks:
        position += 1
        task = Task(
            action_id=action_id,
            position=position,
            title=spec.title,
            owner_email=_checked_email(spec.owner_email, about=f"{about}: task {position}"),
            due_on=spec.due_on,
            created_at=now,
            updated_at=now,
        )
        session.add(task)
        added.append(task)
        due = f", due {spec.due_on.isoformat()}" if spec.due_on else ""
        events.append(
            Event(
                action_id=action_id,
                actor=by,
                kind=EventKind.TASK,
                to_value=f"task {position}: {spec.title}",
                note=f"owner {task.owner_email}{due}",
            )
        )
    write_action(session, action=action, values={}, events=events, expected_version=None, now=now)
    for task in added:
        session.refresh(task)
    return added


def update_task(
    session: Session,
    *,
    task_id: int,
    by: str,
    status: str | None = None,
    note: str | None = None,
    owner_email: str | None = None,
    due_on: date | None = None,
    now: datetime | None = None,
) -> Task:
    """Change a task's status, note, owner or due date under the rule; one event on its action per change."""
    now = now or datetime.now(UTC)
    task = get_task(session, task_id=task_id)
    action = get_action(session, action_id=task.action_id)
    about = f"task {task_id}"
    try:
        to = parse_task_status(status) if status is not None else None
        check_task_change(
            action_status=Status(action.status),
            to=to,
            note=note if note is not None else task.note,
            due_on=due_on,
            action_due_on=action.due_on,
        )
    except TaskError as exc:
        raise exc.concerning(about) from None
    name = f"task {task.position}: {task.title}"
    events: list[Event] = []

    def changed(what: str, old: str | None, new: str | None, text: str | None = None) -> None:
        events.append(
            Event(
                action_id=action.id or 0,
                actor=by,
                kind=EventKind.TASK,
                from_value=old,
                to_value=new,
                note=f"{name}: {what}" + (f": {text}" if text else ""),
            )
        )

    if to is not None and to != task.status:
        changed("status", task.status, to.value)
        task.status = to.value
    if note is not None and note.strip() and note.strip() != (task.note or ""):
        changed("note", task.note, note.strip())
        task.note = note.strip()
    if owner_email is not None:
        owner = _checked_email(owner_email, about=about)
        if owner != task.owner_email:
            changed("owner", task.owner_email, owner)
            task.owner_email, task.owner_name, task.round = owner, None, task.round + 1
    if due_on is not None and due_on != task.due_on:
        changed("due date", task.due_on.isoformat() if task.due_on else None, due_on.isoformat())
        task.due_on, task.round = due_on, task.round + 1
    if not events:
        raise ActionedError(f"{about}: nothing to change (give --status, --note, --owner or --due)")
    task.updated_at = now
    session.add(task)
    write_action(session, action=action, values={}, events=events, expected_version=None, now=now)
    session.refresh(task)
    return task


def compose_from_tasks(
    session: Session, *, action_id: int, by: str, expected_version: int | None = None, now: datetime | None = None
) -> Action:
    """Set the action's response to its tasks' notes, composed in task order (an event records the change)."""
    action = get_action(session, action_id=action_id)
    tasks = tasks_of(session, action_id=action_id)
    if not tasks:
        raise TaskError(
            "the action has no tasks to compose a response from", field="response", about=f"action {action_id}"
        )
    try:
        text = compose_response([TaskNote(t.position, t.title, t.note) for t in tasks])
    except TaskError as exc:
        raise exc.concerning(f"action {action_id}") from None
    if text == action.response:
        return action
    return update_action(session, action_id=action_id, by=by, response=text, expected_version=expected_version, now=now)
