"""Commands for findings linked across reports: "recurs in", "superseded by"."""

from typing import Annotated

import typer

from flows.cli.app import actor, database, echo, report_app
from models.rules.item_links import parse_item, parse_relation
from models.store import item_links


@report_app.command("link")
def report_link(
    source: Annotated[str, typer.Argument(metavar="FROM", help="REPORT/NUMBER or REPORT/KIND/NUMBER.")],
    relation: Annotated[str, typer.Argument(metavar="RELATION", help="recurs_in or superseded_by.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="REPORT/NUMBER or REPORT/KIND/NUMBER.")],
    by: Annotated[str | None, typer.Option("--by", help="Who is making the link (an email address).")] = None,
) -> None:
    """Link a finding to one in another report ("recurs in", "superseded by"); its actions' pages and the pack show it."""
    frm, how, to = (
        parse_item(source, field="from"),
        parse_relation(relation, field="relation"),
        parse_item(target, field="to"),
    )
    with database() as session:
        item_links.link_items(session, source=frm, relation=how, target=to, by=actor(by))
    echo(f"{frm} {how.value.replace('_', ' ')} {to}")
