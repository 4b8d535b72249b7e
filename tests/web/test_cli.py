"""The command line keeps parity with the pages: links, approve, reject, evidence, revoke (the real entry point)."""

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from models.settings import Settings
from models.store.actions import update_action
from models.store.db import session_scope
from tests.web.conftest import snapshot, wiltshire_actions


@pytest.mark.slow
def test_links_and_sign_off_from_the_command_line(assigned: Settings, cli: Any, tmp_path: Path) -> None:
    from web.app import create_app

    action_id = wiltshire_actions()[0]
    client = TestClient(create_app())

    owner = cli("action", "link", str(action_id))
    assert owner.code == 0, owner.stderr
    assert owner.stdout.strip().startswith("http://127.0.0.1:8000/a/")
    assert client.get(owner.stdout.strip().removeprefix("http://127.0.0.1:8000")).status_code == 200

    liaison = cli("agencies", "link", "wiltshire-police", "--report", "safe-to-share")
    assert liaison.code == 0, liaison.stderr
    assert client.get(liaison.stdout.strip().removeprefix("http://127.0.0.1:8000")).status_code == 200

    plan = tmp_path / "plan.pdf"
    plan.write_bytes(b"%PDF-1.4 plan")
    added = cli("action", "evidence", str(action_id), "--file", str(plan), "--by", "sam@example.org")
    assert added.code == 0, added.stderr
    assert "sha256" in added.stdout

    with session_scope() as session:
        update_action(session, action_id=action_id, by="sam@example.org", status="complete", response="Done.")
    rejected = cli("action", "reject", str(action_id), "--reason", "Add the training records")
    assert rejected.code == 0, rejected.stderr
    assert "in_progress" in rejected.stdout
    assert list((assigned.home / "outbox").glob("*.eml"))  # the owner's notice, with no SMTP server configured

    revoked = cli("action", "revoke", str(action_id))
    assert revoked.code == 0, revoked.stderr
    assert client.get(owner.stdout.strip().removeprefix("http://127.0.0.1:8000")).status_code == 403
    assert snapshot(action_id).status == "in_progress"


def test_web_will_not_start_on_a_staff_file_with_a_mistake(
    home: Settings, cli_in_process: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "staff.yaml"
    broken.write_text("liaison_officers:\n  wiltshire-police: {emails: [liaison@wiltshire.example.org], colour: red}\n")
    monkeypatch.setenv("ACTIONED_STAFF_FILE", str(broken))
    result = cli_in_process("web", "--port", "1")
    assert result.code == 1
    assert "staff.yaml line 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # nothing served, nothing said to be served
