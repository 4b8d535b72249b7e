"""The pages over HTTP (FastAPI's TestClient on the real app and a real database): what they show, what they refuse,
and that a refused or invalid request changes nothing.
"""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from models import links
from models.store.actions import assign_owner, events_for, list_actions, update_action
from models.store.db import session_scope
from models.store.evidence import MAX_BYTES
from models.store.tables import Delivery, ReturnComments
from tests.web.conftest import csrf_of, errors_of, liaison_link, link, snapshot, summary_links, wiltshire_actions

INVALID = "This link is no longer valid"


def save(client: TestClient, url: str, **fields: str) -> object:
    page = client.get(url)
    form = {"csrf_token": csrf_of(page.text), "version": "", "status": "", "note": "", "response": "", **fields}
    if not form["version"]:
        form["version"] = page.text.split('name="version" value="', 1)[1].split('"', 1)[0]
    return client.post(url, data=form, follow_redirects=False)


def test_owner_page_shows_the_action_and_sends_safe_headers(client: TestClient, action_id: int) -> None:
    response = client.get(link(action_id))
    assert response.status_code == 200
    html = response.text
    assert "Wiltshire Police" in html
    assert "Safe to share?" in html
    assert "days left" in html or "overdue" in html
    assert "<title>Recommendation" in html
    assert 'for="response"' in html
    headers = response.headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html.split("<body", 1)[0]


def test_what_users_typed_is_escaped(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    result = save(client, url, status="in_progress", response='<script>alert("x")</script> & co')
    assert result.status_code == 303  # type: ignore[attr-defined]
    html = client.get(url).text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html


def test_owner_records_a_response_and_marks_complete_which_asks_the_signer(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    assert save(client, url, status="in_progress", response="Guidance issued.").status_code == 303  # type: ignore[attr-defined]
    result = save(client, url, status="complete", response="Guidance issued to all officers.")
    assert result.status_code == 303  # type: ignore[attr-defined]
    after = snapshot(action_id)
    assert after.status == "pending_signoff"
    assert after.response == "Guidance issued to all officers."
    with session_scope() as session:
        deliveries = session.exec(select(Delivery).where(Delivery.action_id == action_id)).all()
        kinds = [(d.kind, d.recipient) for d in deliveries]
        events = [(e.kind, e.to_value) for e in events_for(session, action_id=action_id)]
    assert ("signoff", "priya.shah@wiltshire-police.example") in kinds
    assert ("status", "pending_signoff") in events
    page = client.get(url)
    assert page.status_code == 200
    assert "waiting for sign-off by Priya Shah" in page.text


@pytest.mark.parametrize(
    "tamper",
    [
        "changed-character",
        "another-action",
        "unknown-action",
        "expired",
        "revoked",
        "reassigned",
        "signer-link-on-owner-page",
        "owner-link-on-signer-page",
        "liaison-link-on-owner-page",
        "garbage",
    ],
)
def test_a_bad_link_is_refused_saying_nothing_and_changing_nothing(
    client: TestClient, action_id: int, tamper: str
) -> None:
    other = wiltshire_actions()[1]
    good = link(action_id)
    token = good.rsplit("/", 1)[1]
    secret = "test-secret-key-not-for-production"
    if tamper == "changed-character":
        i = len(token) // 2
        url = f"/a/{token[:i]}{'A' if token[i] != 'A' else 'B'}{token[i + 1 :]}"
    elif tamper == "another-action":
        url = links.action_url("", secret, action_id=other, assignment=99)
    elif tamper == "unknown-action":
        url = links.action_url("", secret, action_id=987654, assignment=1)
    elif tamper == "expired":
        url = link(action_id, now=datetime.now(UTC) - timedelta(days=links.DEFAULT_MAX_AGE_DAYS + 1))
    elif tamper == "revoked":
        url = good
        with session_scope() as session:
            links.revoke_links(session, action_id=action_id, by="admin@example.org")
    elif tamper == "reassigned":
        url = good
        with session_scope() as session:
            assign_owner(session, action_id=action_id, owner_email="new.owner@example.org", by="x@example.org")
    elif tamper == "signer-link-on-owner-page":
        url = "/a/" + link(action_id, role="signer").rsplit("/", 1)[1]
    elif tamper == "owner-link-on-signer-page":
        url = "/s/" + token
    elif tamper == "liaison-link-on-owner-page":
        url = "/a/" + liaison_link().rsplit("/", 1)[1]
    else:
        url = "/a/not-a-token"
    csrf = csrf_of(client.get(good).text) if tamper not in ("revoked", "reassigned") else "x"
    before = snapshot(action_id)
    page = client.get(url)
    assert page.status_code == 403
    assert INVALID in page.text
    assert "Recommendation" not in page.text
    assert "Wiltshire" not in page.text
    posted = client.post(
        url, data={"csrf_token": csrf, "version": str(before.version), "status": "in_progress", "response": "Hijacked"}
    )
    assert posted.status_code == 403
    assert snapshot(action_id) == before


def test_fresh_link_works_after_revocation_and_reassignment(client: TestClient, action_id: int) -> None:
    with session_scope() as session:
        links.revoke_links(session, action_id=action_id, by="admin@example.org")
    assert client.get(link(action_id)).status_code == 200
    with session_scope() as session:
        assign_owner(session, action_id=action_id, owner_email="new.owner@example.org", by="x@example.org")
    assert "new.owner@example.org" in client.get(link(action_id)).text


@pytest.mark.parametrize("csrf", ["missing", "wrong", "another-actions-page", "no-cookie"])
def test_a_post_without_the_right_csrf_token_is_refused(client: TestClient, action_id: int, csrf: str) -> None:
    url = link(action_id)
    own = csrf_of(client.get(url).text)
    data = {"version": str(snapshot(action_id).version), "status": "in_progress", "response": "Forged"}
    if csrf == "wrong":
        data["csrf_token"] = "0" * 64
    elif csrf == "another-actions-page":
        data["csrf_token"] = csrf_of(client.get(link(wiltshire_actions()[1])).text)
    elif csrf == "no-cookie":
        data["csrf_token"] = own
        client.cookies.clear()
    before = snapshot(action_id)
    for path in (url, url + "/evidence"):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403
        assert "could not be accepted" in response.text
    assert snapshot(action_id) == before


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": "complete", "response": "  "}, "response", "before marking it complete"),
        ({"status": "not_accepted", "response": "We decline."}, "note", "reason is required"),
        ({"status": "superseded", "response": "Replaced."}, "note", "superseded"),
        ({"status": "open", "response": "Back to open"}, "status", "not allowed"),
        ({"status": "pending_signoff_please", "response": "x"}, "status", "not a status"),
        ({"status": "", "response": "Started."}, "status", "Choose a status"),
        ({"status": "", "response": ""}, "response", "cannot be left empty"),
    ],
)
def test_bad_input_gets_a_message_by_the_field_and_changes_nothing(
    client: TestClient, action_id: int, fields: dict[str, str], field: str, message: str
) -> None:
    url = link(action_id)
    # Move to in progress first so "open" is a move the rule forbids.
    assert save(client, url, status="in_progress", response="Started.").status_code == 303  # type: ignore[attr-defined]
    if fields["response"] == "  ":
        with session_scope() as session:
            from models.store.tables import Action

            action = session.get(Action, action_id)
            assert action is not None
            action.response = None
    before = snapshot(action_id)
    result = save(client, url, **fields)
    assert result.status_code == 400  # type: ignore[attr-defined]
    html = result.text  # type: ignore[attr-defined]
    errors = errors_of(html)
    assert field in errors, errors
    assert message in errors[field]
    assert summary_links(html)[0] == field
    assert "<title>Error: " in html
    assert snapshot(action_id) == before


def test_evidence_file_and_link_are_kept_with_a_checksum(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    csrf = csrf_of(client.get(url).text)
    data = b"%PDF-1.4 minutes of the meeting"
    result = client.post(
        url + "/evidence",
        data={"csrf_token": csrf},
        files={"file": ("board minutes.pdf", data, "application/pdf")},
        follow_redirects=False,
    )
    assert result.status_code == 303
    result = client.post(
        url + "/evidence",
        data={"csrf_token": csrf, "url": "https://intranet.example.org/policy"},
        follow_redirects=False,
    )
    assert result.status_code == 303
    html = client.get(url).text
    assert "board_minutes.pdf" in html
    assert "https://intranet.example.org/policy" in html
    href = html.split("/evidence/", 1)[1].split('"', 1)[0]
    download = client.get(f"{url}/evidence/{href}")
    assert download.status_code == 200
    assert download.content == data
    assert "attachment" in download.headers["content-disposition"]
    assert snapshot(action_id).evidence == 2


@pytest.mark.parametrize(
    ("upload", "url", "field", "message"),
    [
        (("big.pdf", b"%PDF-" + b"0" * MAX_BYTES, "application/pdf"), "", "file", "larger than"),
        (("page.html", b"<script></script>", "text/html"), "", "file", "not an allowed type"),
        (("tool.exe", b"MZ\x90\x00", "application/octet-stream"), "", "file", "not an allowed type"),
        (("fake.pdf", b"MZ not a pdf", "application/pdf"), "", "file", "does not look like"),
        (None, "javascript:alert(1)", "url", "not a web address"),
        (None, "", "file", "Choose a file"),
    ],
)
def test_bad_evidence_is_refused_by_the_field(
    client: TestClient, action_id: int, upload: tuple[str, bytes, str] | None, url: str, field: str, message: str
) -> None:
    page_url = link(action_id)
    csrf = csrf_of(client.get(page_url).text)
    before = snapshot(action_id)
    result = client.post(
        page_url + "/evidence",
        data={"csrf_token": csrf, "url": url},
        files={"file": upload} if upload else {"file": ("", b"", "application/octet-stream")},
    )
    assert result.status_code == 400
    errors = errors_of(result.text)
    assert message in errors[field]
    assert snapshot(action_id) == before


def test_two_saves_at_once_the_second_gets_a_conflict_and_loses_nothing(assigned: object, action_id: int) -> None:
    from web.app import create_app

    first, second = TestClient(create_app()), TestClient(create_app())
    url = link(action_id)
    pages = [c.get(url).text for c in (first, second)]
    version = pages[0].split('name="version" value="', 1)[1].split('"', 1)[0]
    first_post = first.post(
        url,
        data={"csrf_token": csrf_of(pages[0]), "version": version, "status": "in_progress", "response": "Mine first"},
        follow_redirects=False,
    )
    assert first_post.status_code == 303
    second_post = second.post(
        url,
        data={
            "csrf_token": csrf_of(pages[1]),
            "version": version,
            "status": "in_progress",
            "response": "Theirs second",
        },
    )
    assert second_post.status_code == 409
    assert "Someone else saved this action" in second_post.text
    assert "Theirs second</textarea>" in second_post.text  # what they typed is still in the form
    assert "Mine first" in second_post.text  # and the saved state is shown
    assert snapshot(action_id).response == "Mine first"
    # Saving again from the conflict page (it carries the new version) works.
    new_version = second_post.text.split('name="version" value="', 1)[1].split('"', 1)[0]
    again = second.post(
        url,
        data={"csrf_token": csrf_of(second_post.text), "version": new_version, "response": "Theirs second"},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert snapshot(action_id).response == "Theirs second"


def _pending(client: TestClient, action_id: int) -> str:
    assert save(client, link(action_id), status="complete", response="All done.").status_code == 303  # type: ignore[attr-defined]
    return link(action_id, role="signer")


def test_signer_approves_and_the_links_die(client: TestClient, action_id: int) -> None:
    signer_url = _pending(client, action_id)
    page = client.get(signer_url)
    assert page.status_code == 200
    assert "All done." in page.text
    version = str(snapshot(action_id).version)
    missing = client.post(signer_url, data={"csrf_token": csrf_of(page.text), "version": version})
    assert missing.status_code == 400
    assert "decision" in errors_of(missing.text)
    done = client.post(signer_url, data={"csrf_token": csrf_of(page.text), "version": version, "decision": "approve"})
    assert done.status_code == 200
    assert "Action signed off" in done.text
    assert snapshot(action_id).status == "complete"
    with session_scope() as session:
        last = events_for(session, action_id=action_id)[-1]
    assert (last.actor, last.to_value) == ("priya.shah@wiltshire-police.example", "complete")
    assert client.get(signer_url).status_code == 403
    assert client.get(link(action_id)).status_code == 403


def test_signer_rejects_with_a_reason_and_the_owner_is_told(client: TestClient, action_id: int) -> None:
    signer_url = _pending(client, action_id)
    page = client.get(signer_url)
    data = {"csrf_token": csrf_of(page.text), "version": str(snapshot(action_id).version), "decision": "reject"}
    before = snapshot(action_id)
    no_reason = client.post(signer_url, data=data)
    assert no_reason.status_code == 400
    assert "reason" in errors_of(no_reason.text)
    assert snapshot(action_id) == before
    sent_back = client.post(signer_url, data={**data, "reason": "Attach the <training> records"})
    assert sent_back.status_code == 200
    assert snapshot(action_id).status == "in_progress"
    with session_scope() as session:
        notice = session.exec(
            select(Delivery).where(Delivery.kind == "signoff-rejected").order_by(col(Delivery.id))
        ).one()
    assert notice.recipient == "sam.carter@wiltshire-police.example"


def test_owner_cannot_approve_their_own_action(client: TestClient, action_id: int) -> None:
    url = link(action_id)
    csrf = csrf_of(client.get(url).text)  # taken while the page still had forms (the pending page has none)
    _pending(client, action_id)
    page = client.get(url)
    assert 'name="status"' not in page.text  # no form while it waits for sign-off
    before = snapshot(action_id)
    forced = client.post(
        url,
        data={"csrf_token": csrf, "version": str(before.version), "status": "complete", "response": "x"},
    )
    assert forced.status_code == 400
    assert "Only the signer" in errors_of(forced.text)["status"]
    assert snapshot(action_id) == before


def test_liaison_page_lists_the_agencys_actions_reassigns_and_keeps_comments(
    client: TestClient, action_id: int
) -> None:
    url = liaison_link()
    page = client.get(url)
    assert page.status_code == 200
    ids = wiltshire_actions()
    assert f"{len(ids)} actions" in page.text
    assert "Sam Carter" in page.text
    assert "tag--" in page.text
    csrf = csrf_of(page.text)
    bad = client.post(
        url + "/assign", data={"csrf_token": csrf, "action": str(action_id), "owner_email": "not-an-email"}
    )
    assert bad.status_code == 400
    assert "owner_email" in errors_of(bad.text)
    old_owner_link = link(action_id)
    moved = client.post(
        url + "/assign",
        data={
            "csrf_token": csrf,
            "action": str(action_id),
            "owner_email": "kim.lee@wiltshire-police.example",
            "owner_name": "Kim Lee",
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert snapshot(action_id).owner == "kim.lee@wiltshire-police.example"
    assert client.get(old_owner_link).status_code == 403
    assert "Kim Lee" in client.get(url).text
    saved = client.post(
        url + "/comments",
        data={
            "csrf_token": csrf,
            "version": "0",
            "chief_officer": "We accept all of it.",
            "portfolio_lead": "On track.",
            "pcc": "",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with session_scope() as session:
        comments = session.get(ReturnComments, ("safe-to-share", "wiltshire-police"))
        assert comments is not None
        assert (comments.chief_officer, comments.portfolio_lead) == ("We accept all of it.", "On track.")
        assert comments.updated_by == "morgan.hale@wiltshire-police.example"
    # Another agency's action cannot be reassigned from this page.
    with session_scope() as session:
        dorset = list_actions(session, agency_id="dorset-police")[0].action.id
    refused = client.post(
        url + "/assign", data={"csrf_token": csrf, "action": str(dorset), "owner_email": "a@example.org"}
    )
    assert refused.status_code == 400
    assert "action" in errors_of(refused.text)


def test_liaison_link_for_an_unknown_agency_is_invalid(client: TestClient) -> None:
    assert client.get(liaison_link(agency_id="atlantis-police")).status_code == 403
    assert client.get("/a/" + liaison_link().rsplit("/", 1)[1]).status_code == 403


def test_the_pending_sign_off_page_is_read_only_and_takes_no_evidence(client: TestClient, action_id: int) -> None:
    from models.rules.vocabulary import Actor

    url = link(action_id)
    csrf = csrf_of(client.get(url).text)  # taken while the page still had forms: a stale tab, or a forged post
    with session_scope() as session:
        update_action(
            session, action_id=action_id, by="owner", actor=Actor.OWNER, status="in_progress", response="Done."
        )
        update_action(session, action_id=action_id, by="owner", actor=Actor.OWNER, status="pending_signoff")
    html = client.get(url).text
    assert "Add evidence" not in html
    assert "Evidence cannot be added while the action waits for sign-off." in html
    before = snapshot(action_id)
    result = client.post(
        url + "/evidence",
        data={"csrf_token": csrf, "url": "https://intranet.example.org/policy"},
        files={"file": ("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")},
        follow_redirects=False,
    )
    assert result.status_code == 400
    assert "waiting for sign-off" in errors_of(result.text)["file"]
    assert snapshot(action_id) == before
