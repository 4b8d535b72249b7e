"""Commands for the national view: the collated national return, the inspectorate's decisions on actions, national
responses that cover many agencies, and where every agency's return stands (``national status``).
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli.app import action_app, actor, database, echo, national_app, print_json, returns_app, settings, table
from flows.cli.app import today_or as _today_or
from models.bank_holidays import around
from models.rules.errors import ActionedError
from models.rules.vocabulary import Closure
from models.store import national
from notifications import closure
from notifications.documents.collate import collated, write_collated
from notifications.signoff import send

Report = Annotated[str, typer.Argument(metavar="REPORT", help="The report id.")]
ActionId = Annotated[int, typer.Argument(metavar="ID")]
Number = Annotated[str, typer.Argument(metavar="NUMBER", help="The recommendation's number.")]
By = Annotated[str | None, typer.Option("--by", help="Who is deciding (an email address).")]
Note = Annotated[str, typer.Option("--note", help="What the inspectorate says; the agency reads it.")]
Today = Annotated[str | None, typer.Option("--today", help="The day to judge from (YYYY-MM-DD).")]
Body = Annotated[str, typer.Option("--body", help="The national body answering (an agency id, e.g. npcc).")]


@returns_app.command("collate")
def returns_collate(
    report: Report,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the .docx and .xlsx.")] = None,
    today: Today = None,
) -> None:
    """The national return: every agency's accepted response side by side (REPORT-national.docx and .xlsx)."""
    folder = (out or settings().returns_dir).resolve()
    if folder.exists() and not folder.is_dir():
        raise ActionedError(f"{folder} is a file, not a folder", field="--out")
    with database() as session:
        c = collated(session, report_id=report, today=_today_or(today))
    for path in write_collated(c, folder):
        echo(str(path))
    echo(f"{c.returns} returns accepted, {c.agencies} agencies addressed, {len(c.recommendations)} recommendations")


def _decide(action_id: int, decision: Closure, note: str, evidence: str, by: str | None) -> None:
    s = settings()
    with database() as session:
        action, _row, keys = closure.decide(
            session,
            action_id=action_id,
            decision=decision,
            note=note,
            evidence=evidence,
            by=actor(by),
            base_url=s.base_url,
            secret_key=s.secret_key(),
        )
        status, owner = action.status, action.owner_email
    send(keys)
    told = f"; {owner} has been sent the note and a fresh link" if keys else ""
    echo(f"action {action_id}: {decision.label.lower()} (status {status}){told}")


@action_app.command("close")
def action_close(
    action_id: ActionId,
    note: Note,
    evidence: Annotated[str, typer.Option("--evidence", help="The evidence the closure relies on.")],
    by: By = None,
) -> None:
    """The inspectorate closes an action (separate from the agency's own "complete"), with the evidence relied on."""
    _decide(action_id, Closure.CLOSED, note, evidence, by)


@action_app.command("further-evidence")
def action_further_evidence(action_id: ActionId, note: Note, by: By = None) -> None:
    """The inspectorate needs more evidence: the action reopens, the ladder restarts, the owner gets the note and a
    fresh link.
    """
    _decide(action_id, Closure.FURTHER_EVIDENCE, note, "", by)


@national_app.command("respond")
def national_respond(
    report: Report,
    number: Number,
    body: Body,
    response: Annotated[str, typer.Option("--response", help="The national response's text.")],
    by: By = None,
) -> None:
    """Record a national body's response to a recommendation, on behalf of the agencies it speaks for."""
    with database() as session:
        row = national.record_national_response(
            session, report_id=report, number=number, body_id=body, response=response, by=actor(by)
        )
        echo(f"{body}'s national response to recommendation {number} of {report} recorded (id {row.id})")


@national_app.command("cover")
def national_cover(
    report: Report,
    number: Number,
    body: Body,
    agency: Annotated[
        list[str] | None, typer.Option("--agency", help="An agency it covers (repeatable; default: every agency).")
    ] = None,
    by: By = None,
) -> None:
    """Point agencies' actions at a national response: their returns say they are covered by it."""
    with database() as session:
        changed = national.cover(
            session, report_id=report, number=number, body_id=body, agency_ids=agency or None, by=actor(by)
        )
        echo(f"{len(changed)} actions on recommendation {number} now covered by {body}'s national response")


@national_app.command("status")
def national_status(
    report: Report,
    late: Annotated[bool, typer.Option("--late", help="Only the returns late today.")] = False,
    today: Today = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Every addressed agency's return: its state, working days late, RAG of its actions, last message sent."""
    day = _today_or(today)
    with database() as session:
        found = national.standings(session, report_id=report, today=day, holidays=around(day))
    rows = [s for s in found if s.days_late > 0 and s.accepted_at is None] if late else found
    data: list[dict[str, Any]] = [
        {
            "agency": s.agency_id,
            "name": s.agency_name,
            "return": s.progress.value,
            "days_late": s.days_late,
            "rag": s.worst.value,
            "actions": s.actions,
            "last_message": f"{s.trail[0][1]} to {s.trail[0][2]} ({s.trail[0][3]})" if s.trail else "",
        }
        for s in rows
    ]
    if as_json:
        print_json(data)
        return
    echo(
        table(
            ["agency", "return", "late", "rag", "last message"],
            [[d["agency"], d["return"], d["days_late"] or "-", d["rag"], d["last_message"] or "-"] for d in data],
        )
    )


@national_app.command("receive")
def national_receive() -> None:
    """Read the return address's mailbox (ACTIONED_IMAP_URL) and keep each reply in its agency's return history."""
    from flows.prefect_env import run_flow
    from flows.receive_replies import receive_replies
    from notifications.inbox import configured_mailbox

    configured_mailbox()  # a missing or malformed setting is one clear line before any flow starts
    result = run_flow(receive_replies)
    echo(f"{len(result['recorded'])} replies recorded; {len(result['unmatched'])} messages answer no return")
