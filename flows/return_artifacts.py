"""The Prefect table artifacts that every compile and submit publishes: per agency, its recommendations with their
status and response. Published only inside a flow or task run (a plain call, as in tests, publishes nothing).
"""

import re
from collections.abc import Mapping


def artifact_key(report_id: str, agency_id: str) -> str:
    """Artifact keys are lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9-]+", "-", f"return-{report_id}-{agency_id}".lower()).strip("-")


def publish(report_id: str, tables: Mapping[str, list[dict[str, str]]], *, what: str) -> int:
    """One table artifact per agency; the number published (0 outside a run)."""
    from prefect.artifacts import create_table_artifact
    from prefect.context import FlowRunContext, TaskRunContext

    if FlowRunContext.get() is None and TaskRunContext.get() is None:
        return 0
    for agency_id, rows in tables.items():
        create_table_artifact(
            key=artifact_key(report_id, agency_id),
            table=list(rows),
            description=f"{what}: {agency_id}'s return on {report_id}, recommendation by recommendation",
        )
    return len(tables)
