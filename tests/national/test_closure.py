"""The inspectorate's decisions on actions, through the command line: closed (with the evidence relied on) and
further evidence needed (the action reopens, the ladder restarts, the owner gets the note and a fresh link, sent to a
real SMTP server); both leave events and show in the next return and the collated return.
"""

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import select

from models.rules.vocabulary import Closure, EventKind, Status
from models.store.actions import events_for, get_action, update_action
from models.store.db import session_scope
from models.store.decisions import latest_decisions
from models.store.returns import return_content
from models.store.tables import InspectorateDecision
from notifications.documents.collate import collated
from tests.national.conftest import DUE, submit
from tests.web.conftest import snapshot, wiltshire_actions

URL = re.compile(r"http://\S+/a/\S+")


def complete(action_id: int) -> None:
    """The owner says it is done: it waits for the portfolio lead's sign-off."""
    with session_scope() as session:
        update_action(session, action_id=action_id, by="admin@example.org", status="complete")
        assert get_action(session, action_id=action_id).status == Status.PENDING_SIGNOFF


def test_closing_an_action_records_the_evidence_and_shows_in_the_next_return(answered, cli_in_process):
    first = wiltshire_actions()[0]
    complete(first)
    result = cli_in_process(
        "action",
        "close",
        str(first),
        "--note",
        "Procedure change seen.",
        "--evidence",
        "Force policy DA-12 v3",
        "--by",
        "inspector@hmicfrs.example.org",
    )
    assert result.code == 0, result.stderr
    assert f"action {first}: closed by the inspectorate (status pending_signoff)" in result.stdout
    with session_scope() as session:
        action = get_action(session, action_id=first)
        assert action.status == Status.PENDING_SIGNOFF  # the agency's own status is a separate fact
        (decision,) = latest_decisions(session, action_ids=[first]).values()
        assert (decision.decision, decision.evidence) == (Closure.CLOSED, "Force policy DA-12 v3")
        event = events_for(session, action_id=first)[-1]
        assert event.kind == EventKind.CLOSURE
        assert event.note == "Procedure change seen.\nEvidence relied on: Force policy DA-12 v3"
        content = return_content(session, report_id="safe-to-share", agency_id="wiltshire-police", today=DUE)
    (row,) = [r for r in content.rows if r.number == "1"]
    assert row.inspectorate is not None
    assert row.inspectorate.startswith("Closed by the inspectorate on ")
    assert row.inspectorate.endswith(": Procedure change seen.")
    # Closing it twice is one clear line, and nothing changes.
    before = snapshot(first)
    again = cli_in_process("action", "close", str(first), "--note", "Again.", "--evidence", "x")
    assert again.code == 1
    assert again.stderr.strip() == (
        f"actioned: error: action {first}: decision: the inspectorate has already closed this action"
    )
    assert snapshot(first) == before


def test_asking_for_further_evidence_reopens_the_action_and_sends_the_owner_the_note_and_a_fresh_link(
    answered, smtp, cli_in_process
):
    second = wiltshire_actions()[1]
    complete(second)
    with session_scope() as session:
        old = get_action(session, action_id=second)
        old_assignment, owner = old.assignment, old.owner_email
    from tests.web.conftest import link

    old_link = link(second)
    result = cli_in_process(
        "action",
        "further-evidence",
        str(second),
        "--note",
        "Please send the safe reporting pathway itself.",
    )
    assert result.code == 0, result.stderr
    assert f"{owner} has been sent the note and a fresh link" in result.stdout
    with session_scope() as session:
        action = get_action(session, action_id=second)
        assert action.status == Status.IN_PROGRESS
        assert action.assignment == old_assignment + 1  # the ladder restarts, old links die
        kinds = [e.kind for e in events_for(session, action_id=second)[-2:]]
    assert kinds == [EventKind.CLOSURE, EventKind.STATUS]
    (message,) = [m for m in smtp.messages if "Further evidence needed" in m["Subject"]]
    assert message["To"] == owner
    body = message.get_body(("plain",)).get_content()
    assert "Please send the safe reporting pathway itself." in body
    (url,) = URL.findall(body)

    from web.app import create_app

    client = TestClient(create_app(today=lambda: date(2021, 7, 1)))
    path = url.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # the fresh link opens the action
    assert client.get(old_link).status_code != 200  # the old one no longer does


def test_a_decision_without_its_note_or_evidence_is_refused_and_changes_nothing(answered, cli_in_process):
    first = wiltshire_actions()[0]
    before = snapshot(first)
    result = cli_in_process("action", "close", str(first), "--note", "Seen.", "--evidence", " ")
    assert result.code == 1
    assert result.stderr.strip() == (
        f"actioned: error: action {first}: evidence: name the evidence the closure relies on"
    )
    result = cli_in_process("action", "further-evidence", "999999", "--note", "More.")
    assert result.code == 1
    assert "action 999999 does not exist" in result.stderr
    assert snapshot(first) == before
    with session_scope() as session:
        assert session.exec(select(InspectorateDecision)).all() == []


def test_the_collated_return_shows_the_inspectorates_decision(answered, smtp, cli_in_process):
    submit(DUE)
    first = wiltshire_actions()[0]
    assert cli_in_process("action", "close", str(first), "--note", "Seen.", "--evidence", "Policy").code == 0
    with session_scope() as session:
        c = collated(session, report_id="safe-to-share", today=DUE)
    rows = {row.agency_id: row for row in c.recommendations[0].rows}
    assert rows["wiltshire-police"].inspectorate.startswith("Closed by the inspectorate on ")
    assert rows["dorset-police"].inspectorate == ""
