"""The owner's page with tasks, over HTTP (the real app and a real database): a task added with its owner and date,
bad input shown by its field with nothing changed, a task marked done with its note, the response composed from the
notes, and the action going for sign-off only once every task is done.
"""

import re
from html import unescape
from typing import cast

from fastapi.testclient import TestClient
from httpx2 import Response
from sqlmodel import col, select

from models.store.db import session_scope
from models.store.tables import Action, Task
from tests.flows.test_cli_register import snapshot as every_row
from tests.flows.test_due_dates_cli import _wiltshire
from tests.web.conftest import csrf_of, link
from tests.web.test_pages import save

ANN = "ann.lee@wiltshire-police.example"
ERROR = re.compile(
    r'<p class="error-message" id="([a-z0-9-]+)-error"><span class="visually-hidden">Error:</span> ([^<]*)</p>'
)


def _errors(html: str) -> dict[str, str]:
    return {field: unescape(message) for field, message in ERROR.findall(html)}


def _post(client: TestClient, url: str, path: str, **fields: str) -> Response:
    token = csrf_of(client.get(url).text)
    response: Response = client.post(url + path, data={"csrf_token": token, **fields}, follow_redirects=False)
    return response


def _tasks(action_id: int) -> list[Task]:
    with session_scope() as session:
        return list(session.exec(select(Task).where(Task.action_id == action_id).order_by(col(Task.position))))


def test_the_owner_adds_a_task_and_bad_input_is_shown_by_its_field(client: TestClient) -> None:
    action_id = _wiltshire("5")  # due 17 June 2021
    url = link(action_id)
    assert "This action is not split into tasks" in client.get(url).text
    before = every_row()
    for fields, field, message in [
        ({"task-title": "", "task-owner": ANN}, "task-title", "Enter what the task is"),
        ({"task-title": "Train", "task-owner": ""}, "task-owner", "Enter the email address of the person"),
        ({"task-title": "Train", "task-owner": "ann at force"}, "task-owner", "'ann at force' is not an email address"),
        (
            {
                "task-title": "Train",
                "task-owner": ANN,
                "task-due-day": "31",
                "task-due-month": "6",
                "task-due-year": "2021",
            },
            "task-due-day",
            "The due date must be a real date",
        ),
        (
            {
                "task-title": "Train",
                "task-owner": ANN,
                "task-due-day": "1",
                "task-due-month": "7",
                "task-due-year": "2021",
            },
            "task-due-day",
            "2021-07-01 is after the action's due date (2021-06-17)",
        ),
        (
            {"task-title": "Train", "task-owner": ANN, "task-due-day": "x"},
            "task-due-day",
            "Enter the due date as numbers",
        ),
    ]:
        refused = _post(client, url, "/tasks", **fields)
        assert refused.status_code == 400, fields
        html = refused.text
        assert html.count('class="error-message"') == 1
        assert _errors(html)[field].startswith(message), _errors(html)
        assert f'<a href="#{field}">' in html  # the error summary links to the field
        assert f'value="{fields.get("task-title", "")}"' in html  # what was typed stays
    assert every_row() == before

    added = _post(
        client,
        url,
        "/tasks",
        **{
            "task-title": "Train the call handlers",
            "task-owner": ANN.upper(),
            "task-due-day": "10",
            "task-due-month": "6",
            "task-due-year": "2021",
        },
    )
    assert added.status_code == 303
    (task,) = _tasks(action_id)
    assert (task.title, task.owner_email, task.due_on.isoformat() if task.due_on else None) == (
        "Train the call handlers",
        ANN,
        "2021-06-10",
    )
    page = client.get(url).text
    assert "Task 1: Train the call handlers" in page
    assert "1 of 1 task not done yet" in page


def test_tasks_done_then_the_response_composed_then_sign_off(client: TestClient) -> None:
    action_id = _wiltshire("5")
    url = link(action_id)
    for title in ("Train the call handlers", "Rewrite the policy"):
        assert _post(client, url, "/tasks", **{"task-title": title, "task-owner": ANN}).status_code == 303
    first, second = (t.id for t in _tasks(action_id))

    before = every_row()
    refused = _post(client, url, f"/tasks/{first}", **{"task-status": "done", "task-note": ""})
    assert refused.status_code == 400
    assert _errors(refused.text)[f"task-{first}-note"] == "Say what was done: marking a task done needs a note"
    nothing = _post(client, url, "/compose")
    assert _errors(nothing.text)["compose"].startswith("No task has a note yet")
    other = _post(client, link(_wiltshire("4")), f"/tasks/{first}", **{"task-status": "done", "task-note": "x"})
    assert other.status_code == 404  # another action's link cannot touch this task
    assert every_row() == before

    assert (
        _post(client, url, f"/tasks/{first}", **{"task-status": "done", "task-note": "40 trained."}).status_code == 303
    )
    early = cast("Response", save(client, url, status="complete", response="Done."))
    assert early.status_code == 400
    assert _errors(early.text)["status"].startswith("1 task is not done yet")
    assert (
        _post(client, url, f"/tasks/{second}", **{"task-status": "done", "task-note": "Rewritten."}).status_code == 303
    )
    assert _post(client, url, "/compose").status_code == 303
    page = client.get(url + "?saved=composed")
    assert "Train the call handlers: 40 trained.\n\nRewrite the policy: Rewritten." in page.text
    composed = "Train the call handlers: 40 trained.\n\nRewrite the policy: Rewritten."
    done = cast("Response", save(client, url, status="complete", response=composed))
    assert done.status_code == 303
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert action.status == "pending_signoff"
    pending = client.get(url).text
    assert "Save task" not in pending  # the tasks are read-only while the action waits for sign-off
    assert "40 trained." in pending


def test_the_owner_asks_for_a_new_due_date_and_bad_input_changes_nothing(client: TestClient) -> None:
    from models.store.tables import DueDateChange

    action_id = _wiltshire("5")  # due 17 June 2021
    url = link(action_id)
    before = every_row()
    good = {"due-day": "30", "due-month": "9", "due-year": "2021", "due-reason": "New IT system in August"}
    for fields, field, message in [
        ({**good, "due-day": "", "due-month": "", "due-year": ""}, "due-day", "Enter the new due date"),
        ({**good, "due-day": "31"}, "due-day", "The due date must be a real date"),
        ({**good, "due-month": "IX"}, "due-day", "Enter the due date as numbers, for example 10 6 2021"),
        ({**good, "due-reason": " "}, "due-reason", "Say why the date should move"),
        ({**good, "due-day": "17", "due-month": "6"}, "due-day", "The action is already due on 2021-06-17"),
    ]:
        refused = _post(client, url, "/due", **fields)
        assert refused.status_code == 400, fields
        assert _errors(refused.text)[field].startswith(message), _errors(refused.text)
        assert f'<a href="#{field}">' in refused.text
    assert every_row() == before

    assert _post(client, url, "/due", **good).status_code == 303
    with session_scope() as session:
        change = session.exec(select(DueDateChange).where(DueDateChange.action_id == action_id)).one()
        assert (change.status, change.to_on.isoformat(), change.reason) == (
            "requested",
            "2021-09-30",
            good["due-reason"],
        )
    page = client.get(url).text
    assert "It is waiting for approval by the portfolio lead or the liaison officer" in page
    assert "Ask to move the due date" not in page  # one request at a time
