"""A return submission killed with SIGKILL at several points (after deciding, after each message marked, after sending
but before recording): the next run sends what had not gone, nothing twice, and records every return as submitted.
"""

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models.settings import Settings
from notifications.delivery import CLAIM_LEASE
from tests.conftest import SmtpSink
from tests.returns.test_submit import DUE, INSPECTORATE, submit, the_return

SUBMIT_THEN_DIE = """
import os, signal, sys
from datetime import date, datetime

from flows.submit_returns import decide, queue_batch, queue_notices, sendable
from notifications.delivery import dispatch
from notifications.documents.submission import record_sent
from models.store.db import session_scope

point, today, now = sys.argv[1], date.fromisoformat(sys.argv[2]), datetime.fromisoformat(sys.argv[3])

def die():
    os.kill(os.getpid(), signal.SIGKILL)

checks = decide(today)
keys = []
for (report_id, kind), agencies in sorted(sendable(checks).items()):
    keys += queue_batch.fn(report_id, kind, agencies, today, now)["keys"]
keys += queue_notices.fn(checks, today, now)["keys"]
if point == "decided":
    die()
marked = 0

def after_each(done):
    global marked
    marked += 1
    if point == f"marked-{marked}":
        die()

dispatch(keys=keys, now=now, after_each=after_each)
if point == "sent":
    die()
with session_scope() as session:
    record_sent(session)
"""


@pytest.mark.parametrize("point", ["decided", "marked-1", "marked-2", "sent"])
def test_a_submission_killed_at_any_point_is_finished_by_the_next_run_without_repeats(
    answered: Settings, smtp: SmtpSink, tmp_path: Path, point: str
) -> None:
    script = tmp_path / "submit_then_die.py"
    script.write_text(SUBMIT_THEN_DIE)
    root = Path(__file__).resolve().parents[2]
    now = datetime.now(UTC)
    proc = subprocess.run(
        [sys.executable, str(script), point, DUE.isoformat(), now.isoformat()],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert the_return().submitted_at is None  # killed before recording, at every point
    before = len(smtp.messages)

    result = submit(DUE, now + CLAIM_LEASE + timedelta(minutes=1))
    assert result["submitted"] == [the_return().id]
    assert result["unfinished"] == {}
    assert sum(1 for e in smtp.envelopes for a in e.rcpt_tos if a == INSPECTORATE) == 1
    ids = Counter(str(m["Message-ID"]) for m in smtp.messages)
    assert all(n == 1 for n in ids.values()), ids  # every message once: none repeated by the rerun
    assert len(smtp.messages) > before or point == "sent"
    assert submit(DUE, now + timedelta(hours=2))["submitted"] == []
