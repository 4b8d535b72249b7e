"""Commands for the register, the fan-out and actions: init, report, agencies, assign, actions, action, status, run."""

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import Session

from flows.cli.app import (
    action_app,
    actions_app,
    actor,
    agencies_app,
    app,
    database,
    echo,
    existing_file,
    print_json,
    report_app,
    settings,
    table,
    today_or,
    warn,
)
from flows.prefect_env import run_flow
from models.files import load_register, load_report
from models.rules.errors import ActionedError
from models.rules.rag import action_rag
from models.rules.vocabulary import CLOSED, Actor
from models.store import item_links, status
from models.store.actions import ActionRow, events_for, get_action, list_actions
from models.store.register import import_register
from models.store.reports import get_report, import_report, list_recommendations, list_reports, report_due_on
from models.store.tasks import tasks_of

DATA = Path(__file__).resolve().parents[2] / "models" / "data"
REGISTER_FILE = DATA / "agencies.yaml"
EXAMPLES_FILE = DATA / "example-contacts.yaml"
REPORTS_DIR = DATA / "reports"

By = Annotated[str | None, typer.Option("--by", help="Who is making the change (an email address).")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def load_shipped(session: Session, *, examples: bool) -> list[str]:
    """Load the shipped register (and, with ``examples``, the example contacts and shipped reports)."""
    lines = []
    summary = import_register(
        session, register=load_register(REGISTER_FILE), source=REGISTER_FILE.name, keep_local=True
    )  # keep_local: a rerun adds what the shipped register gained and never reverts what was edited here
    lines.append(f"register: {summary.agencies_added} agencies added, {summary.groups} groups")
    if examples:
        contacts = import_register(
            session, register=load_register(EXAMPLES_FILE), source=EXAMPLES_FILE.name, keep_local=True
        )
        lines.append(f"example contacts: {contacts.contacts_added} added, {contacts.contacts_updated} updated")
        for path in sorted(REPORTS_DIR.glob("*.yaml")):
            report = import_report(session, definition=load_report(path), source=path.name)
            lines.append(f"report {report.report_id}: {len(report.recommendations_added)} recommendations added")
    return lines


@app.command("init")
def init(
    examples: Annotated[
        bool, typer.Option("--examples", help="Also load the shipped report(s) and example contacts.")
    ] = False,
) -> None:
    """Create the database and load the shipped register."""
    with database() as session:
        for line in load_shipped(session, examples=examples):
            echo(line)


@report_app.command("import")
def report_import(path: Annotated[Path, typer.Argument(help="A report definition (YAML).")]) -> None:
    """Register a report from its definition; re-import updates, never duplicates."""
    from notifications import due_moved

    definition = load_report(existing_file(path))
    with database() as session:
        summary = import_report(session, definition=definition, source=str(path))
        keys = due_moved.decide(session, report_id=summary.report_id) if summary.actions_moved else []
    due_moved.send(keys)  # the owners whose dates the report moved: told now, with the calendar update
    verb = "registered" if summary.created else "updated"
    echo(
        f"{summary.report_id}: {verb}; recommendations added: {', '.join(summary.recommendations_added) or 'none'}; "
        f"updated: {', '.join(summary.recommendations_updated) or 'none'}"
    )
    if summary.recommendations_kept:
        warn(
            f"recommendations {', '.join(summary.recommendations_kept)} are no longer in {path}: "
            "kept, with their actions (nothing is deleted)"
        )


@report_app.command("list")
def report_list(as_json: Json = False) -> None:
    """The registered reports."""
    with database() as session:
        rows = []
        for report in list_reports(session):
            rec_count = len(list_recommendations(session, report_id=report.id))
            rows.append(
                {
                    "id": report.id,
                    "title": report.title,
                    "published_on": report.published_on.isoformat(),
                    "return_due_on": (d.isoformat() if (d := report_due_on(report)) else None),
                    "return_address": report.return_address,
                    "recommendations": rec_count,
                }
            )
    if as_json:
        print_json(rows)
        return
    if not rows:
        echo("no reports registered (actioned report import FILE, or actioned init --examples)")
        return
    echo(
        table(
            ["id", "published", "returns due", "recs", "title"],
            [[r["id"], r["published_on"], r["return_due_on"], r["recommendations"], r["title"]] for r in rows],
        )
    )


@agencies_app.command("import")
def agencies_import(
    path: Annotated[Path, typer.Argument(help="Agencies and contacts (CSV or YAML).")],
    replace_contacts: Annotated[
        bool,
        typer.Option("--replace-contacts", help="Each agency in the file keeps only the contacts the file gives it."),
    ] = False,
) -> None:
    """Add or update agencies and their contacts."""
    from notifications import allocation

    register = load_register(existing_file(path))
    with database() as session:
        s = import_register(session, register=register, source=str(path), replace_contacts=replace_contacts)
        allocated, keys = allocation.allocate(session, agency_ids=[a.id for a in register.agencies])
    allocation.send(keys)  # after the commit: what was decided is logged even if sending fails
    removed = f", removed {s.contacts_removed}" if replace_contacts else ""
    echo(
        f"{path}: agencies added {s.agencies_added}, updated {s.agencies_updated}; "
        f"contacts added {s.contacts_added}, updated {s.contacts_updated}{removed}"
    )
    if allocated.count:
        echo(f"allocated {allocated.count} actions awaiting an owner; {len(keys)} owners told")


@app.command("assign")
def assign_command(report: Annotated[str, typer.Argument(help="The report id.")]) -> None:
    """Fan a report out into one action per (recommendation, addressed agency). Idempotent."""
    with database() as session:
        get_report(session, report_id=report)
    from flows.assign import assign

    summary = run_flow(assign, report)
    per_rec = ", ".join(f"{n}: {c}" for n, c in summary["by_recommendation"].items())
    echo(f"{report}: {summary['created']} actions created, {summary['existing']} already existed ({per_rec})")


def _action_dict(row: ActionRow, today: date) -> dict[str, Any]:
    a = row.action
    return {
        "id": a.id,
        "report": a.report_id,
        "recommendation": row.number,
        "agency": a.agency_id,
        "agency_name": row.agency_name,
        "owner": a.owner_email,
        "status": a.status,
        "due_on": a.due_on.isoformat() if a.due_on else None,
        "original_due_on": a.original_due_on.isoformat() if a.original_due_on else None,
        "due_changes": a.due_changes,
        "rag": action_rag(a, today).value,
        "response": a.response,
        "version": a.version,
        "updated_at": a.updated_at.isoformat(),
    }


@actions_app.command("list")
def actions_list(
    report: Annotated[str | None, typer.Option(help="Only this report.")] = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only actions past their due date and not closed.")
    ] = False,
    today: Annotated[str | None, typer.Option(help="The day to judge from (YYYY-MM-DD).")] = None,
    as_json: Json = False,
) -> None:
    """Actions, filtered."""
    day = today_or(today)
    with database() as session:
        rows = list_actions(
            session, report_id=report, agency_id=agency, status=status, overdue_on=day if overdue else None
        )
        data = [_action_dict(r, day) for r in rows]
    if as_json:
        print_json(data)
        return
    echo(
        table(
            ["id", "report", "rec", "agency", "owner", "status", "due", "rag"],
            [
                [
                    d["id"],
                    d["report"],
                    d["recommendation"],
                    d["agency"],
                    d["owner"] or "-",
                    d["status"],
                    d["due_on"],
                    d["rag"],
                ]
                for d in data
            ],
        )
    )
    echo(f"{len(data)} actions")


@action_app.command("show")
def action_show(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    today: Annotated[str | None, typer.Option(help="The day to judge from (YYYY-MM-DD).")] = None,
    as_json: Json = False,
) -> None:
    """One action, its recommendation and its history."""
    day = today_or(today)
    with database() as session:
        action = get_action(session, action_id=action_id)
        row = next(
            r
            for r in list_actions(session, report_id=action.report_id, agency_id=action.agency_id)
            if r.action.id == action_id
        )
        data = _action_dict(row, day)
        data["addressee"] = row.addressee
        data["text"] = row.text
        data["events"] = [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "kind": e.kind,
                "from": e.from_value,
                "to": e.to_value,
                "note": e.note,
            }
            for e in events_for(session, action_id=action_id)
        ]
        data["links"] = item_links.links_of(session, [action.recommendation_id]).get(action.recommendation_id, [])
        data["tasks"] = [
            {
                "id": t.id,
                "title": t.title,
                "owner": t.owner_email,
                "due_on": t.due_on,
                "status": t.status,
                "note": t.note,
            }
            for t in tasks_of(session, action_id=action_id)
        ]
    if as_json:
        print_json(data)
        return
    echo(f"Action {data['id']}: {data['report']} recommendation {data['recommendation']} -> {data['agency_name']}")
    echo(f"{data['addressee']}")
    echo(data["text"])
    echo()
    echo(
        f"owner: {data['owner'] or '(awaiting allocation)'}   status: {data['status']}   due: {data['due_on']}"
        + (f" (originally {data['original_due_on']})" if data["original_due_on"] not in (None, data["due_on"]) else "")
        + f"   rag: {data['rag']}   version: {data['version']}"
    )
    echo(f"response: {data['response'] or '(none yet)'}")
    for words in data["links"]:
        echo(f"linked: {words}")
    echo()
    if data["tasks"]:
        rows = [[t["id"], t["title"], t["owner"], t["due_on"], t["status"], t["note"]] for t in data["tasks"]]
        echo(table(["task", "title", "owner", "due", "status", "note"], rows))
        echo()
    echo(
        table(
            ["at", "by", "what", "from", "to", "note"],
            [[e["at"][:19], e["actor"], e["kind"], e["from"], e["to"], e["note"]] for e in data["events"]],
        )
    )


@action_app.command("update")
def action_update(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    status: Annotated[str | None, typer.Option(help="The new status (complete means: ready for sign-off).")] = None,
    response: Annotated[str | None, typer.Option(help="The response that will stand in the progress return.")] = None,
    note: Annotated[
        str | None, typer.Option(help="A note; required for some moves (not_accepted, superseded...).")
    ] = None,
    version: Annotated[int | None, typer.Option(help="Fail if the action changed since this version.")] = None,
    by: By = None,
) -> None:
    """Record progress: a status change, the response text, a note (as the owner's page does)."""
    from notifications import signoff

    s = settings()
    with database() as session:
        action, messages = signoff.update(
            session,
            action_id=action_id,
            by=actor(by),
            actor=Actor.ADMIN,
            base_url=s.base_url,
            secret_key=s.secret_key(),
            status=status,
            response=response,
            note=note,
            expected_version=version,
        )
    signoff.send([m.key for m in messages])  # after the commit: what was decided is logged even if sending fails
    asked = f" (sign-off requested from {messages[0].to})" if messages and action.status == "pending_signoff" else ""
    echo(f"action {action.id}: {action.status} (version {action.version}){asked}")


@action_app.command("assign")
def action_assign(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    owner: Annotated[str, typer.Option(help="The new owner's email address.")],
    name: Annotated[str | None, typer.Option(help="The new owner's name.")] = None,
    by: By = None,
) -> None:
    """Give an action a (new) owner, who is told at once."""
    from notifications import allocation

    with database() as session:
        action, keys = allocation.assign(session, action_id=action_id, owner_email=owner, owner_name=name, by=actor(by))
    allocation.send(keys)
    echo(f"action {action.id}: owned by {action.owner_email} ({action.status})")


@action_app.command("not-mine")
def action_not_mine(
    action_id: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="Why the action is not yours (the liaison officer reads it).")],
    by: By = None,
) -> None:
    """Hand an action back: it awaits allocation again and the liaison officer is told."""
    from notifications import allocation

    with database() as session:
        action, keys = allocation.decline(session, action_id=action_id, reason=reason, by=actor(by))
    allocation.send(keys)
    told = " (liaison officer told)" if keys else " (no liaison officer on record)"
    echo(f"action {action.id}: {action.status}{told}")


@app.command("status")
def status_command(
    report: Annotated[str | None, typer.Option(help="Only this report.")] = None,
    today: Annotated[str | None, typer.Option(help="The day to judge from (YYYY-MM-DD).")] = None,
    as_json: Json = False,
) -> None:
    """A RAG summary per report and agency."""
    day = today_or(today)
    with database() as session:
        rows = status.summary(session, report_id=report, today=day)
    if as_json:
        print_json(rows)
        return
    if not rows:
        echo("no actions yet (actioned assign REPORT)")
        return
    echo(
        table(
            [
                "report",
                "agency",
                "actions",
                "unowned",
                "open",
                "in progress",
                "sign-off",
                "closed",
                "red",
                "amber",
                "green",
            ],
            [
                [
                    r["report"],
                    r["agency_name"],
                    r["total"],
                    r.get("awaiting_allocation", 0),
                    r.get("open", 0),
                    r.get("in_progress", 0),
                    r.get("pending_signoff", 0),
                    sum(r.get(s, 0) for s in CLOSED),
                    r.get("rag_red", 0),
                    r.get("rag_amber", 0),
                    r.get("rag_green", 0),
                ]
                for r in rows
            ],
        )
    )
    totals = Counter[str]()
    for r in rows:
        totals.update({k: v for k, v in r.items() if isinstance(v, int)})
    echo(
        f"{len(rows)} agencies, {totals['total']} actions: {totals['rag_red']} red, {totals['rag_amber']} amber, "
        f"{totals['rag_green']} green (as of {day.isoformat()})"
    )


@app.command("run")
def run_command(
    today: Annotated[str | None, typer.Option(help="The day the cycle runs as (YYYY-MM-DD).")] = None,
) -> None:
    """The daily cycle the schedule runs. Exits 1 while anything is not finished or a report was skipped."""
    day = today_or(today)
    with database():
        pass
    from flows.daily_cycle import run_cycle

    result = run_cycle(day)
    echo(summarise_cycle(result))
    if not result["ok"]:
        raise ActionedError(f"daily cycle {day.isoformat()} not finished: {result['problem']}")


def summarise_cycle(result: dict[str, Any]) -> str:
    lines = [f"daily cycle for {result['today']}:"]
    for s in result.get("assigned", []):
        lines.append(f"  assign {s['report_id']}: {s['created']} actions created, {s['existing']} existed")
    for line in result.get("lines", []):
        lines.append(f"  {line}")
    return "\n".join(lines)
