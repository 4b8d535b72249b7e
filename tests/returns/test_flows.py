"""The real flows, run once each on Prefect's test harness: compile publishes a table artifact per agency; submit
sends through the delivery log.
"""

from datetime import date

import pytest

from flows.compile_returns import compile_report_returns
from flows.return_artifacts import artifact_key
from flows.submit_returns import submit_returns
from models.store.db import session_scope
from models.store.returns import current_return


@pytest.fixture
def artifacts():
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    def read(key: str):
        with get_client(sync_client=True) as client:
            return client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))

    return read


def test_compile_and_submit_flows_publish_the_recommendations_per_agency(
    prefect_harness, answered, smtp, tmp_path, artifacts
):
    key = artifact_key("safe-to-share", "wiltshire-police")
    before = len(artifacts(key))  # the harness is shared by the session: other tests may have published some
    result = compile_report_returns(
        "safe-to-share", date(2021, 6, 1), ["wiltshire-police", "dorset-police"], str(tmp_path)
    )
    assert sorted(r["agency"] for r in result["returns"]) == ["dorset-police", "wiltshire-police"]
    assert sorted(p.rsplit("/", 1)[1] for p in result["paths"]) == [
        "safe-to-share--dorset-police--progress-round-1.docx",
        "safe-to-share--dorset-police--progress-round-1.html",
        "safe-to-share--wiltshire-police--progress-round-1.docx",
        "safe-to-share--wiltshire-police--progress-round-1.html",
    ]
    assert key == "return-safe-to-share-wiltshire-police"
    published = artifacts(key)
    assert len(published) == before + 1
    artifact = max(published, key=lambda a: a.created)
    assert artifact.type == "table"
    assert "The force notes this recommendation" in str(artifact.data)

    submitted = submit_returns(date(2021, 6, 17))
    with session_scope() as session:
        row = current_return(session, report_id="safe-to-share", agency_id="wiltshire-police")
    assert row is not None
    assert submitted["submitted"] == [row.id]
    assert [m["To"] for m in smtp.messages].count("policesupercomplaint@hmicfrs.gov.uk") == 1
    assert len(artifacts(key)) == before + 2  # compiled, then submitted
