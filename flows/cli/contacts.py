"""Commands for an agency's contacts, one at a time, as the register page changes them: add, replace, remove, each
saying what it does to the open actions (``--dry-run`` says it and changes nothing, like the page's check step).
"""

from typing import Annotated

import typer

from flows.cli.app import actor, agencies_app, database, echo
from models.rules.errors import ActionedError
from models.store import contacts

By = Annotated[str | None, typer.Option("--by", help="Who is making the change (an email address).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Say what the change would do; change nothing.")]
Agency = Annotated[str, typer.Argument(help="The agency id.")]
Title = Annotated[str, typer.Option("--title", help="The person's title (optional).")]


def _run(changes: list[contacts.ContactChange], *, by: str | None, dry_run: bool) -> list[str]:
    """Plan (and unless ``dry_run``, apply) the changes in one transaction; the effect lines, per change."""
    from notifications import allocation

    lines: list[str] = []
    keys: list[str] = []
    with database() as session:
        for change in changes:
            if dry_run:
                effect = contacts.plan(session, change)
                lines += [f"  would: {line}" for line in effect.lines()]
                continue
            applied = contacts.apply(session, change, by=actor(by))
            keys += allocation.tell_owners(session, applied.allocated.by_owner)
            lines += [f"  {line}" for line in applied.effect.lines(done=True)]
    allocation.send(keys)  # after the commit: the new owners' messages
    return lines


@agencies_app.command("add-contact")
def agencies_add_contact(
    agency: Agency,
    role: Annotated[
        str, typer.Option("--role", help="owner, portfolio_lead, chief_officer, liaison_officer, pcc_contact.")
    ],
    name: Annotated[str, typer.Option("--name", help="The person's name.")],
    email: Annotated[str, typer.Option("--email", help="The person's email address.")],
    title: Title = "",
    by: By = None,
    dry_run: DryRun = False,
) -> None:
    """Add a contact to an agency; the first action owner gets the actions awaiting allocation."""
    change = contacts.ContactChange(kind="add", agency_id=agency, role=role, name=name, email=email, title=title)
    lines = _run([change], by=by, dry_run=dry_run)
    echo(f"{agency}: {'would add' if dry_run else 'added'} {email.strip()} ({role})")
    for line in lines:
        echo(line)


@agencies_app.command("replace-contact")
def agencies_replace_contact(
    agency: Agency,
    email: Annotated[str, typer.Option("--email", help="The address of the contact replaced.")],
    new_email: Annotated[str, typer.Option("--new-email", help="The new person's email address.")],
    name: Annotated[str, typer.Option("--name", help="The new person's name.")],
    role: Annotated[str | None, typer.Option("--role", help="The role (when the contact holds several).")] = None,
    title: Title = "",
    by: By = None,
    dry_run: DryRun = False,
) -> None:
    """Put another person in a contact's place; an action owner's open actions go to them."""
    with database() as session:
        found = contacts.matching(session, agency_id=agency, email=email, role=role)
        if len(found) > 1:
            roles = ", ".join(c.role for c in found)
            raise ActionedError(f"{email} is a contact in several roles ({roles}): give --role", field="--role")
        contact_id, held = found[0].id, found[0].role
    change = contacts.ContactChange(
        kind="replace", agency_id=agency, contact_id=contact_id, name=name, email=new_email, title=title
    )
    lines = _run([change], by=by, dry_run=dry_run)
    echo(f"{agency}: {'would replace' if dry_run else 'replaced'} {email} by {new_email.strip()} ({held})")
    for line in lines:
        echo(line)


@agencies_app.command("remove-contact")
def agencies_remove_contact(
    agency: Agency,
    email: Annotated[str, typer.Option("--email", help="The contact's email address.")],
    role: Annotated[str | None, typer.Option("--role", help="Only in this role (default: every role).")] = None,
    by: By = None,
    dry_run: DryRun = False,
) -> None:
    """Remove a contact from an agency (in one role, or in all of them); an action owner's open actions are freed."""
    with database() as session:
        found = [(c.id, c.email, c.role) for c in contacts.matching(session, agency_id=agency, email=email, role=role)]
    changes = [contacts.ContactChange(kind="remove", agency_id=agency, contact_id=i) for i, _, _ in found]
    lines = _run(changes, by=by, dry_run=dry_run)
    echo(f"{agency}: {'would remove' if dry_run else 'removed'} {', '.join(f'{e} ({r})' for _, e, r in found)}")
    for line in lines:
        echo(line)
