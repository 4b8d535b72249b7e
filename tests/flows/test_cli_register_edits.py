"""The register edited locally: contacts removed or replaced, and `actioned init` rerun never reverting an edit."""

from pathlib import Path
from typing import Any

from sqlmodel import select

from models.settings import Settings
from models.store.db import session_scope
from models.store.tables import Agency, Contact, Group, GroupMember


def contacts(agency_id: str) -> set[tuple[str, str]]:
    with session_scope() as session:
        return {(c.role, c.email) for c in session.exec(select(Contact).where(Contact.agency_id == agency_id))}


def groups_of(agency_id: str) -> set[str]:
    with session_scope() as session:
        return set(session.exec(select(GroupMember.group_id).where(GroupMember.agency_id == agency_id)))


def test_remove_a_contact(registered: Settings, cli_in_process: Any) -> None:
    assert ("owner", "sam.carter@wiltshire-police.example") in contacts("wiltshire-police")
    result = cli_in_process(
        "agencies", "remove-contact", "wiltshire-police", "--email", "Sam.Carter@wiltshire-police.example"
    )
    assert result.code == 0, result.stderr
    assert "sam.carter@wiltshire-police.example (owner)" in result.stdout
    assert ("owner", "sam.carter@wiltshire-police.example") not in contacts("wiltshire-police")
    before = contacts("wiltshire-police")
    for args, fragment in [
        (("wiltshire-police", "--email", "nobody@example.org"), "has no contact 'nobody@example.org'"),
        (("atlantis-police", "--email", "a@example.org"), "agency 'atlantis-police' is not registered"),
        (("wiltshire-police", "--email", "priya.shah@wiltshire-police.example", "--role", "boss"), "--role: 'boss'"),
    ]:
        refused = cli_in_process("agencies", "remove-contact", *args)
        assert refused.code == 1
        assert len(refused.stderr.strip().splitlines()) == 1
        assert fragment in refused.stderr
    assert contacts("wiltshire-police") == before


def test_an_import_can_replace_an_agencys_contacts(registered: Settings, cli_in_process: Any, tmp_path: Path) -> None:
    path = tmp_path / "wiltshire.csv"
    path.write_text(
        "agency,role,name,email\n"
        "wiltshire-police,owner,Kim Lee,kim.lee@wiltshire-police.example\n"
        "wiltshire-police,liaison_officer,Morgan Hale,morgan.hale@wiltshire-police.example\n"
    )
    dorset = contacts("dorset-police")
    merged = cli_in_process("agencies", "import", str(path))
    assert merged.code == 0, merged.stderr
    assert ("owner", "sam.carter@wiltshire-police.example") in contacts("wiltshire-police")  # the default: merge
    replaced = cli_in_process("agencies", "import", str(path), "--replace-contacts")
    assert replaced.code == 0, replaced.stderr
    assert "removed 4" in replaced.stdout
    assert contacts("wiltshire-police") == {
        ("owner", "kim.lee@wiltshire-police.example"),
        ("liaison_officer", "morgan.hale@wiltshire-police.example"),
    }
    assert contacts("dorset-police") == dorset  # agencies the file does not name are left alone


def test_init_again_adds_what_the_register_gained_and_keeps_local_edits(
    registered: Settings, cli_in_process: Any
) -> None:
    dropped, gained = sorted(groups_of("wiltshire-police"))[:2]
    with session_scope() as session:
        wiltshire = session.get(Agency, "wiltshire-police")
        assert wiltshire is not None
        wiltshire.name = "Wiltshire Constabulary"  # renamed here
        session.add(wiltshire)
        session.delete(session.get(GroupMember, (dropped, "wiltshire-police")))  # taken out of a group here
        for c in session.exec(select(Contact).where(Contact.agency_id == "wiltshire-police", Contact.role == "owner")):
            c.email, c.name = "kim.lee@wiltshire-police.example", "Kim Lee"  # a new owner recorded here
            session.add(c)
        # What the shipped register gained since this database was made: a group, and an agency.
        members = GroupMember.__table__  # type: ignore[attr-defined]
        session.execute(members.delete().where(members.c.group_id == gained))
        session.delete(session.get(Group, gained))
        overseen = set(session.exec(select(Agency.oversees)))
        with_contacts = set(session.exec(select(Contact.agency_id)))
        lost = next(a for a in session.exec(select(Agency)) if a.id not in overseen | with_contacts and not a.oversees)
        session.execute(members.delete().where(members.c.agency_id == lost.id))
        session.delete(lost)
        lost_id = lost.id
    result = cli_in_process("init", "--examples")
    assert result.code == 0, result.stderr
    with session_scope() as session:
        wiltshire = session.get(Agency, "wiltshire-police")
        assert wiltshire is not None
        assert wiltshire.name == "Wiltshire Constabulary"
        assert session.get(Group, gained) is not None
        assert session.get(Agency, lost_id) is not None
    assert gained in groups_of("wiltshire-police")  # its place in the group new to this database
    assert dropped not in groups_of("wiltshire-police")  # the local removal stands
    owners = {e for r, e in contacts("wiltshire-police") if r == "owner"}
    assert owners == {"kim.lee@wiltshire-police.example"}  # the example owner did not come back beside the local one
