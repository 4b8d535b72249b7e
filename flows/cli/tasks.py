"""Commands for sub-actions: split an action into tasks, change a task, compose the action's response from them."""

from typing import Annotated

import typer

from flows.cli.app import action_app, actor, app, database, echo, parse_date, print_json, table
from models.rules.tasks import parse_task
from models.store import tasks
from models.store.tables import Task

task_app = typer.Typer(help="One task of an action split into tasks: update it.", no_args_is_help=True)
app.add_typer(task_app, name="task")

By = Annotated[str | None, typer.Option("--by", help="Who is making the change (an email address).")]


def task_rows(found: list[Task]) -> list[list[object]]:
    return [[t.id, t.position, t.title, t.owner_email, t.due_on or "", t.status, t.note or ""] for t in found]


TASK_HEADERS = ["task", "#", "title", "owner", "due", "status", "note"]


@action_app.command("split")
def action_split(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    task: Annotated[
        list[str],
        typer.Option(help="A task, as TITLE|OWNER EMAIL|YYYY-MM-DD (the date may be left out); give one per task."),
    ],
    by: By = None,
) -> None:
    """Split an action into tasks, each with its own owner, due date and reminders (added after any it has)."""
    specs = [parse_task(text, field=f"--task {i}") for i, text in enumerate(task, start=1)]
    with database() as session:
        tasks.split_action(session, action_id=action_id, tasks=specs, by=actor(by))
        found = tasks.tasks_of(session, action_id=action_id)
        echo(f"action {action_id}: {len(specs)} task{'s' if len(specs) != 1 else ''} added")
        echo(table(TASK_HEADERS, task_rows(found)))


@action_app.command("tasks")
def action_tasks(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """An action's tasks: owner, due date, status and note of each."""
    with database() as session:
        found = tasks.tasks_of(session, action_id=action_id)
        if as_json:
            print_json([t.model_dump(exclude={"created_at", "updated_at"}) for t in found])
            return
        echo(table(TASK_HEADERS, task_rows(found)) if found else f"action {action_id} has no tasks")


@action_app.command("compose")
def action_compose(action_id: Annotated[int, typer.Argument(metavar="ID")], by: By = None) -> None:
    """Set an action's response to its tasks' notes, in task order (edit it afterwards with action update)."""
    with database() as session:
        action = tasks.compose_from_tasks(session, action_id=action_id, by=actor(by))
        echo(f"action {action_id}: response composed from its tasks:\n{action.response}")


@task_app.command("update")
def task_update(
    task_id: Annotated[int, typer.Argument(metavar="ID")],
    status: Annotated[str | None, typer.Option(help="open, in_progress or done (done needs a note).")] = None,
    note: Annotated[str | None, typer.Option(help="What was done: the action's response is composed from it.")] = None,
    owner: Annotated[str | None, typer.Option(help="A new owner (an email address).")] = None,
    due: Annotated[str | None, typer.Option(help="A new due date (YYYY-MM-DD), no later than the action's.")] = None,
    by: By = None,
) -> None:
    """Change one task: its status, note, owner or due date (a new owner or date restarts its reminders)."""
    due_on = parse_date(due, field="--due")
    with database() as session:
        done = tasks.update_task(
            session, task_id=task_id, by=actor(by), status=status, note=note, owner_email=owner, due_on=due_on
        )
        echo(
            f"task {task_id} (action {done.action_id}, task {done.position}): {done.status}, owner {done.owner_email}"
            + (f", due {done.due_on.isoformat()}" if done.due_on else "")
        )
