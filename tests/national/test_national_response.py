"""A national response that covers many agencies: the NPCC answers recommendation 1 for every chief constable, the
forces' actions point to it, and their returns say so instead of repeating it.
"""

from models.rules.national import covered_response
from models.rules.vocabulary import EventKind
from models.store.actions import events_for, list_actions
from models.store.db import session_scope
from models.store.returns import return_content
from notifications.documents.collate import responses_in
from notifications.documents.compile import compile_return
from tests.national.conftest import DUE

NPCC_TEXT = "The NPCC has issued national guidance to all forces on sharing victims' information."


def test_a_national_response_covers_the_forces_it_names(answered, cli_in_process):
    result = cli_in_process(
        "national",
        "respond",
        "safe-to-share",
        "1",
        "--body",
        "npcc",
        "--response",
        NPCC_TEXT,
    )
    assert result.code == 0, result.stderr
    result = cli_in_process("national", "cover", "safe-to-share", "1", "--body", "npcc", "--agency", "dorset-police")
    assert result.code == 0, result.stderr
    assert "1 actions on recommendation 1 now covered" in result.stdout
    with session_scope() as session:
        content = return_content(session, report_id="safe-to-share", agency_id="dorset-police", today=DUE)
        (row,) = [r for r in content.rows if r.number == "1"]
        assert row.has_response
        assert row.response_text == covered_response("National Police Chiefs' Council")
        assert "recommendation 1: no response recorded" not in content.missing
        document = compile_return(session, report_id="safe-to-share", agency_id="dorset-police", today=DUE).document
        (action,) = [
            r.action
            for r in list_actions(session, report_id="safe-to-share", agency_id="dorset-police")
            if r.number == "1"
        ]
        assert action.id is not None
        assert events_for(session, action_id=action.id)[-1].kind == EventKind.NATIONAL_RESPONSE
        # Wiltshire Police was not named: its own response stands.
        wiltshire = return_content(session, report_id="safe-to-share", agency_id="wiltshire-police", today=DUE)
    assert document is not None
    assert dict(responses_in(document))["1"] == covered_response("National Police Chiefs' Council")
    assert wiltshire.rows[0].covered_by is None


def test_covering_every_force_at_once(answered, cli_in_process):
    assert (
        cli_in_process("national", "respond", "safe-to-share", "1", "--body", "npcc", "--response", NPCC_TEXT).code == 0
    )
    result = cli_in_process("national", "cover", "safe-to-share", "1", "--body", "npcc")
    assert result.code == 0, result.stderr
    with session_scope() as session:
        on_one = [r for r in list_actions(session, report_id="safe-to-share") if r.number == "1"]
    assert f"{len(on_one)} actions on recommendation 1 now covered" in result.stdout


def test_only_a_national_body_answers_and_only_after_it_has_answered(answered, cli_in_process):
    result = cli_in_process("national", "respond", "safe-to-share", "1", "--body", "dorset-police", "--response", "x")
    assert result.code == 1
    assert "dorset-police is not a national body" in result.stderr
    result = cli_in_process("national", "cover", "safe-to-share", "1", "--body", "npcc")
    assert result.code == 1
    assert "npcc has no national response to recommendation 1" in result.stderr
    result = cli_in_process("national", "respond", "safe-to-share", "99", "--body", "npcc", "--response", "x")
    assert result.code == 1
    assert "safe-to-share has no recommendation 99" in result.stderr
