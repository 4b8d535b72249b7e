"""Extra channels: an agency's Apprise URLs (Teams, Slack...) receive its escalations, through a real HTTP receiver."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlmodel import select

from models.store.db import session_scope
from models.store.tables import Agency, Delivery
from notifications.reminders import sweep
from tests.conftest import SmtpSink
from tests.notifications.test_reminders import close_the_immediate_ones


class Receiver(ThreadingHTTPServer):
    """A web hook on 127.0.0.1 that keeps the JSON bodies posted to it (what Apprise's json:// sends)."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                outer.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def hook() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.shutdown()
    receiver.server_close()


def at(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=UTC)


def test_an_agencys_extra_channel_receives_its_escalations_and_nothing_else(assigned, smtp: SmtpSink, hook):
    url = f"json://127.0.0.1:{hook.server_address[1]}/hook"
    with session_scope() as session:
        agency = session.get(Agency, "wiltshire-police")
        assert agency is not None
        agency.apprise_urls = [url]
        session.add(agency)
    close_the_immediate_ones()  # recommendation 1 ("immediately") would be escalating already
    sweep(today=date(2021, 5, 20), now=at(date(2021, 5, 20)))  # 28 days before: a reminder, not an escalation
    assert smtp.messages
    assert hook.bodies == []
    sweep(today=date(2021, 6, 24), now=at(date(2021, 6, 24)))  # 7 days overdue: an escalation
    assert len(hook.bodies) == 1
    posted = hook.bodies[0]
    assert "overdue" in (posted.get("title", "") + posted.get("message", "")).lower()
    assert "Wiltshire Police" in posted.get("message", "") + posted.get("title", "")
    sweep(today=date(2021, 6, 24), now=at(date(2021, 6, 24)))  # the same day again: nothing twice
    assert len(hook.bodies) == 1


def wiltshire_posts_to(url: str) -> None:
    with session_scope() as session:
        agency = session.get(Agency, "wiltshire-police")
        assert agency is not None
        agency.apprise_urls = [url]
        session.add(agency)


def test_a_post_to_a_shared_channel_never_carries_a_personal_signed_link(assigned, smtp: SmtpSink, hook) -> None:
    wiltshire_posts_to(f"json://127.0.0.1:{hook.server_address[1]}/hook")
    close_the_immediate_ones()  # recommendation 1 ("immediately") would be escalating in a second post
    sweep(today=date(2021, 6, 24), now=at(date(2021, 6, 24)))
    (posted,) = hook.bodies
    text = posted.get("title", "") + posted.get("message", "")
    assert "recommendation" in text
    assert "http" not in text
    assert "Dear" not in text
    emailed = [m for m in smtp.messages if "overdue" in str(m["Subject"]).lower()]
    assert any("http://127.0.0.1:8000/" in m.get_body(("plain",)).get_content() for m in emailed)  # type: ignore[union-attr]


def test_the_sandbox_diverts_channel_posts_to_its_own_channel_or_skips_them(
    assigned, smtp: SmtpSink, hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    agency_hook = Receiver()
    thread = threading.Thread(target=agency_hook.serve_forever, daemon=True)
    thread.start()
    try:
        wiltshire_posts_to(f"json://127.0.0.1:{agency_hook.server_address[1]}/hook")
        monkeypatch.setenv("ACTIONED_SANDBOX_TO", "sandbox@example.org")
        close_the_immediate_ones()  # recommendation 1 ("immediately") would escalate in a second post
        sweep(today=date(2021, 6, 24), now=at(date(2021, 6, 24)))  # no sandbox channel: logged as not posted
        assert agency_hook.bodies == []
        with session_scope() as session:
            (row,) = session.exec(select(Delivery).where(Delivery.channel == "apprise")).all()
        assert row.outcomes is not None
        assert "not posted: sandbox" in row.outcomes["channels"]["reply"]
        monkeypatch.setenv("ACTIONED_SANDBOX_APPRISE", f"json://127.0.0.1:{hook.server_address[1]}/sandbox")
        sweep(today=date(2021, 7, 8), now=at(date(2021, 7, 8)))  # 21 days overdue: the next escalation
        assert agency_hook.bodies == []
        assert len(hook.bodies) == 1  # the sandbox channel had it instead
        assert {m["To"] for m in smtp.messages} == {"sandbox@example.org"}
    finally:
        agency_hook.shutdown()
        agency_hook.server_close()
