"""Commands for section 55 comments: the date a local policing body sets for its force's chief officer's comments."""

from typing import Annotated

import typer

from flows.cli.app import actor, database, echo, parse_date, returns_app
from models.store import s55


@returns_app.command("chief-date")
def chief_date(
    report: Annotated[str, typer.Argument(metavar="REPORT")],
    agency: Annotated[str, typer.Option(help="The local policing body that owes the s.55 comments.")],
    on: Annotated[str, typer.Option("--date", help="When the chief officer's comments are due (YYYY-MM-DD).")],
    by: Annotated[str | None, typer.Option("--by", help="The body's PCC contact or liaison officer.")] = None,
) -> None:
    """Set when the force's chief officer's comments are due to the body (s.55: asked first, reminded towards it)."""
    due_on = parse_date(on, field="--date")
    assert due_on is not None
    with database() as session:
        row = s55.set_chief_date(session, report_id=report, body_id=agency, due_on=due_on, by=actor(by))
    echo(f"{agency} on {report}: the chief officer's comments are due {row.due_on.isoformat()}")
