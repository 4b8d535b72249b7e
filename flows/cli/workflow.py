"""Commands for the workflow around one action: due-date changes asked and decided, and the committee pack."""

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.app import action_app, actor, app, database, echo, parse_date, today_or
from models.rules.errors import ActionedError
from models.store import due_dates

By = Annotated[str | None, typer.Option("--by", help="Who is making the change (an email address).")]


@action_app.command("due")
def action_due(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    to: Annotated[str, typer.Option("--to", help="The new due date (YYYY-MM-DD).")],
    reason: Annotated[str | None, typer.Option(help="Why the date should move (required).")] = None,
    by: By = None,
) -> None:
    """Ask for an action's due date to move; the portfolio lead or liaison officer approves it."""
    to_on = parse_date(to, field="--to")
    assert to_on is not None
    from notifications import signoff

    with database() as session:
        change = due_dates.request_change(session, action_id=action_id, to_on=to_on, reason=reason, by=actor(by))
        keys = signoff.queue_due_request(session, action_id=action_id)
    signoff.send(keys)  # the portfolio lead (else the liaison officer) gets a signed link to decide
    was = change.from_on.isoformat() if change.from_on else "no date"
    echo(f"action {action_id}: due-date change {was} -> {change.to_on.isoformat()} asked; waiting for approval")


@action_app.command("due-approve")
def action_due_approve(action_id: Annotated[int, typer.Argument(metavar="ID")], by: By = None) -> None:
    """Approve the due-date change waiting on an action (the agency's portfolio lead or liaison officer); the owner
    is told at once, with the calendar update.
    """
    from notifications import due_moved

    with database() as session:
        change = due_dates.decide_change(session, action_id=action_id, approve=True, by=actor(by))
        keys = due_moved.decide(session, action_ids=[action_id])
    due_moved.send(keys)
    echo(f"action {action_id}: now due {change.to_on.isoformat()} (was {change.from_on or 'no date'})")


@action_app.command("due-refuse")
def action_due_refuse(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str | None, typer.Option(help="Why the change is refused (required).")] = None,
    by: By = None,
) -> None:
    """Refuse the due-date change waiting on an action, with a reason; the date stays."""
    with database() as session:
        change = due_dates.decide_change(session, action_id=action_id, approve=False, by=actor(by), note=reason)
    echo(f"action {action_id}: due-date change refused; still due {change.from_on or 'no date'}")


@app.command("pack")
def pack_command(
    agency: Annotated[str, typer.Option(help="The agency the pack is for.")],
    since: Annotated[str, typer.Option(help="The last committee meeting (YYYY-MM-DD).")],
    next_meeting: Annotated[
        str | None, typer.Option("--next", help="The next meeting (YYYY-MM-DD); default: 91 days after --today.")
    ] = None,
    today: Annotated[str | None, typer.Option(help="The day the pack is made for (YYYY-MM-DD).")] = None,
    out: Annotated[Path, typer.Option(help="The folder to write the pack into.")] = Path(),
) -> None:
    """The audit committee's exception report as Word and Excel: overdue, due before the next meeting, closed since
    the last, dates changed (with reasons), not accepted, and open findings by RAG over time.
    """
    from datetime import timedelta

    from notifications.documents import pack

    day = today_or(today)
    last = parse_date(since, field="--since")
    assert last is not None
    upcoming = parse_date(next_meeting, field="--next") or day + timedelta(days=91)
    if last > day:
        raise ActionedError(f"--since: {last.isoformat()} is after the pack's day ({day.isoformat()})")
    with database() as session:
        content = pack.gather(session, agency_id=agency, since=last, next_meeting=upcoming, today=day)
    if out.exists() and not out.is_dir():
        raise ActionedError(f"--out: {out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    docx, xlsx = pack.write(content, out)
    echo(f"{docx}\n{xlsx}")
    echo(
        f"{agency}: {len(content.overdue)} overdue, {len(content.due_soon)} due before {upcoming.isoformat()}, "
        f"{len(content.closed)} closed since {last.isoformat()}, {len(content.date_changes)} dates changed, "
        f"{len(content.not_accepted)} not accepted"
    )
