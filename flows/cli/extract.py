"""``actioned report extract``: recommendations read out of a document, or a force's responses loaded into actions."""

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from flows.cli.app import actor, database, echo, existing_file, parse_date, report_app, warn
from models.files import load_register
from models.rules.errors import ActionedError
from models.rules.recipients import build_alias_table
from models.store.actions import record_response
from models.store.return_comments import comments_written, responses_written, set_return_comments

REGISTER_FILE = Path(__file__).resolve().parents[2] / "models" / "data" / "agencies.yaml"


def _aliases() -> dict[str, str]:
    register = load_register(REGISTER_FILE)
    return build_alias_table([g.model_dump() for g in register.groups], [a.model_dump() for a in register.agencies])


def _write(text: str, out: Path | None) -> None:
    if out is None:
        echo(text.rstrip("\n"))
        return
    try:
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as error:
        raise ActionedError(f"{out}: cannot be written ({error.strerror or error})") from None
    echo(f"wrote {out}")


@report_app.command("extract")
def report_extract(
    path: Annotated[Path, typer.Argument(help="A report or response document: .txt, .docx, .html or .pdf.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of YAML.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the definition to this file.")] = None,
    responses: Annotated[
        bool, typer.Option("--responses", help="Read an agency's responses and load them into its actions.")
    ] = False,
    agency: Annotated[str | None, typer.Option("--agency", help="With --responses: the agency id.")] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="With --responses: the report id (default: from the title).")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who records the responses (default: you).")] = None,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="With --responses: replace responses and comments already written."),
    ] = False,
    published_on: Annotated[
        str | None, typer.Option("--published-on", help="The publication date (YYYY-MM-DD) when the text lacks it.")
    ] = None,
    review: Annotated[
        bool,
        typer.Option(
            "--review", help="Print the reading as JSON: every item, how it was found, how sure, what was left."
        ),
    ] = False,
) -> None:
    """Recommendations found in a report's text, DOCX, HTML or PDF, as a definition to check and import."""
    # here, not at the top: the document readers (BeautifulSoup, python-docx, pypdf) would slow every other command
    from models.extraction import definition_yaml, extract_report, read_document
    from models.extraction.reading import read

    document = read_document(existing_file(path))
    if review:
        reading = read(document, published=parse_date(published_on, field="--published-on"))
        if not reading.items:
            raise ActionedError(reading.nothing_found())
        _write(json.dumps(reading.as_dict(), indent=2, ensure_ascii=False), out)
        return
    if responses:
        _load_responses(document, agency=agency, report=report, by=by, as_json=as_json, out=out, overwrite=overwrite)
        return
    if agency or report:
        raise ActionedError("--agency and --report go with --responses")
    extraction = extract_report(
        document,
        aliases=_aliases(),
        fallback_id=path.stem,
        published_on=parse_date(published_on, field="--published-on"),
    )
    for line in extraction.warnings:
        warn(line)
    if as_json:
        _write(json.dumps(extraction.definition, indent=2, default=str, ensure_ascii=False), out)
    else:
        _write(definition_yaml(extraction.definition), out)


def _load_responses(
    document: Any,
    *,
    agency: str | None,
    report: str | None,
    by: str | None,
    as_json: bool,
    out: Path | None,
    overwrite: bool = False,
) -> None:
    """Record the responses the reader is sure of; list the others for a person to confirm (never a guess)."""
    from models.extraction import extract_responses
    from models.extraction.reading import read
    from models.extraction.report import slug

    if not agency:
        raise ActionedError("--responses needs --agency AGENCY (the agency whose responses these are)")
    reading = read(document)
    found = extract_responses(document, reading)
    if not found.responses:
        raise ActionedError(reading.nothing_found().replace("no recommendations found", "no responses found", 1))
    report_id = report or (slug(found.report_title.split("?")[0].split(":")[0]) if found.report_title else None)
    if not report_id:
        raise ActionedError(f"{document.name}: no report title found: give --report REPORT")
    for line in found.warnings:
        warn(line)
    who = actor(by)
    sure = [p for p in found.responses if p.response and p.response_sure and p.number]
    unsure = [p for p in found.responses if p not in sure and (p.response or p.doubts)]
    kept: list[str] = []
    with database() as session:
        written = responses_written(session, report_id=report_id, agency_id=agency)
        for pair in sure:
            if written.get(pair.number) == pair.response:
                continue  # already recorded as the document says (a rerun)
            if not overwrite and written.get(pair.number):
                kept.append(pair.number)  # an owner wrote this one: theirs stands unless --overwrite
                continue
            record_response(
                session, report_id=report_id, agency_id=agency, number=pair.number, text=pair.response, by=who
            )
        said = comments_written(session, report_id=report_id, agency_id=agency)
        set_return_comments(
            session,
            report_id=report_id,
            agency_id=agency,
            by=who,
            chief_officer=None if said.get("chief_officer") and not overwrite else found.chief_officer_comments,
            portfolio_lead=None if said.get("portfolio_lead") and not overwrite else found.portfolio_lead_comments,
            pcc=None if said.get("pcc") and not overwrite else found.pcc_comments,
            signatory=found.signatory.line() if found.signatory else None,
            sign_off=found.sign_off.line if found.sign_off else None,
        )
    if as_json:
        _write(json.dumps(asdict(found), indent=2, default=str, ensure_ascii=False), out)
        return
    recorded = [p.number for p in sure if p.number not in kept]
    echo(
        f"recorded {len(recorded)} responses of {agency} to {report_id} (recommendations "
        f"{', '.join(recorded) or 'none'}) and the return's comments"
    )
    if kept:
        echo(
            f"kept {len(kept)} responses already written in Actioned (recommendations {', '.join(kept)}): "
            "--overwrite replaces them with the document's"
        )
    if unsure:
        echo(f"not recorded, for a person to confirm ({len(unsure)}):")
        for pair in unsure:
            label = f"{pair.kind.replace('_', ' ')} {pair.number}" if pair.number else f"{pair.text[:50]!r}"
            why = "; ".join(pair.doubts) or f"found by {pair.method}"
            echo(f"  {pair.location}: {label}: {why}")
    if found.liaison_officer is not None:
        officer = found.liaison_officer
        echo(f"liaison officer: {officer.name}, {officer.role}" + (f", {officer.agency}" if officer.agency else ""))
    elif found.signatory is not None:
        echo(f"signed by: {found.signatory.line()}")
    if found.sign_off is not None:
        echo(f"sign-off: {found.sign_off.line}")
