"""Commands for progress returns (compile, check, submit, approve, hold, release, send-as-is, resubmit, comments) and
the board's export of actions (``actions export``).
"""

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli.app import actions_app, actor, database, echo, print_json, returns_app, settings, table, today_or
from flows.prefect_env import run_flow
from models.rules.cells import neutralise
from models.rules.days import london_day
from models.rules.errors import ActionedError
from models.rules.rag import action_rag
from models.rules.vocabulary import ReturnKind
from models.store import returns as return_store
from models.store.actions import list_actions
from models.store.reports import get_report
from models.store.return_comments import set_return_comments
from models.store.tables import Return

Report = Annotated[str, typer.Argument(metavar="REPORT", help="The report id.")]
AgencyOpt = Annotated[str, typer.Option("--agency", help="The agency id.")]
By = Annotated[str | None, typer.Option("--by", help="Who is making the change (an email address).")]
Kind = Annotated[str, typer.Option("--kind", help="progress (the return) or comments (s.55 comments).")]
Today = Annotated[str | None, typer.Option("--today", help="The day to judge from (YYYY-MM-DD).")]


def _kind(value: str) -> ReturnKind:
    try:
        return ReturnKind(value)
    except ValueError:
        raise ActionedError(
            f"{value!r} is not a kind of return (expected progress or comments)", field="--kind"
        ) from None


@returns_app.command("compile")
def returns_compile(
    report: Report,
    agency: Annotated[list[str] | None, typer.Option("--agency", help="Only this agency (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the .docx and .html files.")] = None,
    today: Today = None,
    kind: Kind = "progress",
) -> None:
    """Compile returns from the actions: a .docx for the inspectorate and an accessible HTML version for the agency's website, per agency."""
    day, what = today_or(today), _kind(kind)
    folder = (out or settings().returns_dir).resolve()
    if folder.exists() and not folder.is_dir():
        raise ActionedError(f"{folder} is a file, not a folder", field="--out")
    with database() as session:
        get_report(session, report_id=report)
        # Check the agencies here, so a typo is one clear line before any flow starts.
        return_store.return_contents(session, report_id=report, today=day, agency_ids=agency or None, kind=what)
    from flows.compile_returns import compile_report_returns

    result = run_flow(compile_report_returns, report, day, agency or None, str(folder), what.value)
    for path in result["paths"]:
        echo(path)
    incomplete = [r for r in result["returns"] if r["missing"]]
    echo(f"{len(result['returns'])} returns compiled into {folder}; {len(incomplete)} with something missing")
    for r in incomplete[:10]:
        echo(f"  {r['agency']}: {'; '.join(r['missing'])}")
    if len(incomplete) > 10:
        echo(f"  ... and {len(incomplete) - 10} more (actioned returns check {report})")


@returns_app.command("check")
def returns_check(
    report: Report,
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency.")] = None,
    today: Today = None,
    kind: Kind = "progress",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The pre-send check: what each return is missing, and what the daily cycle will do with it today."""
    day = today_or(today)
    with database() as session:
        checks = [
            c
            for c in return_store.list_due(session, today=day, report_id=report, kind=_kind(kind))
            if agency is None or c.agency_id == agency
        ]
    if agency is not None and not checks:
        raise ActionedError(f"{agency!r} has no actions on {report}", field="--agency")
    data: list[dict[str, Any]] = [
        {"agency": c.agency_id, "due_on": c.due_on, "decision": c.decision.value, "missing": list(c.missing)}
        for c in checks
    ]
    if as_json:
        print_json(data)
        return
    echo(
        table(
            ["agency", "due", "today", "missing"],
            [[d["agency"], d["due_on"], d["decision"], "; ".join(d["missing"]) or "-"] for d in data],
        )
    )


@returns_app.command("submit")
def returns_submit(
    today: Today = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would go; send and record nothing.")] = False,
) -> None:
    """Send every return that is due and may go (once per round); tell agencies what is missing. Exits 1 while any
    message is not finished.
    """
    day = today_or(today)
    with database() as session:
        checks = [
            *return_store.list_due(session, today=day),
            *return_store.list_due(session, today=day, kind=ReturnKind.COMMENTS),
        ]
    if dry_run:
        rows = [
            [c.report_id, c.agency_id, c.kind.value, c.decision.value, "; ".join(c.missing) or "-"]
            for c in checks
            if c.decision.value != "not_due"
        ]
        echo(table(["report", "agency", "kind", "would", "missing"], rows) if rows else "nothing is due")
        echo(f"dry run for {day.isoformat()}: nothing sent, nothing recorded")
        return
    from flows.submit_returns import submit_returns

    result = run_flow(submit_returns, day)
    for line in result["lines"]:
        echo(line)
    if not result["ok"]:
        states = ", ".join(f"{n} {state}" for state, n in result["unfinished"].items())
        raise ActionedError(
            f"returns submit {day.isoformat()}: {sum(result['unfinished'].values())} messages not finished ({states});"
            " the next run retries them"
        )


def _change(change: Callable[..., Return], report: str, agency: str, by: str | None, kind: str, **more: Any) -> Return:
    """One of ``return_store``'s changes to an agency's return (approve, hold, ...), in a transaction of its own."""
    with database() as session:
        return change(session, report_id=report, agency_id=agency, by=actor(by), kind=_kind(kind), **more)


def _changed(what: str, row: Any) -> None:
    echo(f"{row.agency_id}'s {row.kind} return on {row.report_id} (round {row.round}): {what}")


@returns_app.command("approve")
def returns_approve(report: Report, agency: AgencyOpt, by: By = None, kind: Kind = "progress") -> None:
    """The liaison officer's approval (with every action closed, the return may then go early)."""
    row = _change(return_store.approve, report, agency, by, kind)
    _changed(f"approved by {row.approved_by}", row)


@returns_app.command("hold")
def returns_hold(
    report: Report,
    agency: AgencyOpt,
    reason: Annotated[str | None, typer.Option(help="Why it is held.")] = None,
    by: By = None,
    kind: Kind = "progress",
) -> None:
    """Hold a return: it does not go (and no notices go) until released."""
    row = _change(return_store.hold, report, agency, by, kind, reason=reason)
    _changed("on hold", row)


@returns_app.command("release")
def returns_release(report: Report, agency: AgencyOpt, by: By = None, kind: Kind = "progress") -> None:
    """Release a held return: it goes with the next daily cycle if it is due."""
    row = _change(return_store.release, report, agency, by, kind)
    _changed("released", row)


@returns_app.command("send-as-is")
def returns_send_as_is(report: Report, agency: AgencyOpt, by: By = None, kind: Kind = "progress") -> None:
    """Send the return as it stands, with responses missing: the liaison officer's explicit, recorded choice."""
    row = _change(return_store.send_as_is, report, agency, by, kind)
    _changed(f"to go as it stands ({row.send_as_is_by})", row)


@returns_app.command("resubmit")
def returns_resubmit(report: Report, agency: AgencyOpt, by: By = None, kind: Kind = "progress") -> None:
    """Start a new round after a return was sent; it goes with the next submit."""
    row = _change(return_store.resubmit, report, agency, by, kind)
    _changed("new round, goes with the next submit", row)


@returns_app.command("comments")
def returns_comments(
    report: Report,
    agency: AgencyOpt,
    chief_officer: Annotated[str | None, typer.Option("--chief-officer", help="Chief Officer comments.")] = None,
    portfolio_lead: Annotated[str | None, typer.Option("--portfolio-lead", help="Portfolio lead comments.")] = None,
    pcc: Annotated[str | None, typer.Option("--pcc", help="The PCC's comments.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="A local policing body's own s.55 comments.")] = None,
    by: By = None,
) -> None:
    """Record the comments that stand around an agency's responses in its return."""
    if all(v is None for v in (chief_officer, portfolio_lead, pcc, body)):
        raise ActionedError("give at least one of --chief-officer, --portfolio-lead, --pcc, --body")
    with database() as session:
        set_return_comments(
            session,
            report_id=report,
            agency_id=agency,
            by=actor(by),
            chief_officer=chief_officer,
            portfolio_lead=portfolio_lead,
            pcc=pcc,
            lpb_comments=body,
        )
    echo(f"{agency}: comments on {report} recorded")


# --- the board's export -------------------------------------------------------------------------------------------

EXPORT_HEADERS = [
    "action",
    "report",
    "recommendation",
    "agency",
    "agency name",
    "owner",
    "due date",
    "original due date",
    "status",
    "RAG",
    "last update",
    "response",
]


def export_rows(session: Any, *, report_id: str | None, agency_id: str | None, today: date) -> list[list[object]]:
    rows: list[list[object]] = []
    for row in list_actions(session, report_id=report_id, agency_id=agency_id):
        a = row.action
        last = london_day(a.last_event_at)
        rows.append(
            [
                a.id,
                a.report_id,
                row.number,
                a.agency_id,
                row.agency_name,
                a.owner_email or "",
                a.due_on,
                a.original_due_on,
                a.status,
                action_rag(a, today).value,
                last,
                a.response or "",
            ]
        )
    return rows


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(EXPORT_HEADERS)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it begins with
    book.save(str(path))


def csv_text(rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)  # OWASP: every field quoted
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow([neutralise("" if v is None else v.isoformat() if isinstance(v, date) else v) for v in row])
    return out.getvalue()


@actions_app.command("export")
def actions_export(
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    report: Annotated[str | None, typer.Option(help="Only this report.")] = None,
    agency: Annotated[str | None, typer.Option(help="Only this agency.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="The file to write (csv: default standard output).")] = None,
    today: Today = None,
) -> None:
    """For a force's board: each action, owner, due date, status, RAG and last update (CSV or Excel)."""
    if fmt not in ("csv", "xlsx"):
        raise ActionedError(f"{fmt!r} is not a format (expected csv or xlsx)", field="--format")
    if fmt == "xlsx" and out is None:
        raise ActionedError("an Excel export needs a file to write (--out actions.xlsx)", field="--out")
    if out is not None and out.is_dir():
        raise ActionedError(f"{out} is a folder, not a file", field="--out")
    day = today_or(today)
    with database() as session:
        if report:
            get_report(session, report_id=report)
        rows = export_rows(session, report_id=report, agency_id=agency, today=day)
    if fmt == "xlsx":
        assert out is not None
        write_xlsx(out, rows)
    elif out is None:
        typer.echo(csv_text(rows), nl=False)
        return
    else:
        out.write_text(csv_text(rows), encoding="utf-8")
    echo(f"{out}: {len(rows)} actions")
