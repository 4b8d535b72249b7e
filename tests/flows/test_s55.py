"""Section 55 comments end to end (SQLite and PostgreSQL): a PEEL report on Wiltshire Police is commented on by the
Police and Crime Commissioner for Wiltshire only; the force's chief officer is asked first, the date the body sets
moves the chief officer's reminders, the PCC contact is reminded towards the body's deadline, and recorded comments
stop each. Bad input is one line and changes nothing.
"""

from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlmodel import col, select

from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.return_comments import set_return_comments
from models.store.returns import list_due
from models.store.tables import Delivery
from notifications.delivery import dispatch
from notifications.s55 import queue_s55
from tests.conftest import SmtpSink
from tests.flows.test_cli_register import snapshot
from tests.flows.test_peel import PEEL

CHIEF = "jordan.ellis@wiltshire-police.example"  # Wiltshire Police's chief officer
PCC_CONTACT = "rowan.price@wiltshire-pcc.example"  # the force's contact at the PCC's office
BODY_LIAISON = "casey.brooks@wiltshire-pcc.example"
REPORT = "peel-wiltshire-2021-22"  # published 8 July 2022: the body's comments are due 1 September 2022


def run(day: date) -> list[str]:
    """One day's s.55 messages decided, logged and sent; the keys decided."""
    now = datetime.combine(day, time(8), UTC)
    with session_scope() as session:
        keys = queue_s55(session, today=day, now=now).keys
    if keys:
        dispatch(keys=keys, now=now)
    return sorted(k.removeprefix(f"s55:{REPORT}:wiltshire-pcc:") for k in keys)


def _to(smtp: SmtpSink, address: str) -> list[str]:
    return [str(m["Subject"]) for m in smtp.messages if m["To"] == address]


def test_the_chief_officer_is_asked_first_and_the_pcc_contact_reminded(registered, cli_in_process, smtp: SmtpSink):
    cli = cli_in_process
    assert cli("report", "import", str(PEEL)).code == 0
    with session_scope() as session:
        fan_out(session, report_id=REPORT)
        owes = [
            c.agency_id for c in list_due(session, today=date(2022, 7, 8), kind="comments") if c.report_id == REPORT
        ]
    assert owes == ["wiltshire-pcc"]

    assert run(date(2022, 7, 8)) == ["chief_officer.0:asked"]
    (asked,) = _to(smtp, CHIEF)
    assert "your comments for the Police and Crime Commissioner for Wiltshire by 11 August 2022" in asked
    assert run(date(2022, 7, 8)) == []  # a rerun decides nothing new
    assert len(smtp.messages) == 1
    smtp.stop()  # the mail server down on the day of the chief officer's first reminder...
    try:
        assert run(date(2022, 7, 14)) == ["chief_officer.0:before-28"]
    finally:
        smtp.start()
    assert run(date(2022, 7, 15)) == ["chief_officer.0:before-28"]  # ...the next run sends what is missing
    assert len(_to(smtp, CHIEF)) == 2

    before = snapshot()
    for args, line in [
        (["--date", "2022-08-18", "--by", CHIEF], f"{CHIEF} speaks for neither Police and Crime Commissioner"),
        (
            ["--date", "2022-09-01", "--by", BODY_LIAISON],
            "leaves the body no time: its own comments are due 2022-09-01",
        ),
        (["--date", "2022-07-01", "--by", BODY_LIAISON], "is before the report was published"),
        (["--date", "2022-08-32", "--by", BODY_LIAISON], "--date: '2022-08-32' is not a date"),
    ]:
        refused = cli("returns", "chief-date", REPORT, "--agency", "wiltshire-pcc", *args)
        assert refused.code == 1, refused.stdout
        assert line in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    other = cli(
        "returns", "chief-date", REPORT, "--agency", "dorset-pcc", "--date", "2022-08-18", "--by", "x@y.example"
    )
    assert "owes no s.55 comments on 'peel-wiltshire-2021-22'" in other.stderr
    assert snapshot() == before

    set_by_office = cli(
        "returns", "chief-date", REPORT, "--agency", "wiltshire-pcc", "--date", "2022-08-18", "--by", PCC_CONTACT
    )
    assert set_by_office.code == 0, set_by_office.stderr
    assert "the chief officer's comments are due 2022-08-18" in set_by_office.stdout

    smtp.messages.clear()
    # 4 August: the new date is asked for; the PCC contact's first reminder (28 days before 1 September)
    assert run(date(2022, 8, 4)) == ["chief_officer.1:asked", "pcc_contact:before-28"]
    assert "by 18 August 2022" in _to(smtp, CHIEF)[0]
    (office,) = _to(smtp, PCC_CONTACT)
    assert "section 55 comments, due in 28 days (1 September 2022)" in office

    with session_scope() as session:  # the chief officer's comments recorded: the chief officer is not chased
        set_return_comments(session, report_id=REPORT, agency_id="wiltshire-police", by=CHIEF, chief_officer="Noted.")
    assert run(date(2022, 8, 19)) == ["pcc_contact:before-14"]
    with session_scope() as session:  # the body's comments recorded: nobody is reminded any more
        set_return_comments(
            session, report_id=REPORT, agency_id="wiltshire-pcc", by=BODY_LIAISON, lpb_comments="We welcome it."
        )
    assert run(date(2022, 8, 25)) == []
    with session_scope() as session:
        rows = session.exec(select(Delivery.key, Delivery.status).where(col(Delivery.key).startswith("s55:"))).all()
    assert {status for _, status in rows} == {"sent"}
    assert len(rows) == 5


def test_a_national_report_lists_its_bodies(registered, cli_in_process, tmp_path: Path):
    definition = (
        PEEL.read_text()
        .replace("about: wiltshire-police\n", "")
        .replace("  required: true", "  required: true\n  bodies: [wiltshire-pcc, nowhere-pcc]")
    )
    (tmp_path / "national.yaml").write_text(definition)
    before = snapshot()
    refused = cli_in_process("report", "import", str(tmp_path / "national.yaml"))
    assert refused.code == 1
    assert refused.stderr.strip().endswith("comments.bodies: 'nowhere-pcc' is not a local policing body")
    assert snapshot() == before
    (tmp_path / "national.yaml").write_text(definition.replace(", nowhere-pcc", ", dorset-pcc"))
    assert cli_in_process("report", "import", str(tmp_path / "national.yaml")).code == 0
    with session_scope() as session:
        fan_out(session, report_id=REPORT)
        owes = [
            c.agency_id for c in list_due(session, today=date(2022, 7, 8), kind="comments") if c.report_id == REPORT
        ]
    assert owes == ["dorset-pcc", "wiltshire-pcc"]  # as the report says, whether or not it addresses them
