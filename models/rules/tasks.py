"""Sub-actions: one action split into tasks, each with its own owner, due date, status and note. Pure: dates and
statuses come in as parameters.

What forces do (one service turned 24 areas for improvement into 88 actions): a finding is owned by one person who
answers for it, while the work is shared out. So the action keeps its owner, who composes the response; each task has
an owner who is reminded of it; and the action goes for sign-off as complete only when every task is done. A task's
note says what was done, so marking a task done needs one: the notes are what the response is composed from.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from models.rules.errors import ActionedError
from models.rules.vocabulary import WORKING, Status, TaskStatus, member_named

SEPARATOR = "|"
"""How a task is written on the command line: ``TITLE|OWNER EMAIL|DUE DATE`` (the date may be left out)."""


class TaskError(ActionedError):
    """A task that cannot be added or changed: the message says why and names the field."""


@dataclass(frozen=True)
class TaskSpec:
    """A task as asked for: what, who, by when."""

    title: str
    owner_email: str
    due_on: date | None = None


def parse_task(text: str, *, field: str = "--task") -> TaskSpec:
    """``"Train the call handlers|ann@force.example.org|2021-05-01"`` as a task, or one line naming ``field``."""
    parts = [p.strip() for p in text.split(SEPARATOR)]
    if len(parts) not in (2, 3):
        raise TaskError(f"{text!r}: expected TITLE{SEPARATOR}OWNER EMAIL[{SEPARATOR}YYYY-MM-DD]", field=field)
    title, owner = parts[0], parts[1]
    if not title:
        raise TaskError(f"{text!r}: the task has no title", field=field)
    if "@" not in owner or owner.startswith("@") or owner.endswith("@") or " " in owner:
        raise TaskError(f"{owner!r} is not an email address", field=field)
    due_on = None
    if len(parts) == 3 and parts[2]:
        try:
            due_on = date.fromisoformat(parts[2])
        except ValueError:
            raise TaskError(f"{parts[2]!r} is not a date (expected YYYY-MM-DD)", field=field) from None
    return TaskSpec(title, owner.lower(), due_on)


def check_split(*, status: Status, due_on: date | None, tasks: Sequence[TaskSpec]) -> None:
    """Why an action at ``status`` (due ``due_on``) cannot be split into ``tasks``, as a TaskError; else nothing.

    Only an action being worked on is split (an action awaiting allocation has nobody to answer for its tasks; a
    pending or closed one is past the work). A task due after its action would make the action late by design.
    """
    if not tasks:
        raise TaskError("give at least one task (--task TITLE|OWNER EMAIL|YYYY-MM-DD)", field="task")
    if status not in WORKING:
        raise TaskError(
            f"a {status.value} action cannot be split into tasks (open or in progress only)", field="status"
        )
    titles = [t.title.casefold() for t in tasks]
    for i, spec in enumerate(tasks, start=1):
        if spec.title.casefold() in titles[: i - 1]:
            raise TaskError(f"two tasks are called {spec.title!r}", field=f"task {i} title")
        if due_on is not None and spec.due_on is not None and spec.due_on > due_on:
            raise TaskError(
                f"{spec.due_on.isoformat()} is after the action's due date ({due_on.isoformat()})",
                field=f"task {i} due",
            )


def parse_task_status(value: str, *, field: str = "status") -> TaskStatus:
    return member_named(TaskStatus, value, what="a task status", field=field, error=TaskError)


def check_task_change(
    *, action_status: Status, to: TaskStatus | None, note: str | None, due_on: date | None, action_due_on: date | None
) -> None:
    """Why a task cannot move to ``to`` (and/or take ``note`` and ``due_on``), as a TaskError; else nothing.

    Tasks change only while their action is worked on. "Done" needs a note saying what was done (the task's existing
    note counts): the action's owner composes the response from those notes.
    """
    if action_status not in WORKING:
        raise TaskError(f"the action is {action_status.value}: its tasks can no longer change", field="status")
    if to is TaskStatus.DONE and not (note and note.strip()):
        raise TaskError("say what was done: marking a task done needs a note", field="note")
    if due_on is not None and action_due_on is not None and due_on > action_due_on:
        raise TaskError(
            f"{due_on.isoformat()} is after the action's due date ({action_due_on.isoformat()})", field="due"
        )


def tasks_left(statuses: Iterable[str]) -> int:
    """How many of an action's tasks are not done."""
    return sum(1 for s in statuses if s != TaskStatus.DONE)


def signoff_refusal(*, tasks_not_done: int, requested: Status) -> str | None:
    """Why an action cannot go for sign-off as complete while tasks are left, or None.

    "Not accepted" and "superseded" end the work whatever the tasks' state: they are explained by their reason.
    """
    if tasks_not_done and requested in (Status.COMPLETE, Status.PENDING_SIGNOFF):
        many = "task is" if tasks_not_done == 1 else "tasks are"
        return f"{tasks_not_done} {many} not done yet: the action is ready for sign-off when every task is done"
    return None


@dataclass(frozen=True)
class TaskNote:
    position: int
    title: str
    note: str | None


def compose_response(tasks: Sequence[TaskNote]) -> str:
    """The response the owner starts from: each task's note under its title, in task order (tasks without a note
    are left out). Raises TaskError when no task has a note yet.
    """
    parts = [
        f"{t.title}: {t.note.strip()}" for t in sorted(tasks, key=lambda t: t.position) if t.note and t.note.strip()
    ]
    if not parts:
        raise TaskError("no task has a note yet: there is nothing to compose the response from", field="response")
    return "\n\n".join(parts)
