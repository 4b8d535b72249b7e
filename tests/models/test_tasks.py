"""Sub-actions as rules: how a task is written, when an action can be split, what a task change needs, when the
action is ready for sign-off, and how the response is composed from the tasks' notes.
"""

from datetime import date

import pytest

from models.rules.errors import TransitionError
from models.rules.tasks import (
    TaskError,
    TaskNote,
    TaskSpec,
    check_split,
    check_task_change,
    compose_response,
    parse_task,
    parse_task_status,
    signoff_refusal,
    tasks_left,
)
from models.rules.transitions import decide_move
from models.rules.vocabulary import Actor, Status, TaskStatus

D = date.fromisoformat
S = Status
T = TaskStatus
ANN = "ann@force.example.org"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Train call handlers|{ANN}|2021-05-01", TaskSpec("Train call handlers", ANN, D("2021-05-01"))),
        (f" Train call handlers | {ANN.upper()} ", TaskSpec("Train call handlers", ANN, None)),
        (f"Update the policy|{ANN}|", TaskSpec("Update the policy", ANN, None)),
    ],
)
def test_a_task_as_written_on_the_command_line(text, expected):
    assert parse_task(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Train call handlers", "expected TITLE|OWNER EMAIL[|YYYY-MM-DD]"),
        (f"a|{ANN}|2021-05-01|x", "expected TITLE|OWNER EMAIL[|YYYY-MM-DD]"),
        (f"|{ANN}", "the task has no title"),
        ("Train|ann at force", "'ann at force' is not an email address"),
        ("Train|@force.example.org", "is not an email address"),
        (f"Train|{ANN}|2021-02-30", "'2021-02-30' is not a date"),
    ],
)
def test_a_badly_written_task_is_one_line_naming_the_option(text, message):
    with pytest.raises(TaskError, match=r"^--task 2: ") as caught:
        parse_task(text, field="--task 2")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


A = TaskSpec("A", ANN, D("2021-05-01"))
B = TaskSpec("B", ANN, None)


@pytest.mark.parametrize(
    ("status", "due_on", "tasks", "error"),
    [
        (S.OPEN, D("2021-06-17"), [A, B], None),
        (S.IN_PROGRESS, None, [A], None),
        (S.IN_PROGRESS, D("2021-05-01"), [A], None),  # due on the action's own day is fine
        (S.OPEN, D("2021-06-17"), [], "give at least one task"),
        (S.AWAITING_ALLOCATION, D("2021-06-17"), [A], "a awaiting_allocation action cannot be split"),
        (S.PENDING_SIGNOFF, D("2021-06-17"), [A], "a pending_signoff action cannot be split"),
        (S.COMPLETE, D("2021-06-17"), [A], "a complete action cannot be split"),
        (S.OPEN, D("2021-04-30"), [B, A], "task 2 due: 2021-05-01 is after the action's due date (2021-04-30)"),
        (S.OPEN, None, [A, TaskSpec("a", ANN)], "task 2 title: two tasks are called 'a'"),
    ],
)
def test_when_an_action_can_be_split(status, due_on, tasks, error):
    if error is None:
        check_split(status=status, due_on=due_on, tasks=tasks)
        return
    with pytest.raises(TaskError) as caught:
        check_split(status=status, due_on=due_on, tasks=tasks)
    assert error in str(caught.value)


@pytest.mark.parametrize(
    ("action_status", "to", "note", "due_on", "error"),
    [
        (S.OPEN, T.IN_PROGRESS, None, None, None),
        (S.IN_PROGRESS, T.DONE, "Trained 40 call handlers", None, None),
        (S.IN_PROGRESS, T.DONE, None, None, "note: say what was done: marking a task done needs a note"),
        (S.IN_PROGRESS, T.DONE, "  ", None, "marking a task done needs a note"),
        (S.IN_PROGRESS, None, None, D("2021-06-17"), None),
        (S.IN_PROGRESS, None, None, D("2021-06-18"), "due: 2021-06-18 is after the action's due date (2021-06-17)"),
        (S.PENDING_SIGNOFF, T.OPEN, None, None, "the action is pending_signoff: its tasks can no longer change"),
        (S.COMPLETE, None, "late note", None, "the action is complete"),
    ],
)
def test_what_a_task_change_needs(action_status, to, note, due_on, error):
    kwargs = {
        "action_status": action_status,
        "to": to,
        "note": note,
        "due_on": due_on,
        "action_due_on": D("2021-06-17"),
    }
    if error is None:
        check_task_change(**kwargs)
        return
    with pytest.raises(TaskError) as caught:
        check_task_change(**kwargs)
    assert error in str(caught.value)


@pytest.mark.parametrize(("value", "expected"), [("done", T.DONE), ("In progress", T.IN_PROGRESS), ("OPEN", T.OPEN)])
def test_task_statuses_as_written(value, expected):
    assert parse_task_status(value) is expected


def test_an_unknown_task_status_names_the_known_ones():
    with pytest.raises(
        TaskError, match="'finished' is not a task status \\(expected one of: open, in_progress, done\\)"
    ):
        parse_task_status("finished")


@pytest.mark.parametrize(
    ("statuses", "left"),
    [([], 0), (["done", "done"], 0), (["open", "done"], 1), (["open", "in_progress", "done"], 2)],
)
def test_tasks_left(statuses, left):
    assert tasks_left(statuses) == left


@pytest.mark.parametrize(
    ("left", "requested", "refused"),
    [
        (0, S.COMPLETE, False),
        (1, S.COMPLETE, True),
        (2, S.PENDING_SIGNOFF, True),
        (2, S.NOT_ACCEPTED, False),  # a closing explained by its reason ends the work whatever the tasks
        (2, S.SUPERSEDED, False),
    ],
)
def test_ready_for_signoff_only_when_every_task_is_done(left, requested, refused):
    assert (signoff_refusal(tasks_not_done=left, requested=requested) is not None) is refused


@pytest.mark.parametrize(
    ("left", "requested", "expected"),
    [
        (0, S.COMPLETE, S.PENDING_SIGNOFF),
        (1, S.COMPLETE, None),
        (3, S.NOT_ACCEPTED, S.PENDING_SIGNOFF),
        (3, S.IN_PROGRESS, S.IN_PROGRESS),  # working on is never held back by the tasks
    ],
)
def test_the_transition_rule_counts_the_tasks_left(left, requested, expected):
    def move() -> Status:
        return decide_move(S.OPEN, requested, actor=Actor.OWNER, note="reason", response="Done.", tasks_not_done=left)

    if expected is None:
        with pytest.raises(TransitionError, match=f"^status: {left} task"):
            move()
    else:
        assert move() is expected


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        (
            [TaskNote(2, "Policy", "Rewritten in May."), TaskNote(1, "Training", "40 staff trained.")],
            "Training: 40 staff trained.\n\nPolicy: Rewritten in May.",
        ),
        ([TaskNote(1, "Training", " 40 staff trained. "), TaskNote(2, "Policy", None)], "Training: 40 staff trained."),
    ],
)
def test_the_response_is_composed_from_the_notes_in_task_order(notes, expected):
    assert compose_response(notes) == expected


def test_nothing_to_compose_without_a_note():
    with pytest.raises(TaskError, match="no task has a note yet"):
        compose_response([TaskNote(1, "Training", None), TaskNote(2, "Policy", "  ")])
