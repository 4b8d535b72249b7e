"""Closing an action takes its deadline out of the owner's calendar: the approval notice carries a CANCEL for the
event the reminders added (same UID, higher SEQUENCE), read back by the icalendar parser.
"""

from datetime import UTC, datetime
from typing import Any

import icalendar

from models.rules.vocabulary import Actor
from models.settings import Settings
from models.store.db import session_scope
from notifications import signoff
from notifications.ics import deadline_uid
from tests.conftest import SmtpSink
from tests.web.conftest import wiltshire_actions

NOW = datetime(2021, 6, 10, 9, 0, tzinfo=UTC)


def test_approval_tells_the_owner_and_cancels_the_deadline(assigned: Settings, smtp: SmtpSink) -> None:
    action_id = wiltshire_actions()[0]
    keys: list[str] = []
    common: dict[str, Any] = {"base_url": assigned.base_url, "secret_key": assigned.secret_key(), "now": NOW}
    with session_scope() as session:
        _, messages = signoff.update(
            session, action_id=action_id, by="sam", actor=Actor.OWNER, status="in_progress", response="Done.", **common
        )
        _, messages = signoff.update(
            session, action_id=action_id, by="sam", actor=Actor.OWNER, status="pending_signoff", **common
        )
        keys += [m.key for m in messages]
        keys += signoff.sign_off(session, action_id=action_id, decision="approve", reason="", by="Priya Shah", **common)
    signoff.send(keys)
    (notice,) = [m for m in smtp.messages if "signed off by Priya Shah" in m["Subject"]]
    assert notice["To"] == "sam.carter@wiltshire-police.example"
    assert notice["Reply-To"] == "morgan.hale@wiltshire-police.example"
    (ics,) = list(notice.iter_attachments())
    assert ics.get_param("method") == "CANCEL"
    data = ics.get_content()
    parsed = icalendar.Calendar.from_ical(data if isinstance(data, bytes) else data.encode())
    assert str(parsed["METHOD"]) == "CANCEL"
    (event,) = list(parsed.walk("VEVENT"))
    assert str(event["UID"]) == deadline_uid(action_id)
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(str(event["SEQUENCE"])) >= 3  # above every version a reminder's copy of the event carried
