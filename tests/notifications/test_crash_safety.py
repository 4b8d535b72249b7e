"""Crash safety: the sweep is killed with SIGKILL in a subprocess after some messages have gone; the next sweep sends
every message that had not gone and none that had (counted by Message-ID at a real SMTP server).
"""

import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from models.settings import Settings
from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.tables import Delivery
from notifications.reminders import sweep
from tests.conftest import SmtpSink

DAY = date(2021, 7, 8)  # every owner has an escalation due (and a nudge)
NOW = datetime.combine(DAY, time(8), tzinfo=UTC)

SWEEP_THEN_DIE = """
import os, signal, sys
from datetime import date, datetime
from notifications.reminders import SweepSteps, compose_step, decide_step, send_step, sweep

point = sys.argv[1]
sent = 0

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def after_each(done):
    global sent
    sent += 1
    if point == str(sent):
        die()

def decide(today, now, report_id):
    result = decide_step(today=today, now=now, report_id=report_id)
    if point == "decided":
        die()
    return result

def compose(today, now):
    result = compose_step(today=today, now=now)
    if point == "composed":
        die()
    return result

steps = SweepSteps(decide=decide, compose=compose, send=lambda now: send_step(now=now, after_each=after_each))
sweep(today=date.fromisoformat(sys.argv[2]), now=datetime.fromisoformat(sys.argv[3]), steps=steps)
"""


@pytest.mark.parametrize("point", ["decided", "composed", "1", "2"])
def test_a_sweep_killed_mid_send_is_finished_by_the_next_without_repeats(
    registered: Settings, smtp: SmtpSink, tmp_path: Path, point: str
) -> None:
    with session_scope() as session:
        fan_out(session, report_id="safe-to-share", now=datetime(2020, 12, 18, 9, tzinfo=UTC))
    script = tmp_path / "sweep_then_die.py"
    script.write_text(SWEEP_THEN_DIE)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, str(script), point, DAY.isoformat(), NOW.isoformat()],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert len(smtp.messages) == (int(point) if point.isdigit() else 0)
    with session_scope() as session:
        waiting = session.exec(
            select(Delivery).where(col(Delivery.message).is_not(None), Delivery.status != "sent")
        ).all()
    assert waiting or point == "decided", "the kill left messages to send"

    result = sweep(today=DAY, now=NOW + timedelta(minutes=30))
    assert result.ok
    if point != "decided":  # killed after deciding only: the rerun composes the messages, then sends them
        assert len(result.report.sent) == len(waiting)
    else:
        assert result.decided == 0  # decided before the kill, not again
    ids = [str(m["Message-ID"]) for m in smtp.messages]
    assert len(ids) == len(set(ids)) == 3  # one message per owner, each exactly once
    with session_scope() as session:
        statuses = set(session.exec(select(Delivery.status)).all())
    assert statuses == {"sent"}
    assert sweep(today=DAY, now=NOW + timedelta(hours=2)).report.sent == []
