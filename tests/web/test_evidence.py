"""Evidence: the file rules (a table of cases, pure) and what is kept (real database, real files)."""

import hashlib

import pytest
from sqlmodel import select

from models.settings import Settings
from models.store import evidence
from models.store.db import session_scope
from models.store.tables import Event
from tests.web.conftest import wiltshire_actions


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("report.pdf", b"%PDF-1.7 ...", None),
        ("minutes.docx", b"PK\x03\x04rest", "not a readable docx file"),
        ("photo.JPG", b"\xff\xd8\xff\xe0", None),
        ("notes.txt", "Café notes".encode(), None),
        ("notes.txt", b"\xff\xfe bad", "not UTF-8"),
        ("page.html", b"<html>", "not an allowed type"),
        ("macro.docm", b"PK\x03\x04", "not an allowed type"),
        ("run.exe", b"MZ", "not an allowed type"),
        ("noext", b"data", "not an allowed type"),
        ("fake.pdf", b"MZ....", "does not look like"),
        ("empty.pdf", b"", "is empty"),
        ("big.txt", b"x" * 17, "larger than 16 bytes"),
    ],
)
def test_file_rules(name: str, data: bytes, problem: str | None) -> None:
    if problem is None:
        checked = evidence.check_file(name, data, max_bytes=16)
        assert checked.sha256 == hashlib.sha256(data).hexdigest()
        return
    with pytest.raises(evidence.EvidenceError, match=problem) as info:
        evidence.check_file(name, data, max_bytes=16)
    assert info.value.field == "file"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\My Plan (v2).pdf", "My_Plan_v2_.pdf"),
        ("...", "evidence"),
    ],
)
def test_uploaded_names_are_made_safe(name: str, safe: str) -> None:
    assert evidence.safe_filename(name) == safe


@pytest.mark.parametrize("url", ["", "ftp://example.org/x", "javascript:alert(1)", "https://", "https://a b.example"])
def test_links_must_be_web_addresses(url: str) -> None:
    with pytest.raises(evidence.EvidenceError) as info:
        evidence.check_url(url)
    assert info.value.field == "url"


def test_a_file_is_kept_under_the_data_folder_with_its_checksum_and_an_event(assigned: Settings) -> None:
    action_id = wiltshire_actions()[0]
    data = b"%PDF-1.4 policy"
    with session_scope() as session:
        row = evidence.add_file(
            session, action_id=action_id, filename="policy.pdf", data=data, by="sam@example.org", home=assigned.home
        )
        link = evidence.add_link(session, action_id=action_id, url="https://example.org/p", by="sam@example.org")
        assert row.path is not None
        assert link.url == "https://example.org/p"
    stored = assigned.home / row.path
    assert stored.read_bytes() == data
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert not row.path.startswith("/")
    with session_scope() as session:
        events = session.exec(select(Event).where(Event.action_id == action_id, Event.kind == "evidence")).all()
        assert [e.actor for e in events] == ["sam@example.org", "sam@example.org"]
        _, path = evidence.evidence_file(session, action_id=action_id, evidence_id=row.id or 0, home=assigned.home)
        assert path == stored
    stored.write_bytes(b"%PDF-1.4 altered")
    with session_scope() as session, pytest.raises(evidence.EvidenceError, match="checksum"):
        evidence.evidence_file(session, action_id=action_id, evidence_id=row.id or 0, home=assigned.home)


def test_a_closed_action_takes_no_evidence(assigned: Settings) -> None:
    from models.rules.vocabulary import Actor
    from models.store.actions import update_action

    action_id = wiltshire_actions()[0]
    with session_scope() as session:  # "not accepted" goes through the signer, as every closing does
        update_action(session, action_id=action_id, by="admin", status="not_accepted", note="Declined")
        update_action(session, action_id=action_id, by="signer", actor=Actor.SIGNER, status="not_accepted")
    with session_scope() as session, pytest.raises(evidence.EvidenceError, match="not_accepted"):
        evidence.add_link(session, action_id=action_id, url="https://example.org/p", by="x")
