"""The workflow rule: which status may follow which, who may make the move, and when a note is owed."""

import pytest

from models.rules.rag import Rag, rag
from models.rules.transitions import Role, Status, decide_move, parse_status

S = Status


@pytest.mark.parametrize(
    ("current", "requested", "role", "note", "stored"),
    [
        (S.OPEN, S.IN_PROGRESS, Role.OWNER, None, S.IN_PROGRESS),
        (S.OPEN, S.COMPLETE, Role.OWNER, None, S.PENDING_SIGNOFF),  # "done" means ready for sign-off
        (S.IN_PROGRESS, S.COMPLETE, Role.OWNER, None, S.PENDING_SIGNOFF),
        (S.IN_PROGRESS, S.COMPLETE, Role.ADMIN, None, S.PENDING_SIGNOFF),
        (S.AWAITING_ALLOCATION, S.IN_PROGRESS, Role.ADMIN, None, S.IN_PROGRESS),
        (S.PENDING_SIGNOFF, S.COMPLETE, Role.SIGNER, None, S.COMPLETE),
        (S.PENDING_SIGNOFF, S.IN_PROGRESS, Role.SIGNER, "evidence missing", S.IN_PROGRESS),
        (S.IN_PROGRESS, S.NOT_ACCEPTED, Role.OWNER, "covered by the force's existing policy", S.NOT_ACCEPTED),
        (S.OPEN, S.SUPERSEDED, Role.OWNER, "superseded by recommendation 2 of the 2023 report", S.SUPERSEDED),
        (S.COMPLETE, S.IN_PROGRESS, Role.ADMIN, "HMICFRS asked for more evidence", S.IN_PROGRESS),
    ],
)
def test_allowed_moves(current, requested, role, note, stored):
    assert decide_move(current, requested, role=role, note=note) is stored


@pytest.mark.parametrize(
    ("current", "requested", "role", "note", "message"),
    [
        (S.OPEN, S.OPEN, Role.OWNER, None, "already open"),
        (S.PENDING_SIGNOFF, S.COMPLETE, Role.OWNER, None, "only the signer"),
        (S.PENDING_SIGNOFF, S.IN_PROGRESS, Role.SIGNER, None, "reason is required to reject"),
        (S.PENDING_SIGNOFF, S.IN_PROGRESS, Role.SIGNER, "   ", "reason is required to reject"),
        (S.IN_PROGRESS, S.NOT_ACCEPTED, Role.OWNER, None, "reason is required"),
        (S.OPEN, S.SUPERSEDED, Role.OWNER, "", "what superseded"),
        (S.COMPLETE, S.IN_PROGRESS, Role.OWNER, "oops", "only an administrator"),
        (S.COMPLETE, S.IN_PROGRESS, Role.ADMIN, None, "reason is required to reopen"),
        (S.COMPLETE, S.OPEN, Role.ADMIN, "x", "not allowed"),
        (S.NOT_ACCEPTED, S.PENDING_SIGNOFF, Role.ADMIN, None, "not allowed"),
        (S.IN_PROGRESS, S.OPEN, Role.ADMIN, None, "not allowed"),
        (S.IN_PROGRESS, S.AWAITING_ALLOCATION, Role.ADMIN, None, "not allowed"),
    ],
)
def test_forbidden_moves_say_why(current, requested, role, note, message):
    with pytest.raises(ValueError, match=message):
        decide_move(current, requested, role=role, note=note)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("in_progress", S.IN_PROGRESS),
        ("In progress", S.IN_PROGRESS),
        ("pending-signoff", S.PENDING_SIGNOFF),
        ("COMPLETE", S.COMPLETE),
    ],
)
def test_statuses_parse_as_people_write_them(text, status):
    assert parse_status(text) is status


def test_an_unknown_status_names_the_field_and_the_choices():
    with pytest.raises(ValueError, match=r"--status: .done. is not a status.*awaiting_allocation"):
        parse_status("done", field="--status")


@pytest.mark.parametrize(
    ("status", "due", "last_update", "today", "expected"),
    [
        (S.OPEN, "2021-06-17", "2021-06-01", "2021-06-18", Rag.RED),  # overdue
        (S.IN_PROGRESS, "2021-06-17", "2021-06-01", "2021-05-20", Rag.AMBER),  # due within 28 days
        (S.IN_PROGRESS, "2021-06-17", "2021-05-19", "2021-05-19", Rag.GREEN),  # 29 days out, updated today
        (S.IN_PROGRESS, "2021-06-17", "2021-05-20", "2021-05-20", Rag.AMBER),  # 28 days out
        (S.IN_PROGRESS, "2021-06-17", "2021-01-01", "2021-03-01", Rag.AMBER),  # no update for 30 days or more
        (S.IN_PROGRESS, "2021-06-17", "2021-02-15", "2021-03-01", Rag.GREEN),
        (S.COMPLETE, "2021-06-17", "2021-01-01", "2021-12-01", Rag.GREEN),  # closed is green, whatever the dates
        (S.PENDING_SIGNOFF, "2021-06-17", "2021-06-10", "2021-06-18", Rag.RED),
        (S.OPEN, None, "2021-01-01", "2021-01-15", Rag.GREEN),
    ],
)
def test_rag(status, due, last_update, today, expected):
    from datetime import date

    due_on = date.fromisoformat(due) if due else None
    assert rag(status, due_on, date.fromisoformat(last_update), date.fromisoformat(today)) is expected
