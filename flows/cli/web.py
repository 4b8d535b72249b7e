"""Commands for the owners' pages and what they do, so an administrator can do at the command line whatever a page
can: ``web``, ``action link|approve|reject|evidence|revoke``, ``agencies link|revoke``.
"""

from pathlib import Path
from typing import Annotated

import typer

from flows.cli.app import action_app, actor, agencies_app, app, database, echo, existing_file, settings
from models import links
from models.rules.errors import ActionedError
from models.rules.vocabulary import Actor
from models.store import evidence
from models.store.actions import get_action
from models.store.register import get_agency
from models.store.reports import get_report
from notifications import signoff

By = Annotated[str | None, typer.Option("--by", help="Who is making the change (an email address).")]


@app.command("web")
def web(
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.")] = 8000,
) -> None:
    """Serve the owners' pages (links point at ACTIONED_BASE_URL) and the staff pages (signed in)."""
    import uvicorn

    from models.staff import load_grants
    from models.store.db import migrate
    from web.app import create_app

    s = settings()
    load_grants(s.staff_file)  # a staff file that does not read: one line now, not an error page for everyone later
    migrate()
    echo(f"Actioned pages on http://{host}:{port} (links point at {s.base_url}); Ctrl+C stops")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", server_header=False)


@action_app.command("link")
def action_link(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    role: Annotated[str, typer.Option(help="owner (the action's page) or signer (the sign-off page).")] = "owner",
) -> None:
    """Print a fresh signed link to the action's page (for an owner whose link has expired)."""
    if role not in ("owner", "signer"):
        raise ActionedError(f"{role!r} is not a role (expected owner or signer)", field="--role")
    s = settings()
    with database() as session:
        action = get_action(session, action_id=action_id)
        if role == "owner" and not action.owner_email:
            raise ActionedError(
                f"action {action_id} has no owner yet (actioned action assign {action_id} --owner EMAIL)"
            )
        assignment = action.assignment
    echo(links.action_url(s.base_url, s.secret_key(), action_id=action_id, assignment=assignment, role=role))


def _decide(action_id: int, decision: str, reason: str, by: str | None) -> None:
    s = settings()
    with database() as session:
        action = get_action(session, action_id=action_id)
        who = by or actor(None)
        keys = signoff.sign_off(
            session,
            action_id=action_id,
            decision=decision,
            reason=reason,
            by=who,
            actor=Actor.ADMIN if by is None else Actor.SIGNER,
            base_url=s.base_url,
            secret_key=s.secret_key(),
        )
        status = action.status
    signoff.send(keys)
    told = " (the owner has been told)" if keys and decision == "reject" else ""
    echo(f"action {action_id}: {status}{told}")


@action_app.command("approve")
def action_approve(action_id: Annotated[int, typer.Argument(metavar="ID")], by: By = None) -> None:
    """Sign off an action pending sign-off: it becomes complete."""
    _decide(action_id, "approve", "", by)


@action_app.command("reject")
def action_reject(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why it is sent back; the owner is told.")],
    by: By = None,
) -> None:
    """Send an action pending sign-off back to its owner (in progress), with a reason."""
    _decide(action_id, "reject", reason, by)


@action_app.command("evidence")
def action_evidence(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    file: Annotated[Path | None, typer.Option(help="A file to keep as evidence.")] = None,
    url: Annotated[str | None, typer.Option(help="A link to evidence kept elsewhere.")] = None,
    by: By = None,
) -> None:
    """Add evidence to an action: a file (size limit, allowed types, kept with its SHA-256) or a link."""
    if (file is None) == (url is None):
        raise ActionedError("give one of --file FILE or --url URL")
    s = settings()
    with database() as session:
        if file is not None:
            path = existing_file(file)
            row = evidence.add_file(
                session, action_id=action_id, filename=path.name, data=path.read_bytes(), by=actor(by), home=s.home
            )
            what = f"{row.filename} ({row.size} bytes, sha256 {row.sha256})"
        else:
            assert url is not None
            row = evidence.add_link(session, action_id=action_id, url=url, by=actor(by))
            what = row.url or ""
    echo(f"action {action_id}: evidence {row.id} added: {what}")


@action_app.command("revoke")
def action_revoke(action_id: Annotated[int, typer.Argument(metavar="ID")], by: By = None) -> None:
    """Withdraw every link to the action issued so far (owner's and signer's); fresh ones work."""
    with database() as session:
        links.revoke_links(session, action_id=action_id, by=actor(by))
    echo(f"action {action_id}: links issued until now no longer work")


@agencies_app.command("link")
def agencies_link(
    agency: Annotated[str, typer.Argument(help="The agency id.")],
    report: Annotated[str, typer.Option("--report", help="The report id.")],
) -> None:
    """Print a signed link to the liaison officer's page: the agency's actions for a report."""
    s = settings()
    with database() as session:
        get_report(session, report_id=report)
        get_agency(session, agency_id=agency)
    echo(links.liaison_url(s.base_url, s.secret_key(), agency_id=agency, report_id=report))


@agencies_app.command("revoke")
def agencies_revoke(
    agency: Annotated[str, typer.Argument(help="The agency id.")],
    report: Annotated[str, typer.Option("--report", help="The report id.")],
    by: By = None,
) -> None:
    """Withdraw every liaison link to the agency's page for a report issued so far; fresh ones work."""
    from models.store.liaison_links import revoke_liaison_links

    with database() as session:
        revoke_liaison_links(session, report_id=report, agency_id=agency, by=actor(by))
    echo(f"{agency} / {report}: liaison links issued until now no longer work (actioned agencies link for a new one)")
