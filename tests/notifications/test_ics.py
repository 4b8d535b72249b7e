"""The calendar file, read back by an independent parser (the icalendar package): the link in DESCRIPTION, the
ORGANIZER, SEQUENCE growing when the date moves (the same UID, so calendars update it in place), and CANCEL.
"""

from datetime import UTC, date, datetime

import icalendar

from notifications.ics import Deadline, calendar

STAMP = datetime(2021, 6, 3, 8, 0, tzinfo=UTC)
URL = "https://actioned.example.org/a/token"


def deadline(on: date, sequence: int) -> Deadline:
    return Deadline(
        uid="action-7@actioned",
        on=on,
        summary="Due: Safe to share?, recommendation 4 (Wiltshire Police)",
        description="Chief constables should take steps; then, report back.",
        url=URL,
        sequence=sequence,
        organizer=("Morgan Hale", "morgan.hale@wiltshire-police.example"),
    )


def events(data: bytes) -> list[icalendar.cal.Component]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_the_link_is_in_the_description_and_the_liaison_officer_organises() -> None:
    (event,) = events(calendar([deadline(date(2021, 6, 17), 1)], stamp=STAMP))
    assert str(event["DESCRIPTION"]).startswith(f"Update it: {URL}\n\n")
    assert "then, report back." in str(event["DESCRIPTION"])
    assert str(event["ORGANIZER"]) == "mailto:morgan.hale@wiltshire-police.example"
    assert event["ORGANIZER"].params["CN"] == "Morgan Hale"
    assert event.decoded("DTSTART") == date(2021, 6, 17)
    assert event.decoded("DTEND") == date(2021, 6, 18)


def test_a_moved_date_is_an_update_of_the_same_event_with_a_higher_sequence() -> None:
    (before,) = events(calendar([deadline(date(2021, 6, 17), 1)], stamp=STAMP))
    (after,) = events(calendar([deadline(date(2021, 7, 1), 3)], stamp=STAMP))
    assert str(before["UID"]) == str(after["UID"])
    assert int(str(after["SEQUENCE"])) > int(str(before["SEQUENCE"]))
    assert after.decoded("DTSTART") == date(2021, 7, 1)


def test_a_closed_action_cancels_its_event() -> None:
    data = calendar([deadline(date(2021, 6, 17), 4)], stamp=STAMP, method="CANCEL")
    assert str(icalendar.Calendar.from_ical(data)["METHOD"]) == "CANCEL"
    (event,) = events(data)
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(str(event["SEQUENCE"])) == 4
