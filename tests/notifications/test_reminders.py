"""The reminder sweep end to end, as plain function calls against a real database and a real SMTP server: six
months of the shipped report day by day, reruns, escaping, attachments, SMTP outages.
"""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import Session, col, select

from models.bank_holidays import around
from models.links import action_url
from models.rules.ladder import ActionState, due_today
from models.rules.vocabulary import Actor
from models.rules.working_days import is_working_day
from models.settings import Settings
from models.store.actions import assign_owner, update_action
from models.store.db import current_engine, session_scope
from models.store.fanout import fan_out
from models.store.sweep import decide_reminders, default_ladder, ladder_for
from models.store.tables import Action, Contact, Delivery, Report
from notifications.reminders import sweep
from tests.conftest import SmtpSink

PUBLISHED = date(2020, 12, 17)
DUE = date(2021, 6, 17)


def instant(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=UTC)


@pytest.fixture
def fanned_out(registered: Settings) -> Settings:
    """The shipped report fanned out the day after publication (so its actions have a history to be silent about)."""
    with session_scope() as session:
        fan_out(session, report_id="safe-to-share", now=instant(PUBLISHED + timedelta(days=1)))
    return registered


def state_of(action: Action) -> ActionState:
    """What the pure ladder knows of an action, read off its row."""
    return ActionState(
        status=action.status,
        has_owner=action.owner_email is not None,
        due_on=action.due_on,
        last_event_on=action.last_event_at.astimezone(UTC).date(),
        version=action.version,
    )


def close_the_immediate_ones() -> None:
    """Recommendation 1 says "immediately": its actions are due on publication day, so months overdue by the days
    these tests look at. Tests about the ladder before a due date close them first (signed off as complete).
    """
    with session_scope() as session:
        for action in session.exec(
            select(Action).where(Action.due_on == PUBLISHED, col(Action.owner_email).is_not(None))
        ):
            assert action.id is not None
            update_action(session, action_id=action.id, by="t", status="complete", response="Stopped at once.")
            update_action(session, action_id=action.id, by="t", actor=Actor.SIGNER, status="complete")


def owned_actions() -> list[Action]:
    with session_scope() as session:
        return list(session.exec(select(Action).where(col(Action.owner_email).is_not(None)).order_by(col(Action.id))))


def contacts_by_role() -> dict[tuple[str, str], str]:
    with session_scope() as session:
        found: dict[tuple[str, str], str] = {}
        for c in session.exec(select(Contact).order_by(col(Contact.id))):
            found.setdefault((c.agency_id, c.role), c.email)
        return found


def carried(key: str) -> set[tuple[int, str]]:
    """The (action, stage) pairs a message carried, from the log."""
    with session_scope() as session:
        rows = session.exec(
            select(Delivery.action_id, Delivery.stage).where(Delivery.batch == key, col(Delivery.message).is_(None))
        ).all()
    return {(a or 0, s or "") for a, s in rows}


def test_six_months_day_by_day_each_owner_gets_exactly_what_the_ladder_says(
    fanned_out: Settings, smtp: SmtpSink
) -> None:
    ladder = default_ladder()
    roles = contacts_by_role()
    sent: dict[tuple[int, int], set[str]] = defaultdict(set)  # (action, assignment) -> stages, as the model says
    complete_on, reassign_on = date(2021, 6, 1), date(2021, 6, 21)
    day = PUBLISHED + timedelta(days=1)
    working_days_seen = 0
    while day <= date(2021, 7, 31):
        now = instant(day)
        if day == complete_on:  # Sam completes recommendation 1: its messages stop
            done = next(
                a
                for a in owned_actions()
                if a.owner_email == "sam.carter@wiltshire-police.example" and a.due_on != PUBLISHED
            )
            assert done.id is not None
            with session_scope() as session:
                update_action(
                    session,
                    action_id=done.id,
                    by="sam",
                    status="pending_signoff",
                    response="Guidance issued to all officers.",
                    now=now,
                )
                update_action(session, action_id=done.id, by="priya", actor=Actor.ADMIN, status="complete", now=now)
        if day == reassign_on:  # one of Taylor's actions moves to a new owner: the ladder restarts for them
            moved = next(a for a in owned_actions() if a.owner_email == "taylor.reed@avon-somerset-police.example")
            assert moved.id is not None
            with session_scope() as session:
                assign_owner(
                    session, action_id=moved.id, owner_email="new.owner@avon-somerset-police.example", by="x", now=now
                )
        expected: dict[str, set[tuple[int, str]]] = defaultdict(set)
        expected_cc: dict[tuple[str, int, str], set[str]] = {}
        for action in owned_actions():
            assert action.id is not None
            state = state_of(action)
            for stage in due_today(
                state, today=day, sent=sent[(action.id, action.assignment)], ladder=ladder, holidays=around(day)
            ):
                sent[(action.id, action.assignment)].add(stage.name)
                assert action.owner_email is not None
                expected[action.owner_email].add((action.id, stage.name))
                expected_cc[(action.owner_email, action.id, stage.name)] = {
                    roles[(action.agency_id, r)] for r in stage.copies if (action.agency_id, r) in roles
                }
        before = len(smtp.messages)
        result = sweep(today=day, now=now)
        assert result.ok
        arrived = smtp.messages[before:]
        if not is_working_day(day, around(day)):
            assert arrived == [], f"{day} is not a working day"
        else:
            working_days_seen += 1
        got: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for message in arrived:
            to = str(message["To"])
            pairs = carried(str(message["X-Actioned-Key"]).strip())
            assert pairs, f"{day}: a message to {to} carried nothing"
            got[to] |= pairs
            copies = set().union(*(expected_cc[(to, a, s)] for a, s in pairs))
            assert set(filter(None, str(message["Cc"] or "").split(", "))) == copies, f"{day}: copies to {to}"
        assert dict(got) == dict(expected), f"{day}: what went differs from the ladder"
        day += timedelta(days=1)
    assert working_days_seen > 140
    everything = {(a, s) for (a, _), stages in sent.items() for s in stages}
    assert any(s == "overdue-21" for _, s in everything)
    assert any(s.startswith("nudge-") for _, s in everything)
    # completion stopped the completed action's messages; the reassigned action restarted under its new assignment
    done_rows = [a for a in owned_actions() if a.status == "complete"]
    assert len(done_rows) == 1
    assert not any(a == done_rows[0].id and s.startswith("overdue") for a, s in everything)
    assert any(m["To"] == "new.owner@avon-somerset-police.example" for m in smtp.messages)
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == len(set(ids))


def test_the_same_day_twice_sends_nothing_the_second_time(fanned_out: Settings, smtp: SmtpSink) -> None:
    day = date(2021, 6, 24)
    first = sweep(today=day, now=instant(day))
    assert first.decided > 0
    assert len(smtp.messages) == len(first.messages) > 0
    second = sweep(today=day, now=instant(day) + timedelta(hours=3))
    assert (second.decided, second.messages, second.report.sent) == (0, [], [])
    assert len(smtp.messages) == len(first.messages)


def test_a_message_is_valid_email_with_the_right_people_link_attachment_and_escaping(
    fanned_out: Settings, smtp: SmtpSink
) -> None:
    sam = [a for a in owned_actions() if a.owner_email == "sam.carter@wiltshire-police.example"]
    typed = 'Working with <Southall Black Sisters> & "Liberty" on <script>alert(1)</script>'
    assert sam[0].id is not None
    day = date(2021, 7, 8)  # 21 days overdue: the portfolio lead and the chief officer are copied in
    with session_scope() as session:
        update_action(session, action_id=sam[0].id, by="sam", response=typed, now=instant(date(2021, 7, 1)))
    sweep(today=day, now=instant(day))
    (message,) = [m for m in smtp.messages if m["To"] == "sam.carter@wiltshire-police.example"]
    assert message["From"] == "Actioned for Wiltshire Police <actioned@localhost>"
    assert message["Reply-To"] == "morgan.hale@wiltshire-police.example"  # the agency's liaison officer
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"].startswith("<mailto:morgan.hale@wiltshire-police.example?subject=")
    assert message["Cc"] == "jordan.ellis@wiltshire-police.example, priya.shah@wiltshire-police.example"
    assert (
        message["Subject"].strip()
        == f"OFFICIAL: Safe to share?: escalation, {len(sam)} actions overdue since 17 December 2020"
    )
    assert message["Message-ID"].startswith("<digest.2021-07-08.sam.carte")
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    plain, markup = text.get_content(), html.get_content()
    assert typed in plain
    assert typed not in markup
    assert "&lt;Southall Black Sisters&gt; &amp; &#34;Liberty&#34; on &lt;script&gt;alert(1)&lt;/script&gt;" in markup
    for action in sam:
        assert action.id is not None
        url = action_url(
            fanned_out.base_url, fanned_out.secret_key(), action_id=action.id, assignment=1, now=instant(day)
        )
        assert url in plain
        assert f'href="{url}"' in markup
    assert "actioned action" not in plain  # nobody is told to run a command: the liaison officer is named instead
    (ics,) = list(message.iter_attachments())
    assert (ics.get_content_type(), ics.get_filename()) == ("text/calendar", "deadlines.ics")
    calendar = ics.get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert calendar.count("BEGIN:VEVENT") == len(sam)
    assert "DTSTART;VALUE=DATE:20210617" in calendar
    import icalendar

    parsed = list(icalendar.Calendar.from_ical(calendar).walk("VEVENT"))
    assert len(parsed) == len(sam)
    for event in parsed:
        assert str(event["ORGANIZER"]) == "mailto:morgan.hale@wiltshire-police.example"
        assert int(str(event["SEQUENCE"])) >= 1
        assert "Update it: http" in str(event["DESCRIPTION"])


def test_the_digest_keeps_one_log_row_per_action_and_stage(fanned_out: Settings, smtp: SmtpSink) -> None:
    day = date(2021, 5, 20)  # 28 days before: every owned action has a reminder
    close_the_immediate_ones()
    result = sweep(today=day, now=instant(day))
    owners = {a.owner_email for a in owned_actions()}
    assert len(smtp.messages) == len(owners)
    with session_scope() as session:
        rows = session.exec(select(Delivery).where(col(Delivery.message).is_(None))).all()
    assert len(rows) == result.decided == sum(c["sent"] for c in result.stages.values())
    assert {r.status for r in rows} == {"sent"}
    assert all(r.batch and r.message_id for r in rows)


def test_smtp_down_for_a_sweep_then_back_delivers_everything_once(fanned_out: Settings, smtp: SmtpSink) -> None:
    day = date(2021, 6, 17)
    smtp.stop()
    down = sweep(today=day, now=instant(day))
    assert not down.ok
    assert down.report.failed
    assert "unreachable" in (down.report.failed[0].error or "")
    with session_scope() as session:
        failed = session.exec(select(Delivery).where(Delivery.status == "failed")).all()
    assert failed
    assert all(r.last_error for r in failed)
    smtp.start()
    back = date(2021, 6, 18)  # the next day: the retries are due, and the day's own chasers go too
    up = sweep(today=back, now=instant(back))
    assert up.ok
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == len(set(ids))
    keys = {str(m["X-Actioned-Key"]).strip() for m in smtp.messages}
    assert any(k.startswith("digest:2021-06-17:") for k in keys)
    assert any(k.startswith("digest:2021-06-18:") for k in keys)
    with session_scope() as session:
        statuses = set(session.exec(select(Delivery.status)).all())
    assert statuses == {"sent"}


def test_closing_an_action_after_its_stage_was_decided_skips_it(fanned_out: Settings, smtp: SmtpSink) -> None:
    day = date(2021, 6, 24)
    action = owned_actions()[0]
    assert action.id is not None
    with session_scope() as session:
        decide_reminders(session, today=day, now=instant(day))
        update_action(
            session,
            action_id=action.id,
            by="x",
            status="superseded",
            note="replaced by a national plan",
            now=instant(day),
        )
    result = sweep(today=day, now=instant(day))
    with session_scope() as session:
        skipped = session.exec(select(Delivery.action_id, Delivery.stage).where(Delivery.status == "skipped")).all()
    assert {a for a, _ in skipped} == {action.id}
    assert sum(c["skipped"] for c in result.stages.values()) == len(skipped) == 2  # its overdue-7 and its nudge
    assert all(action.id not in {a for a, _ in carried(str(m["X-Actioned-Key"]).strip())} for m in smtp.messages)


def test_reports_with_ladders_of_their_own_are_decided_beside_the_default_exactly_as_the_ladder_says(
    fanned_out: Settings,
) -> None:
    """The decision groups reports by ladder and decides each group in a few statements: with three ladders side by
    side and actions in every state (due dates either side of today, silences across the nudge bands' midnight
    boundaries, closed, waiting and ownerless ones), what it logs each day is exactly what the pure ladder says.
    """
    start = date(2021, 7, 1)
    reports = {
        "safe-to-share": None,
        "own-ladder": {
            "before_days": [10, 3],
            "chase_every_days": 5,
            "copy_chief_officer_from": 0,
            "nudge_after_days": 20,
            "statuses": ["open"],
        },
        "no-nudges": {"on_the_day": False, "chase_next_working_day": False, "nudge_after_days": 0},
    }
    rng = random.Random(11)
    with session_scope() as session:
        for rid, overrides in reports.items():
            if overrides is not None:
                session.add(Report(id=rid, title=rid, published_on=PUBLISHED, settings={"ladder": overrides}))
        session.flush()
        for i, action in enumerate(session.exec(select(Action).order_by(col(Action.id))).all()):
            action.report_id = list(reports)[i % len(reports)]
            action.owner_email = None if i % 11 == 0 else f"owner{i % 17}@example.org"
            action.status = rng.choice(["open", "open", "in_progress", "pending_signoff", "complete"])
            action.due_on = start + timedelta(days=rng.randint(-70, 45))
            silent = timedelta(days=rng.randint(0, 130), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
            action.last_event_at = datetime.combine(start, time(), tzinfo=UTC) - silent
            action.version = rng.randint(1, 4)
            session.add(action)
    with session_scope() as session:
        ladders = {r.id: ladder_for(r.id, r.settings) for r in session.exec(select(Report)).all()}
        actions = list(session.exec(select(Action).order_by(col(Action.id))).all())
    sent: dict[int, set[str]] = defaultdict(set)
    seen: set[str] = set()
    decided_any = 0
    for offset in range(16):
        day = start + timedelta(days=offset)
        expected: set[tuple[int, str, str, str]] = set()
        for action in actions:
            assert action.id is not None
            state = state_of(action)
            ladder = ladders[action.report_id]
            for stage in due_today(state, today=day, sent=sent[action.id], ladder=ladder, holidays=around(day)):
                sent[action.id].add(stage.name)
                expected.add((action.id, stage.name, stage.kind, action.owner_email or ""))
        with session_scope() as session:
            written = decide_reminders(session, today=day, now=instant(day))
        with session_scope() as session:
            rows = session.exec(select(Delivery).where(col(Delivery.key).not_in(seen))).all()
        seen |= {r.key for r in rows}
        got = {(r.action_id or 0, r.stage or "", r.kind, r.recipient) for r in rows}
        assert got == expected, f"{day}: what was logged differs from the ladder"
        assert written == len(rows), f"{day}: the count returned"
        assignments = {a.id: a.assignment for a in actions}
        assert all(r.key == f"reminder:{r.action_id}:{assignments[r.action_id]}:{r.stage}" for r in rows)
        decided_any += written
        with session_scope() as session:  # the same day again logs nothing
            assert decide_reminders(session, today=day, now=instant(day)) == 0
    assert decided_any > 50
    kinds = {s.split("-")[0] for stages in sent.values() for s in stages}
    assert kinds >= {"before", "due", "overdue", "nudge"}


def test_a_decision_rolled_back_leaves_nothing_behind(fanned_out: Settings) -> None:
    """``preview`` decides in a transaction it rolls back: every row the decision wrote (ladder stages and nudges
    alike) must go with it. On SQLite this needs every INSERT to begin with INSERT, so the driver opens a
    transaction.
    """
    day = date(2021, 6, 24)  # overdue-7 for every owned action, and their first nudges
    with Session(current_engine()) as session:
        assert decide_reminders(session, today=day, now=instant(day)) > 0
        session.rollback()
    with session_scope() as session:
        assert session.exec(select(Delivery)).all() == []
