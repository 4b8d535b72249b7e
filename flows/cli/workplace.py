"""Commands for what the staff pages do to an action's owner and show of an agency's messages: send a fresh link,
chase now, the delivery log (``actioned action send-link``, ``action chase``, ``agencies deliveries``).
"""

from typing import Annotated

import typer

from flows.cli.app import action_app, actor, agencies_app, database, echo, print_json, table, today_or
from models.rules.errors import ActionedError
from models.store import delivery_log
from models.store.register import get_agency
from models.store.reports import get_report
from notifications import allocation, owner_messages

By = Annotated[str | None, typer.Option("--by", help="Who is sending it (named in the message).")]
Today = Annotated[str | None, typer.Option(help="The day it counts for, once a day (YYYY-MM-DD).")]


def _send(action_id: int, what: str, by: str | None, today: str | None) -> owner_messages.Decided:
    with database() as session:
        decided = owner_messages.decide(session, action_id=action_id, what=what, by=actor(by), today=today_or(today))
    if decided.new:
        allocation.send([decided.key])
    return decided


@action_app.command("send-link")
def action_send_link(
    action_id: Annotated[int, typer.Argument(metavar="ID")], by: By = None, today: Today = None
) -> None:
    """Send the owner a message with a fresh link to the action (once a day; the link is never printed)."""
    decided = _send(action_id, owner_messages.FRESH_LINK, by, today)
    echo(
        f"action {action_id}: {'fresh link sent' if decided.new else 'a fresh link was already sent today'} to {decided.to}"
    )


@action_app.command("chase")
def action_chase(action_id: Annotated[int, typer.Argument(metavar="ID")], by: By = None, today: Today = None) -> None:
    """Chase the owner now, outside the reminder ladder (once a day)."""
    decided = _send(action_id, owner_messages.CHASE, by, today)
    echo(f"action {action_id}: {'chaser sent' if decided.new else 'already chased today'} to {decided.to}")


@agencies_app.command("deliveries")
def agencies_deliveries(
    agency: Annotated[str, typer.Argument(help="The agency id.")],
    status: Annotated[str | None, typer.Option(help="Only this state (pending, sent, partly_sent, failed...).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind of message (reminder, chaser, return...).")] = None,
    report: Annotated[str | None, typer.Option(help="Only this report.")] = None,
    page: Annotated[int, typer.Option(help="The page, newest first (50 a page).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The agency's delivery log: every message decided for it, with its state and the reason."""
    if kind is not None and kind not in delivery_log.KINDS:
        raise ActionedError(f"{kind!r} is not a kind of message (expected one of: {', '.join(delivery_log.KINDS)})")
    with database() as session:
        get_agency(session, agency_id=agency)
        if report is not None:
            get_report(session, report_id=report)
        found = delivery_log.log_page(
            session,
            agency_id=agency,
            wanted=delivery_log.LogFilter(status=status, kind=kind, report_id=report),
            page=page,
        )
        rows = [
            {
                "id": d.id,
                "decided_at": d.created_at.isoformat(),
                "kind": d.kind,
                "report": d.report_id,
                "action": d.action_id,
                "to": d.recipient,
                "status": d.status,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                "subject": d.subject,
            }
            for d in found.rows
        ]
    if as_json:
        print_json({"total": found.total, "page": found.page, "pages": found.pages, "deliveries": rows})
        return
    echo(
        table(
            ["decided", "kind", "to", "status", "reason"],
            [[d.created_at.isoformat()[:16], d.kind, d.recipient, d.status, d.last_error or ""] for d in found.rows],
        )
    )
    echo(f"{found.total} messages; page {found.page} of {found.pages}")
