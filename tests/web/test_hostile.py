"""Hostile and unlucky requests to the pages: stale comments, revoked liaison links, bodies over the limit, ids too
large for the database, Office files that are not what they claim, and error pages that keep the security headers.
"""

import io
import zipfile
from collections.abc import Iterator

import docx
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlmodel import col, select

from models.settings import Settings
from models.store import evidence
from models.store.db import session_scope
from models.store.tables import ReturnComments, ReturnCommentsChange
from tests.web.conftest import csrf_of, liaison_link, link, snapshot
from web import limits, security

COMMENTS = ("safe-to-share", "wiltshire-police")


def history() -> list[ReturnCommentsChange]:
    with session_scope() as session:
        return list(
            session.exec(
                select(ReturnCommentsChange)
                .where(ReturnCommentsChange.report_id == COMMENTS[0], ReturnCommentsChange.agency_id == COMMENTS[1])
                .order_by(col(ReturnCommentsChange.version))
            )
        )


def save_comments(
    client: TestClient, url: str, page: str, *, version: int, chief_officer: str, portfolio_lead: str
) -> Response:
    """Post the liaison page's comments form as a browser would, from the page it was served on."""
    data = {"csrf_token": csrf_of(page), "version": str(version), "pcc": ""}
    data |= {"chief_officer": chief_officer, "portfolio_lead": portfolio_lead}
    response: Response = client.post(url + "/comments", data=data, follow_redirects=False)
    return response


def has_security_headers(response: object) -> bool:
    headers = response.headers  # type: ignore[attr-defined]
    return all(headers.get(name) == value for name, value in security.HEADERS.items())


def test_a_stale_comments_editor_gets_the_conflict_and_loses_nothing(client: TestClient) -> None:
    url = liaison_link()
    first = client.get(url).text
    second = client.get(url).text
    saved = save_comments(client, url, first, version=0, chief_officer="First words.", portfolio_lead="")
    assert saved.status_code == 303
    assert 'name="version" value="0"' in second
    stale = save_comments(client, url, second, version=0, chief_officer="Second words.", portfolio_lead="Mine.")
    assert stale.status_code == 409
    assert "Someone else saved these comments" in stale.text
    assert "Second words." in stale.text  # what they typed is still in the form
    assert "Mine." in stale.text
    assert "First words." in stale.text  # and what is saved now is shown beside it
    assert 'name="version" value="1"' in stale.text  # saving again from this page is allowed
    with session_scope() as session:
        row = session.get(ReturnComments, COMMENTS)
        assert row is not None
        assert (row.chief_officer, row.version) == ("First words.", 1)
    again = save_comments(client, url, stale.text, version=1, chief_officer="Second words.", portfolio_lead="Mine.")
    assert again.status_code == 303
    kept = history()
    assert [(h.version, h.chief_officer, h.portfolio_lead) for h in kept] == [
        (1, "First words.", ""),
        (2, "Second words.", "Mine."),
    ]
    assert {h.changed_by for h in kept} == {"morgan.hale@wiltshire-police.example"}


def test_comments_from_the_command_line_are_kept_in_the_history(assigned: Settings, cli_in_process: object) -> None:
    run = cli_in_process
    for text in ("Draft.", "Final."):
        result = run("returns", "comments", "safe-to-share", "--agency", "wiltshire-police", "--chief-officer", text)  # type: ignore[operator]
        assert result.code == 0, result.stderr
    assert [h.chief_officer for h in history()] == ["Draft.", "Final."]


def test_liaison_links_revoked_at_the_command_line(client: TestClient, cli_in_process: object) -> None:
    old = liaison_link()
    assert client.get(old).status_code == 200
    result = cli_in_process(
        "agencies", "revoke", "wiltshire-police", "--report", "safe-to-share", "--by", "admin@example.org"
    )  # type: ignore[operator]
    assert result.code == 0, result.stderr
    assert client.get(old).status_code == 403
    assert client.get(liaison_link()).status_code == 200  # a fresh one works
    assert client.get(liaison_link(agency_id="dorset-police")).status_code == 200  # and no other agency's died
    bad = cli_in_process("agencies", "revoke", "atlantis-police", "--report", "safe-to-share")  # type: ignore[operator]
    assert bad.code == 1
    assert "atlantis-police" in bad.stderr


def test_liaison_links_revoked_from_the_page(client: TestClient) -> None:
    url = liaison_link()
    page = client.get(url).text
    assert "Withdraw every link to this page" in page
    forged = client.post(url + "/revoke", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert client.get(url).status_code == 200
    done = client.post(url + "/revoke", data={"csrf_token": csrf_of(page)})
    assert done.status_code == 200
    assert "has been withdrawn" in done.text
    assert client.get(url).status_code == 403


def test_a_body_over_the_limit_is_refused_by_its_length(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    page = client.get(url).text
    before = snapshot(action_id)
    big = "x" * (limits.FORM_LIMIT + 1)
    refused = client.post(url, data={"csrf_token": csrf_of(page), "version": str(before.version), "response": big})
    assert refused.status_code == 413
    assert "Too much to send at once" in refused.text
    assert has_security_headers(refused)
    assert snapshot(action_id) == before


def test_a_body_over_the_limit_is_refused_while_it_streams(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    before = snapshot(action_id)
    sent = []

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            sent.append(1)
            yield b"response=" + b"y" * 64 * 1024

    refused = client.post(url, content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 413
    assert snapshot(action_id) == before


def test_the_link_is_checked_before_the_body(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    tampered = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    refused = client.post(tampered, content=b"x" * (limits.FORM_LIMIT + 10))
    assert refused.status_code == 403  # the invalid-link page, not 413: the body was never looked at
    assert "no longer valid" in refused.text


def test_an_upload_over_the_limit_keeps_the_owners_page(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    page = client.get(url).text
    before = snapshot(action_id)
    refused = client.post(
        url + "/evidence",
        data={"csrf_token": csrf_of(page), "url": ""},
        files={"file": ("big.pdf", b"%PDF-" + b"0" * (evidence.MAX_BYTES + 70 * 1024), "application/pdf")},
    )
    assert refused.status_code == 413
    assert "larger than 10 MB" in refused.text
    assert "Response for the progress return" in refused.text  # the owner's page, with the rest of the form
    assert snapshot(action_id) == before


@pytest.mark.parametrize("evidence_id", ["99999999999999999999", "2147483648", "0", "-1", "abc"])
def test_an_id_too_large_for_the_database_is_a_404(client: TestClient, action_id: int, evidence_id: str) -> None:
    response = client.get(link(action_id) + f"/evidence/{evidence_id}")
    assert response.status_code == 404
    assert has_security_headers(response)


def test_a_liaison_reassign_naming_a_huge_action_id_is_a_form_error(client: TestClient) -> None:
    url = liaison_link()
    page = client.get(url).text
    response = client.post(
        url + "/assign",
        data={"csrf_token": csrf_of(page), "action": "99999999999999999999999", "owner_email": "kim@example.org"},
    )
    assert response.status_code == 400
    assert "Choose the action to reassign" in response.text


def test_error_pages_carry_the_security_headers(
    client: TestClient, action_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert has_security_headers(missing)
    url = link(action_id)
    monkeypatch.setenv("ACTIONED_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/gone")  # the database goes away
    failed = client.get(url)
    assert failed.status_code == 500
    assert "Something went wrong" in failed.text
    assert "Traceback" not in failed.text
    assert has_security_headers(failed)


def office_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Minutes of the board.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("minutes.docx", real_docx(), None),
        ("minutes.docx", office_zip({"hello.txt": b"hi"}), "is not a real docx file"),
        ("minutes.xlsx", real_docx(), "lacks xl/workbook.xml"),
        ("minutes.pptx", office_zip({"[Content_Types].xml": b"<x/>"}), "lacks ppt/presentation.xml"),
        (
            "minutes.docx",
            office_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>", "word/vbaProject.bin": b"x"}),
            "contains macros",
        ),
        (
            "minutes.odt",
            office_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            None,
        ),
        (
            "minutes.odt",
            office_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
            "another kind",
        ),
        ("minutes.docx", b"PK\x03\x04" + b"\x00" * 200, "not a readable docx file"),
    ],
)
def test_an_office_file_is_what_it_claims(name: str, data: bytes, problem: str | None) -> None:
    if problem is None:
        assert evidence.check_file(name, data).filename == name
        return
    with pytest.raises(evidence.EvidenceError, match=problem):
        evidence.check_file(name, data)
