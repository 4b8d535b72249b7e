"""``report extract --responses`` never overwrites what an owner has written unless asked, and says what it kept."""

from typing import Any

from sqlmodel import col, select

from models.store.actions import record_response
from models.store.db import session_scope
from models.store.return_comments import comments_written, set_return_comments
from models.store.tables import Action, Recommendation
from tests.extraction.test_seed import SEED


def responses() -> dict[str, str | None]:
    with session_scope() as session:
        rows = session.exec(
            select(Recommendation.number, Action.response)
            .join(Action, col(Action.recommendation_id) == col(Recommendation.id))
            .where(Action.agency_id == "wiltshire-police", Action.report_id == "safe-to-share")
        ).all()
    return dict(rows)


def test_an_owners_response_is_kept_unless_overwrite(cli_in_process: Any, assigned: Any) -> None:
    with session_scope() as session:
        record_response(
            session,
            report_id="safe-to-share",
            agency_id="wiltshire-police",
            number="4",
            text="Our own words, written on the owner's page.",
            by="sam.carter@wiltshire-police.example",
        )
        set_return_comments(
            session, report_id="safe-to-share", agency_id="wiltshire-police", by="x", chief_officer="Ours."
        )
    args = ("report", "extract", str(SEED), "--responses", "--agency", "wiltshire-police")
    result = cli_in_process(*args)
    assert result.code == 0, result.stderr
    assert "recorded 3 responses of wiltshire-police to safe-to-share (recommendations 1, 5, 8)" in result.stdout
    assert "kept 1 responses already written in Actioned (recommendations 4): --overwrite replaces" in result.stdout
    assert responses()["4"] == "Our own words, written on the owner's page."
    assert (responses()["1"] or "").startswith("Wiltshire Police notes the recommendation")
    with session_scope() as session:
        assert (
            comments_written(session, report_id="safe-to-share", agency_id="wiltshire-police")["chief_officer"]
            == "Ours."
        )
    again = cli_in_process(*args)  # a rerun: the document's own responses are the same, nothing else is kept
    assert again.code == 0, again.stderr
    assert "recommendations 4)" in again.stdout
    forced = cli_in_process(*args, "--overwrite")
    assert forced.code == 0, forced.stderr
    assert "kept" not in forced.stdout
    assert responses()["4"] != "Our own words, written on the owner's page."
