"""Per-kind ladders in the sweep: one report with a recommendation, a cause of concern and an area for improvement,
all due the same day, each reminded and chased on its own kind's ladder (SQLite and PostgreSQL).
"""

from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlmodel import col, select

from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.tables import Action, Delivery, Recommendation
from notifications.reminders import sweep
from tests.conftest import SmtpSink

REPORT = """
id: mixed-kinds
title: "An inspection of Wiltshire Police"
published_on: 2021-07-01
about: wiltshire-police
recommendations:
  - {number: "1", kind: recommendation, addressee: Wiltshire Police, text: Do one thing., due_on: 2021-09-30}
  - {number: "1", kind: cause_of_concern, addressee: Wiltshire Police, text: Stop another., due_on: 2021-09-30}
  - {number: "1", kind: area_for_improvement, addressee: Wiltshire Police, text: Improve a third., due_on: 2021-09-30}
"""
LEAD = "priya.shah@wiltshire-police.example"


def _stages(day: date) -> dict[str, tuple[str, str]]:
    with session_scope() as session:
        rows = session.exec(
            select(Recommendation.kind, Delivery.stage, Delivery.kind)
            .join(Action, col(Action.id) == col(Delivery.action_id))
            .join(Recommendation, col(Recommendation.id) == col(Action.recommendation_id))
            .where(
                Action.report_id == "mixed-kinds",
                col(Delivery.created_at) >= datetime.combine(day, time(), UTC),
                Delivery.kind != "nudge",  # "no update" nudges follow their own clock
            )
        ).all()
    assert len(rows) == len({kind for kind, _, _ in rows})  # one stage per finding a day
    return {kind: (stage or "", sent_as) for kind, stage, sent_as in rows}


def test_each_kind_is_reminded_on_its_own_ladder(registered, cli_in_process, smtp: SmtpSink, tmp_path: Path):
    (tmp_path / "mixed.yaml").write_text(REPORT)
    assert cli_in_process("report", "import", str(tmp_path / "mixed.yaml")).code == 0
    with session_scope() as session:
        fan_out(session, report_id="mixed-kinds", now=datetime(2021, 7, 1, 8, tzinfo=UTC))

    day = date(2021, 8, 5)  # 56 days before: only the cause of concern is warned this early
    sweep(today=day, now=datetime.combine(day, time(8), UTC), report_id="mixed-kinds")
    assert _stages(day) == {"cause_of_concern": ("before-56", "reminder")}

    day = date(2021, 9, 2)  # 28 days before: all three
    sweep(today=day, now=datetime.combine(day, time(8), UTC), report_id="mixed-kinds")
    assert _stages(day) == {
        "recommendation": ("before-28", "reminder"),
        "cause_of_concern": ("before-28", "reminder"),
        "area_for_improvement": ("before-28", "reminder"),
    }

    smtp.messages.clear()
    day = date(2021, 10, 1)  # a day overdue: the cause of concern already copies the portfolio lead in
    sweep(today=day, now=datetime.combine(day, time(8), UTC), report_id="mixed-kinds")
    assert _stages(day) == {
        "recommendation": ("overdue-1", "chaser"),
        "cause_of_concern": ("overdue-1", "escalation"),
        "area_for_improvement": ("overdue-1", "chaser"),
    }
    copied = [m for m in smtp.messages if m["Cc"] and LEAD in str(m["Cc"])]
    assert len(copied) == 1
    body = copied[0].get_body(("plain",))
    assert body is not None
    assert "Stop another." in body.get_content()

    day = date(2021, 10, 7)  # 7 days overdue: the weekly chaser, but an area for improvement is chased fortnightly
    sweep(today=day, now=datetime.combine(day, time(8), UTC), report_id="mixed-kinds")
    assert _stages(day) == {
        "recommendation": ("overdue-7", "escalation"),
        "cause_of_concern": ("overdue-7", "escalation"),
    }


def test_each_message_names_the_finding_by_its_kind(registered, cli_in_process, smtp: SmtpSink, tmp_path: Path):
    """An area for improvement is not a recommendation: the reminders and the sign-off request say which it is."""
    (tmp_path / "mixed.yaml").write_text(REPORT)
    assert cli_in_process("report", "import", str(tmp_path / "mixed.yaml")).code == 0
    with session_scope() as session:
        fan_out(session, report_id="mixed-kinds", now=datetime(2021, 7, 1, 8, tzinfo=UTC))
        afi = session.exec(
            select(Action.id)
            .join(Recommendation, col(Recommendation.id) == col(Action.recommendation_id))
            .where(Action.report_id == "mixed-kinds", Recommendation.kind == "area_for_improvement")
        ).one()

    day = date(2021, 9, 2)  # 28 days before: all three in the owner's one reminder
    sweep(today=day, now=datetime.combine(day, time(8), UTC), report_id="mixed-kinds")
    texts = [m.get_body(("plain",)).get_content() for m in smtp.messages]  # type: ignore[union-attr]
    text = next(t for t in texts if "Improve a third." in t)
    for heading in ("Recommendation 1, ", "Cause of concern 1, ", "Area for improvement 1, "):
        assert heading in text

    smtp.messages.clear()
    done = cli_in_process(
        "action", "update", str(afi), "--response", "Improved.", "--status", "pending_signoff", "--by", "owner"
    )
    assert done.code == 0, done.output
    assert len(smtp.messages) == 1
    request = smtp.messages[0]
    assert "area for improvement 1" in str(request["Subject"])
    assert "recommendation" not in str(request["Subject"]).lower()
    body = request.get_body(("plain",))
    assert body is not None
    assert "Sign-off needed: area for improvement 1, " in body.get_content()
