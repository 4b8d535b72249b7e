"""The fan-out flow: one owned action per (recommendation, addressed agency)."""

from dataclasses import asdict
from typing import Any

from prefect import flow, get_run_logger, task

from models.store.db import session_scope
from models.store.fanout import fan_out


@task(retries=2, retry_delay_seconds=[1, 5])
def fan_out_report(report_id: str) -> dict[str, Any]:
    """Create the report's missing actions in one transaction (set-based; idempotent)."""
    with session_scope() as session:
        return asdict(fan_out(session, report_id=report_id))


@flow(name="assign", log_prints=False)
def assign(report_id: str) -> dict[str, Any]:
    summary = fan_out_report(report_id)
    get_run_logger().info("%s: %s actions created, %s existed", report_id, summary["created"], summary["existing"])
    return summary
