"""Allocation as a new user meets it: contacts imported after the fan-out reach the existing actions at once, every new
owner is told straight away, and an owner can say "not mine".
"""

import email
import email.policy
from pathlib import Path

import pytest
from sqlmodel import col, select

from models.rules.vocabulary import EventKind, Status
from models.store.db import session_scope
from models.store.tables import Action, Delivery, Event

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "data"


@pytest.fixture
def assigned_before_contacts(cli_in_process):
    """The README's order: init, import the report, assign, and only then import the contacts."""
    from models.store.fanout import fan_out

    assert cli_in_process("init").code == 0
    assert cli_in_process("report", "import", str(SHIPPED / "reports" / "safe-to-share.yaml")).code == 0
    with session_scope() as session:
        fan_out(session, report_id="safe-to-share")
    return cli_in_process


def _contacts_for_everyone(path: Path) -> Path:
    """An owner (and a liaison officer) for every agency the report addresses, on reserved example domains."""
    with session_scope() as session:
        agencies = sorted(set(session.exec(select(Action.agency_id))))
    lines = ["agencies:"]
    for agency in agencies:
        lines += [
            f"  - id: {agency}",
            "    contacts:",
            f"      - {{role: owner, name: Owner of {agency}, email: owner@{agency}.example}}",
            f"      - {{role: liaison_officer, name: Liaison of {agency}, email: liaison@{agency}.example}}",
        ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_contacts_imported_after_assigning_reach_every_action_and_every_owner_is_told(
    assigned_before_contacts, tmp_path, home
):
    cli = assigned_before_contacts
    with session_scope() as session:
        assert {a.status for a in session.exec(select(Action))} == {Status.AWAITING_ALLOCATION}
    result = cli("agencies", "import", str(_contacts_for_everyone(tmp_path / "contacts.yaml")))
    assert result.code == 0, result.stderr
    assert "allocated 270 actions awaiting an owner; 89 owners told" in result.stdout
    with session_scope() as session:
        actions = list(session.exec(select(Action)))
        assert all(a.owner_email == f"owner@{a.agency_id}.example" and a.status == Status.OPEN for a in actions)
        owner_events = session.exec(select(Event).where(Event.kind == EventKind.OWNER.value)).all()
        assert len(owner_events) == 270
        told = list(session.exec(select(Delivery).where(Delivery.kind == "allocated")))
    assert len(told) == 89
    assert {d.status for d in told} == {"sent"}
    sent = sorted((home.outbox).glob("*.eml"))
    assert len(sent) == 89
    wiltshire = next(
        m
        for m in (email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sent)
        if m["To"] == "owner@wiltshire-police.example"
    )
    assert wiltshire["Subject"] == "OFFICIAL: Safe to share?: you now own 4 actions"
    body = wiltshire.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "You now own 4 actions" in body
    assert "you now own these actions" in body
    assert "Recommendation 5, Wiltshire Police: now yours" in body

    again = cli("agencies", "import", str(tmp_path / "contacts.yaml"))  # nothing left to allocate, nobody told twice
    assert again.code == 0
    assert "allocated" not in again.stdout
    with session_scope() as session:
        assert len(session.exec(select(Delivery).where(Delivery.kind == "allocated")).all()) == 89


def test_not_mine_returns_the_action_to_the_liaison_officer(assigned_before_contacts, tmp_path):
    cli = assigned_before_contacts
    contacts = _contacts_for_everyone(tmp_path / "contacts.yaml")
    assert cli("agencies", "import", str(contacts)).code == 0
    with session_scope() as session:
        action_id = session.exec(
            select(Action.id).where(Action.agency_id == "wiltshire-police").order_by(col(Action.id))
        ).first()
    refused = cli("action", "not-mine", str(action_id), "--reason", "  ", "--by", "owner@wiltshire-police.example")
    assert (refused.code, refused.stderr.strip()) == (
        1,
        f"actioned: error: action {action_id}: reason: say why the action is not yours; the liaison officer will read it",
    )
    result = cli(
        "action", "not-mine", str(action_id), "--reason", "Custody, not PPU", "--by", "owner@wiltshire-police.example"
    )
    assert result.code == 0, result.stderr
    assert "awaiting_allocation (liaison officer told)" in result.stdout
    with session_scope() as session:
        action = session.get(Action, action_id)
        assert action is not None
        assert (action.status, action.owner_email) == (Status.AWAITING_ALLOCATION, None)
        declined = session.exec(
            select(Event).where(Event.action_id == action_id, Event.kind == EventKind.DECLINED.value)
        ).one()
        assert (declined.from_value, declined.note) == ("owner@wiltshire-police.example", "Custody, not PPU")
        notice = session.exec(select(Delivery).where(Delivery.kind == "declined")).one()
        assert notice.recipient == "liaison@wiltshire-police.example"
    # the default owner is not handed back what they declined
    assert "allocated" not in cli("agencies", "import", str(contacts)).stdout
    twice = cli("action", "not-mine", str(action_id), "--reason", "again")
    assert twice.code == 1
    assert "cannot be handed back" in twice.stderr


def test_a_new_owner_given_one_action_is_told_at_once(assigned_before_contacts):
    cli = assigned_before_contacts
    result = cli("action", "assign", "1", "--owner", "new.owner@force.example", "--name", "New Owner")
    assert result.code == 0, result.stderr
    with session_scope() as session:
        told = session.exec(select(Delivery).where(Delivery.kind == "allocated")).one()
    assert (told.recipient, told.status, told.subject) == (
        "new.owner@force.example",
        "sent",
        "OFFICIAL: Safe to share?: you now own 1 action",
    )
