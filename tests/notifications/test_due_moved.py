"""A moved due date reaches the owner's calendar at once: an approved change (``actioned action due-approve``) and a
re-imported report that moves the date each send the owner a notice carrying an update of the same calendar event
(same UID, the new date, a higher SEQUENCE than the copy the owner already has), read back by the independent
icalendar parser, on a real SMTP server. Decided once per (action, date): a rerun sends nothing new.
"""

from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import icalendar
import yaml

from models.settings import Settings
from models.store.actions import get_action, list_actions
from models.store.db import session_scope
from notifications import due_moved
from notifications.ics import deadline_uid
from tests.conftest import SmtpSink
from tests.web.conftest import wiltshire_actions

OWNER = "sam.carter@wiltshire-police.example"
REPORT = Path(__file__).resolve().parents[2] / "models" / "data" / "reports" / "safe-to-share.yaml"


def event_of(message: EmailMessage) -> icalendar.cal.Component:
    (ics,) = list(message.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    data = ics.get_content()
    parsed = icalendar.Calendar.from_ical(data if isinstance(data, bytes) else data.encode())
    assert str(parsed["METHOD"]) == "PUBLISH"
    (event,) = list(parsed.walk("VEVENT"))
    return event


def plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_an_approved_change_tells_the_owner_with_the_calendar_update_once(
    assigned: Settings, smtp: SmtpSink, cli_in_process
) -> None:
    action_id = wiltshire_actions()[1]
    with session_scope() as session:
        before = get_action(session, action_id=action_id)
        old_version, old_due = before.version, before.due_on
    asked = cli_in_process(
        "action", "due", str(action_id), "--to", "2021-09-30", "--reason", "Awaiting the new IT system", "--by", OWNER
    )
    assert asked.code == 0, asked.stderr
    # Nothing moves, and the owner is told nothing, until it is approved (the portfolio lead is asked to decide).
    assert [m["To"] for m in smtp.messages] == ["priya.shah@wiltshire-police.example"]
    approved = cli_in_process("action", "due-approve", str(action_id), "--by", "priya.shah@wiltshire-police.example")
    assert approved.code == 0, approved.stderr

    (notice,) = [m for m in smtp.messages if m["To"] == OWNER]
    assert notice["To"] == OWNER
    assert notice["Subject"].endswith("Safe to share?: recommendation 4 now due 30 September 2021")
    assert notice["Reply-To"] == "morgan.hale@wiltshire-police.example"
    body = plain(notice)
    assert "now due 30 September 2021 (it was due 17 June 2021)" in " ".join(body.split())
    assert "priya.shah@wiltshire-police.example approved the change: Awaiting the new IT system." in body
    event = event_of(notice)
    assert str(event["UID"]) == deadline_uid(action_id)
    assert event.decoded("DTSTART") == date(2021, 9, 30)
    assert old_due == date(2021, 6, 17)
    assert int(str(event["SEQUENCE"])) > old_version  # above the copy any earlier message carried
    link = str(event["DESCRIPTION"]).split("\n", 1)[0]
    assert link.startswith("Update it: http")
    assert link.removeprefix("Update it: ") in body
    assert str(event["ORGANIZER"]) == "mailto:morgan.hale@wiltshire-police.example"

    # A rerun (the daily cycle's catch-up) decides nothing new for the same (action, date).
    with session_scope() as session:
        assert due_moved.decide(session, now=datetime(2021, 6, 11, tzinfo=UTC)) == []
    assert len([m for m in smtp.messages if m["To"] == OWNER]) == 1


def test_a_reimported_report_that_moves_the_date_tells_each_owner(
    assigned: Settings, smtp: SmtpSink, cli_in_process, tmp_path: Path
) -> None:
    definition = yaml.safe_load(REPORT.read_text(encoding="utf-8"))
    assert definition["return_months"] == 6
    definition["return_months"] = 7  # the return date moves from 17 June to 17 July 2021
    moved = tmp_path / "safe-to-share.yaml"
    moved.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = cli_in_process("report", "import", str(moved))
    assert result.code == 0, result.stderr

    with session_scope() as session:
        rows = list_actions(session, report_id="safe-to-share", agency_id="wiltshire-police")
        moved_ids = {r.action.id for r in rows if r.action.due_on == date(2021, 7, 17)}
        owned = [
            r.action
            for r in list_actions(session, report_id="safe-to-share")
            if r.action.due_on == date(2021, 7, 17) and r.action.owner_email
        ]
    assert moved_ids  # the recommendations whose date is the report's
    assert len(smtp.messages) == len(owned)
    to_wiltshire = [m for m in smtp.messages if m["To"] == OWNER]
    assert {int(str(event_of(m)["UID"]).split("-")[1].split("@")[0]) for m in to_wiltshire} == moved_ids
    for message in to_wiltshire:
        assert event_of(message).decoded("DTSTART") == date(2021, 7, 17)
        assert "The report's own date changed." in plain(message)

    again = cli_in_process("report", "import", str(moved))  # the same file again: nothing moves, nobody is told
    assert again.code == 0, again.stderr
    with session_scope() as session:
        assert due_moved.decide(session) == []
    assert len(smtp.messages) == len(owned)
