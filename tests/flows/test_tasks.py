"""Sub-actions through the command line and the reminder sweep: an action split into owned tasks, bad input refused
in one line with nothing changed, sign-off only when every task is done, the response composed from the tasks' notes,
and each task's owner reminded on the task's own ladder (a done task, a new owner, a closed action all followed).
"""

from datetime import UTC, date, datetime, time

from sqlmodel import col, select

from models.rules.vocabulary import EventKind
from models.settings import Settings
from models.store.db import session_scope
from models.store.tables import Action, Delivery, Event, Task
from notifications.reminders import sweep
from tests.conftest import SmtpSink
from tests.flows.test_cli_register import snapshot
from tests.flows.test_due_dates_cli import OWNER, _wiltshire

ANN = "ann.lee@wiltshire-police.example"
BOB = "bob.kay@wiltshire-police.example"
CAROL = "carol.oni@wiltshire-police.example"
TRAINING = f"Train the call handlers|{ANN}|2021-06-10"
POLICY = f"Rewrite the data-sharing policy|{BOB}|2021-06-10"


def at(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=UTC)


def task_events(action_id: int) -> list[Event]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Event).where(Event.action_id == action_id, Event.kind == EventKind.TASK).order_by(col(Event.id))
            )
        )


def tasks(action_id: int) -> list[Task]:
    with session_scope() as session:
        return list(session.exec(select(Task).where(Task.action_id == action_id).order_by(col(Task.position))))


def test_an_action_is_split_into_owned_tasks_and_bad_input_changes_nothing(assigned, cli_in_process):
    cli = cli_in_process
    action_id = _wiltshire("5")  # due 2021-06-17, owned by Sam Carter
    before = snapshot()
    for args, line in [
        (["--task", "Train the call handlers"], "--task 1: 'Train the call handlers': expected TITLE|OWNER EMAIL"),
        (["--task", TRAINING, "--task", f"Audit|{BOB}|2021-06-31"], "--task 2: '2021-06-31' is not a date"),
        (
            ["--task", f"Audit|{BOB}|2021-07-01"],
            f"action {action_id}: task 1 due: 2021-07-01 is after the action's due date (2021-06-17)",
        ),
        (["--task", TRAINING, "--task", TRAINING.upper()], "task 2 title: two tasks are called"),
        (["--task", "Audit|bob@|2021-06-01"], "'bob@' is not an email address"),
    ]:
        refused = cli("action", "split", str(action_id), *args, "--by", OWNER)
        assert refused.code == 1, refused.stdout
        assert line in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    missing = cli("action", "split", "999999", "--task", TRAINING)
    assert (missing.code, missing.stderr.strip()) == (1, "actioned: error: action 999999 does not exist")
    assert snapshot() == before

    split = cli("action", "split", str(action_id), "--task", TRAINING, "--task", POLICY, "--by", OWNER)
    assert split.code == 0, split.stderr
    assert f"action {action_id}: 2 tasks added" in split.stdout
    found = tasks(action_id)
    assert [(t.position, t.title, t.owner_email, t.due_on, t.status) for t in found] == [
        (1, "Train the call handlers", ANN, date(2021, 6, 10), "open"),
        (2, "Rewrite the data-sharing policy", BOB, date(2021, 6, 10), "open"),
    ]
    assert [(e.actor, e.to_value, e.note) for e in task_events(action_id)] == [
        (OWNER, "task 1: Train the call handlers", f"owner {ANN}, due 2021-06-10"),
        (OWNER, "task 2: Rewrite the data-sharing policy", f"owner {BOB}, due 2021-06-10"),
    ]
    listed = cli("action", "tasks", str(action_id))
    assert "Train the call handlers" in listed.stdout
    assert BOB in listed.stdout
    again = cli("action", "split", str(action_id), "--task", TRAINING)
    assert "task 3 title: two tasks are called 'Train the call handlers'" in again.stderr


def test_sign_off_waits_for_every_task_and_the_response_is_composed_from_their_notes(assigned, cli_in_process):
    cli = cli_in_process
    action_id = _wiltshire("5")
    assert cli("action", "split", str(action_id), "--task", TRAINING, "--task", POLICY, "--by", OWNER).code == 0
    first, second = (t.id for t in tasks(action_id))
    early = cli("action", "update", str(action_id), "--status", "complete", "--response", "All done.", "--by", OWNER)
    assert early.code == 1
    assert early.stderr.strip() == (
        f"actioned: error: action {action_id}: status: 2 tasks are not done yet: "
        "the action is ready for sign-off when every task is done"
    )
    before = snapshot()
    for args, line in [
        (["--status", "done"], f"task {first}: note: say what was done: marking a task done needs a note"),
        (["--status", "finished"], "'finished' is not a task status"),
        (["--due", "2021-06-18"], "2021-06-18 is after the action's due date (2021-06-17)"),
        ([], f"task {first}: nothing to change"),
    ]:
        refused = cli("task", "update", str(first), *args, "--by", ANN)
        assert refused.code == 1
        assert line in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    nothing = cli("action", "compose", str(action_id), "--by", OWNER)
    assert "no task has a note yet" in nothing.stderr
    assert snapshot() == before

    done = cli(
        "task", "update", str(first), "--status", "done", "--note", "40 call handlers trained in May.", "--by", ANN
    )
    assert done.code == 0, done.stderr
    noted = cli("task", "update", str(second), "--note", "Policy rewritten with Liberty's advice.", "--by", BOB)
    assert noted.code == 0, noted.stderr
    still = cli("action", "update", str(action_id), "--status", "complete", "--response", "x", "--by", OWNER)
    assert "1 task is not done yet" in still.stderr
    assert cli("task", "update", str(second), "--status", "done", "--by", BOB).code == 0  # its note is already there

    composed = cli("action", "compose", str(action_id), "--by", OWNER)
    assert composed.code == 0, composed.stderr
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert action.response == (
            "Train the call handlers: 40 call handlers trained in May.\n\n"
            "Rewrite the data-sharing policy: Policy rewritten with Liberty's advice."
        )
    ready = cli("action", "update", str(action_id), "--status", "complete", "--by", OWNER)
    assert ready.code == 0, ready.stderr
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert action.status == "pending_signoff"
    changes = [(e.actor, e.from_value, e.to_value, e.note) for e in task_events(action_id)][2:]
    assert changes == [
        (ANN, "open", "done", "task 1: Train the call handlers: status"),
        (ANN, None, "40 call handlers trained in May.", "task 1: Train the call handlers: note"),
        (BOB, None, "Policy rewritten with Liberty's advice.", "task 2: Rewrite the data-sharing policy: note"),
        (BOB, "open", "done", "task 2: Rewrite the data-sharing policy: status"),
    ]
    late = cli("task", "update", str(first), "--status", "open", "--by", ANN)
    assert "the action is pending_signoff: its tasks can no longer change" in late.stderr


def _task_messages(smtp: SmtpSink, to: str) -> list[str]:
    found = []
    for message in smtp.messages:
        if message["To"] == to:
            body = message.get_body(("plain",))
            assert body is not None
            found.append(body.get_content())
    return found


def test_each_task_owner_is_reminded_on_the_tasks_own_ladder(assigned: Settings, cli_in_process, smtp: SmtpSink):
    cli = cli_in_process
    action_id = _wiltshire("5")
    assert cli("action", "split", str(action_id), "--task", TRAINING, "--task", POLICY, "--by", OWNER).code == 0
    first, second = (t.id for t in tasks(action_id))

    day = date(2021, 6, 3)  # 7 days before the tasks' date, 14 before the action's
    sweep(today=day, now=at(day))
    (ann,) = _task_messages(smtp, ANN)
    assert "Task 1 of recommendation 5, Wiltshire Police: due in 7 days" in ann
    assert '"Train the call handlers", due 10 June 2021, open' in ann
    assert "tell Sam Carter (who owns the recommendation) what was done" in ann
    assert "/a/" not in ann  # a task's owner gets no link to the action owner's page
    assert len(_task_messages(smtp, BOB)) == 1
    sam = "\n".join(_task_messages(smtp, OWNER))
    assert "Recommendation 5, Wiltshire Police: due in 14 days" in sam
    assert "Task 1" not in sam

    # task 1 done, task 2 given to Carol: the next rung goes to Carol only, on the task's new round
    assert cli("task", "update", str(first), "--status", "done", "--note", "Trained.", "--by", ANN).code == 0
    assert cli("task", "update", str(second), "--owner", CAROL, "--by", OWNER).code == 0
    smtp.messages.clear()
    day = date(2021, 6, 9)  # the day before the tasks' date
    sweep(today=day, now=at(day))
    assert _task_messages(smtp, ANN) == []
    assert _task_messages(smtp, BOB) == []
    (carol,) = _task_messages(smtp, CAROL)
    assert "Task 2 of recommendation 5, Wiltshire Police: due tomorrow" in carol

    # the action closed: its tasks stop with it
    assert (
        cli("action", "update", str(action_id), "--status", "superseded", "--note", "National plan", "--by", OWNER).code
        == 0
    )
    smtp.messages.clear()
    day = date(2021, 6, 10)
    sweep(today=day, now=at(day))
    assert _task_messages(smtp, CAROL) == []
    with session_scope() as session:
        keys = sorted(session.exec(select(Delivery.key).where(col(Delivery.key).startswith("task:"))))
    assert keys == [
        f"task:{first}:0:before-7",
        f"task:{second}:0:before-7",
        f"task:{second}:1:before-1",
    ]
