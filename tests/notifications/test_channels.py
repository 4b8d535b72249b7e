"""Extra channels: an agency's Apprise URLs (Teams, Slack...) receive its escalations, through a real HTTP receiver."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from models.store.db import session_scope
from models.store.tables import Agency
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
