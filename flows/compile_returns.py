"""The compile flow: each agency's return on a report, compiled from its actions and kept on the return row."""

from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

from flows.return_artifacts import publish
from models import clock
from models.store.db import session_scope
from models.store.returns import agencies_with_actions
from notifications.documents.compile import compile_returns

BATCH = 30
"""Agencies per task: a task per batch, never per agency or action."""


@task(retries=2, retry_delay_seconds=[1, 5])
def compile_batch(report_id: str, agency_ids: list[str], today: date, out: str | None, kind: str) -> dict[str, Any]:
    """Compile a batch of agencies' returns in one transaction; write the files when ``out`` is given."""
    with session_scope() as session:
        compiled = compile_returns(session, report_id=report_id, today=today, agency_ids=agency_ids, kind=kind)
    paths: list[str] = []
    if out is not None:
        for c in compiled:
            paths.extend(str(p) for p in c.write(Path(out)))
    tables = {c.agency_id: _table(c) for c in compiled}
    publish(report_id, tables, what="compiled")
    return {
        "returns": [
            {
                "agency": c.agency_id,
                "return_id": c.return_id,
                "round": c.round,
                "sha256": c.sha256,
                "missing": c.content.missing,
            }
            for c in compiled
        ],
        "paths": paths,
    }


def _table(c: Any) -> list[dict[str, str]]:
    from models.rules.returns import artifact_rows

    return artifact_rows(c.content)


def agency_batches(report_id: str, agency_ids: list[str] | None) -> list[list[str]]:
    if agency_ids is None:
        with session_scope() as session:
            agency_ids = agencies_with_actions(session, report_id=report_id)
    return [agency_ids[i : i + BATCH] for i in range(0, len(agency_ids), BATCH)]


@flow(name="compile-returns")
def compile_report_returns(
    report_id: str,
    today: date | None = None,
    agency_ids: list[str] | None = None,
    out: str | None = None,
    kind: str = "progress",
) -> dict[str, Any]:
    """Compile the returns of every agency with actions on the report (or the ones named)."""
    today = today or clock.today()
    results = [compile_batch(report_id, batch, today, out, kind) for batch in agency_batches(report_id, agency_ids)]
    returns = [r for result in results for r in result["returns"]]
    paths = [p for result in results for p in result["paths"]]
    get_run_logger().info("%s: %s returns compiled", report_id, len(returns))
    return {"report_id": report_id, "returns": returns, "paths": paths}
