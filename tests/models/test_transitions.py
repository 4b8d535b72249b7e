"""The workflow rule: which status may follow which, who may make the move, and when a note is owed."""

import pytest

from models.rules.errors import TransitionError
from models.rules.rag import overall, rag
from models.rules.transitions import (
    allowed_moves,
    can_decline,
    can_reassign,
    closing_asked,
    decide_move,
    parse_status,
)
from models.rules.vocabulary import Actor, Rag, Status

S = Status


@pytest.mark.parametrize(
    ("current", "requested", "actor", "note", "stored"),
    [
        (S.OPEN, S.IN_PROGRESS, Actor.OWNER, None, S.IN_PROGRESS),
        (S.OPEN, S.COMPLETE, Actor.OWNER, None, S.PENDING_SIGNOFF),  # "done" means ready for sign-off
        (S.IN_PROGRESS, S.COMPLETE, Actor.OWNER, None, S.PENDING_SIGNOFF),
        (S.IN_PROGRESS, S.COMPLETE, Actor.ADMIN, None, S.PENDING_SIGNOFF),
        (S.AWAITING_ALLOCATION, S.IN_PROGRESS, Actor.ADMIN, None, S.IN_PROGRESS),
        (S.PENDING_SIGNOFF, S.COMPLETE, Actor.SIGNER, None, S.COMPLETE),
        (S.PENDING_SIGNOFF, S.IN_PROGRESS, Actor.SIGNER, "evidence missing", S.IN_PROGRESS),
        # every closing goes through the signer
        (S.IN_PROGRESS, S.NOT_ACCEPTED, Actor.OWNER, "covered by the force's existing policy", S.PENDING_SIGNOFF),
        (S.OPEN, S.SUPERSEDED, Actor.OWNER, "superseded by recommendation 2 of the 2023 report", S.PENDING_SIGNOFF),
        (S.AWAITING_ALLOCATION, S.NOT_ACCEPTED, Actor.ADMIN, "not for this force", S.PENDING_SIGNOFF),
        (S.IN_PROGRESS, S.SUPERSEDED, Actor.ADMIN, "replaced by the 2023 plan", S.PENDING_SIGNOFF),
        (S.COMPLETE, S.IN_PROGRESS, Actor.ADMIN, "HMICFRS asked for more evidence", S.IN_PROGRESS),
    ],
)
def test_allowed_moves(current, requested, actor, note, stored):
    assert decide_move(current, requested, actor=actor, note=note, response="What the force did.") is stored


@pytest.mark.parametrize(
    ("current", "requested", "actor", "note", "message"),
    [
        (S.OPEN, S.OPEN, Actor.OWNER, None, "already open"),
        (S.PENDING_SIGNOFF, S.COMPLETE, Actor.OWNER, None, "only the signer"),
        (S.PENDING_SIGNOFF, S.IN_PROGRESS, Actor.SIGNER, None, "reason is required to reject"),
        (S.PENDING_SIGNOFF, S.IN_PROGRESS, Actor.SIGNER, "   ", "reason is required to reject"),
        (S.IN_PROGRESS, S.NOT_ACCEPTED, Actor.OWNER, None, "reason is required"),
        (S.OPEN, S.SUPERSEDED, Actor.OWNER, "", "what superseded"),
        (S.COMPLETE, S.IN_PROGRESS, Actor.OWNER, "oops", "only an administrator"),
        (S.PENDING_SIGNOFF, S.NOT_ACCEPTED, Actor.SIGNER, None, "sign-off asked for is complete"),
        (S.PENDING_SIGNOFF, S.SUPERSEDED, Actor.OWNER, None, "only the signer"),
        (S.COMPLETE, S.IN_PROGRESS, Actor.ADMIN, None, "reason is required to reopen"),
        (S.COMPLETE, S.OPEN, Actor.ADMIN, "x", "not allowed"),
        (S.NOT_ACCEPTED, S.PENDING_SIGNOFF, Actor.ADMIN, None, "not allowed"),
        (S.IN_PROGRESS, S.OPEN, Actor.ADMIN, None, "not allowed"),
        (S.IN_PROGRESS, S.AWAITING_ALLOCATION, Actor.ADMIN, None, "not allowed"),
    ],
)
def test_forbidden_moves_say_why(current, requested, actor, note, message):
    with pytest.raises(TransitionError, match=message):
        decide_move(current, requested, actor=actor, note=note, response="What the force did.")


@pytest.mark.parametrize(
    ("current", "requested", "response", "field"),
    [
        (S.IN_PROGRESS, S.COMPLETE, None, "response"),  # no response: it cannot go for sign-off
        (S.IN_PROGRESS, S.COMPLETE, "  ", "response"),
        (S.OPEN, S.PENDING_SIGNOFF, "", "response"),
        (S.IN_PROGRESS, S.NOT_ACCEPTED, None, "note"),  # the note rule is asked first
        (S.OPEN, S.OPEN, "text", "status"),
    ],
)
def test_each_refusal_names_its_field(current, requested, response, field):
    with pytest.raises(TransitionError) as refused:
        decide_move(current, requested, actor=Actor.OWNER, note=None, response=response)
    assert refused.value.field == field


def test_a_refusal_reads_as_one_line_about_the_action():
    with pytest.raises(TransitionError) as refused:
        decide_move(S.OPEN, S.OPEN, actor=Actor.OWNER, note=None, response=None)
    assert str(refused.value.concerning("action 7")) == "action 7: status: the action is already open"


@pytest.mark.parametrize(
    ("current", "actor", "expected"),
    [
        (S.AWAITING_ALLOCATION, Actor.OWNER, {S.OPEN, S.IN_PROGRESS, S.NOT_ACCEPTED, S.SUPERSEDED}),
        (S.OPEN, Actor.OWNER, {S.IN_PROGRESS, S.PENDING_SIGNOFF, S.COMPLETE, S.NOT_ACCEPTED, S.SUPERSEDED}),
        (S.IN_PROGRESS, Actor.OWNER, {S.PENDING_SIGNOFF, S.COMPLETE, S.NOT_ACCEPTED, S.SUPERSEDED}),
        (S.PENDING_SIGNOFF, Actor.OWNER, set()),
        (S.PENDING_SIGNOFF, Actor.SIGNER, {S.COMPLETE, S.IN_PROGRESS}),
        (S.PENDING_SIGNOFF, Actor.ADMIN, {S.COMPLETE, S.IN_PROGRESS}),
        (S.COMPLETE, Actor.OWNER, set()),
        (S.COMPLETE, Actor.ADMIN, {S.IN_PROGRESS}),
        (S.SUPERSEDED, Actor.SIGNER, {S.IN_PROGRESS}),
    ],
)
def test_allowed_moves_per_actor(current, actor, expected):
    assert allowed_moves(current, actor) == expected


@pytest.mark.parametrize(
    ("current", "requested", "signing", "stored"),
    [
        (S.PENDING_SIGNOFF, S.NOT_ACCEPTED, S.NOT_ACCEPTED, S.NOT_ACCEPTED),  # the reason was given when asked
        (S.PENDING_SIGNOFF, S.SUPERSEDED, S.SUPERSEDED, S.SUPERSEDED),
        (S.PENDING_SIGNOFF, S.COMPLETE, S.COMPLETE, S.COMPLETE),
    ],
)
def test_the_signer_approves_the_closing_asked_for(current, requested, signing, stored):
    response = "What the force did." if stored is S.COMPLETE else None
    assert decide_move(current, requested, actor=Actor.SIGNER, note=None, response=response, signing=signing) is stored


def test_a_complete_sign_off_still_needs_a_response():
    with pytest.raises(TransitionError) as refused:
        decide_move(S.PENDING_SIGNOFF, S.COMPLETE, actor=Actor.SIGNER, note=None, response=None)
    assert refused.value.field == "response"


@pytest.mark.parametrize(
    ("current", "requested", "asked"),
    [
        (S.IN_PROGRESS, S.COMPLETE, S.COMPLETE),
        (S.OPEN, S.PENDING_SIGNOFF, S.COMPLETE),
        (S.OPEN, S.NOT_ACCEPTED, S.NOT_ACCEPTED),
        (S.AWAITING_ALLOCATION, S.SUPERSEDED, S.SUPERSEDED),
        (S.PENDING_SIGNOFF, S.COMPLETE, None),  # the decision, not a request
        (S.OPEN, S.IN_PROGRESS, None),
    ],
)
def test_closing_asked(current, requested, asked):
    assert closing_asked(current, requested) is asked


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.OPEN, True),
        (S.IN_PROGRESS, True),
        (S.AWAITING_ALLOCATION, False),
        (S.PENDING_SIGNOFF, False),
        (S.COMPLETE, False),
    ],
)
def test_can_decline(status, expected):
    assert can_decline(status) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.AWAITING_ALLOCATION, True),
        (S.IN_PROGRESS, True),
        (S.PENDING_SIGNOFF, True),
        (S.COMPLETE, False),
        (S.NOT_ACCEPTED, False),
        (S.SUPERSEDED, False),
    ],
)
def test_can_reassign(status, expected):
    assert can_reassign(status) is expected


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], None),
        ([Rag.GREEN, Rag.GREEN], Rag.GREEN),
        ([Rag.GREEN, Rag.AMBER], Rag.AMBER),
        ([Rag.AMBER, Rag.RED, Rag.GREEN], Rag.RED),  # one overdue action makes the agency red
    ],
)
def test_overall_rag_is_the_worst(ratings, expected):
    assert overall(ratings) is expected


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
    with pytest.raises(TransitionError, match=r"--status: .done. is not a status.*awaiting_allocation"):
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
