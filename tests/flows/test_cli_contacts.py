"""The register page's changes at the command line (parity): a contact added, replaced or removed says what it does to
the open actions, ``--dry-run`` says it and changes nothing; an owner sent a fresh link or chased once a day; the
agency's delivery log.
"""

import json
from typing import Any

from sqlmodel import col, func, select

from models.rules.vocabulary import Status
from models.settings import Settings
from models.store.db import session_scope
from models.store.tables import Action, Contact, Delivery, Event


def owners(agency_id: str) -> list[tuple[str | None, str]]:
    with session_scope() as session:
        rows = session.exec(
            select(Action.owner_email, Action.status).where(Action.agency_id == agency_id).order_by(col(Action.id))
        ).all()
    return [(o, s) for o, s in rows]


def test_adding_the_first_owner_gives_them_every_action_awaiting_allocation(
    assigned: Settings, cli_in_process: Any
) -> None:
    waiting = owners("dorset-police")
    assert waiting
    assert {s for _, s in waiting} == {Status.AWAITING_ALLOCATION}
    args = ("agencies", "add-contact", "dorset-police", "--role", "owner", "--name", "Kit Owner")
    dry = cli_in_process(*args, "--email", "kit.owner@dorset-police.example", "--dry-run")
    assert dry.code == 0, dry.stderr
    assert f"would: {len(waiting)} open actions will get this owner" in dry.stdout
    assert owners("dorset-police") == waiting
    done = cli_in_process(*args, "--email", "kit.owner@dorset-police.example")
    assert done.code == 0, done.stderr
    assert f"{len(waiting)} open actions now have this owner" in done.stdout
    assert set(owners("dorset-police")) == {("kit.owner@dorset-police.example", Status.OPEN)}
    with session_scope() as session:  # the new owner is told, once, in one message
        told = session.exec(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.kind == "allocated", Delivery.agency_id == "dorset-police")
        ).one()
    assert told == 1
    again = cli_in_process(*args, "--email", "Kit.Owner@dorset-police.example")
    assert again.code == 1
    assert "already the agency's action owner" in again.stderr


def test_removing_an_owner_frees_their_open_actions_and_replacing_hands_them_over(
    assigned: Settings, cli_in_process: Any
) -> None:
    before = owners("wiltshire-police")
    assert {o for o, _ in before} == {"sam.carter@wiltshire-police.example"}
    replaced = cli_in_process(
        "agencies", "replace-contact", "wiltshire-police", "--email", "sam.carter@wiltshire-police.example",
        "--new-email", "kim.lee@wiltshire-police.example", "--name", "Kim Lee",
    )  # fmt: skip
    assert replaced.code == 0, replaced.stderr
    assert f"{len(before)} open actions now have this owner" in replaced.stdout
    assert {o for o, _ in owners("wiltshire-police")} == {"kim.lee@wiltshire-police.example"}

    dry = cli_in_process(
        "agencies", "remove-contact", "wiltshire-police", "--email", "kim.lee@wiltshire-police.example", "--dry-run"
    )
    assert f"would: {len(before)} actions lose their owner and await allocation" in dry.stdout
    assert {o for o, _ in owners("wiltshire-police")} == {"kim.lee@wiltshire-police.example"}
    removed = cli_in_process(
        "agencies", "remove-contact", "wiltshire-police", "--email", "kim.lee@wiltshire-police.example"
    )
    assert removed.code == 0, removed.stderr
    assert "removed kim.lee@wiltshire-police.example (owner)" in removed.stdout
    assert set(owners("wiltshire-police")) == {(None, Status.AWAITING_ALLOCATION)}
    with session_scope() as session:
        assert not session.exec(select(Contact).where(Contact.email == "kim.lee@wiltshire-police.example")).all()
        notes = session.exec(select(Event.note).where(Event.note == "removed from the agency's contacts")).all()
    assert len(notes) == len(before)


def test_a_fresh_link_and_a_chaser_go_once_a_day_and_show_in_the_delivery_log(
    assigned: Settings, cli_in_process: Any
) -> None:
    with session_scope() as session:
        action_id = session.exec(
            select(Action.id).where(Action.agency_id == "wiltshire-police").order_by(col(Action.id))
        ).first()
    for command, first, second in [
        ("send-link", "fresh link sent to sam.carter", "a fresh link was already sent today"),
        ("chase", "chaser sent to sam.carter", "already chased today"),
    ]:
        sent = cli_in_process("action", command, str(action_id), "--today", "2021-07-01", "--by", "Lee Liaison")
        assert sent.code == 0, sent.stderr
        assert first in sent.stdout
        assert "http" not in sent.stdout  # a link goes to the owner, never on the screen
        again = cli_in_process("action", command, str(action_id), "--today", "2021-07-01")
        assert second in again.stdout
    with session_scope() as session:
        rows = session.exec(select(Delivery).where(Delivery.action_id == action_id)).all()
    assert sorted(r.stage for r in rows if r.stage) == ["chase-now", "fresh-link"]
    chaser = next(r for r in rows if r.stage == "chase-now")
    assert chaser.kind == "chaser"  # due 17 June 2021: overdue on 1 July
    assert chaser.message is not None
    link = next(r for r in rows if r.stage == "fresh-link")
    assert link.message is not None
    assert "Lee Liaison has sent you a fresh link" in link.message["text"]

    log = cli_in_process("agencies", "deliveries", "wiltshire-police", "--kind", "chaser", "--json")
    assert log.code == 0, log.stderr
    found = json.loads(log.stdout)
    assert found["total"] == 1
    assert found["deliveries"][0]["action"] == action_id
    bad = cli_in_process("agencies", "deliveries", "wiltshire-police", "--kind", "postcard")
    assert bad.code == 1
    assert "'postcard' is not a kind of message" in bad.stderr
