"""Two sweeps (or two dispatchers) running at once, in real concurrent processes, on SQLite and PostgreSQL: every due
message reaches the SMTP server exactly once, counted at the server by Message-ID.

The processes wait at a barrier (a file) after their imports, so their work overlaps; the SMTP server answers a little
slowly so that both are sending at the same time.
"""

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bench.workload import Spec, build
from models.settings import Settings
from models.store.db import session_scope
from models.store.tables import Delivery
from tests.conftest import SmtpSink
from tests.deploy.processes import ROOT, stop

WORKERS = 2

SWEEP = """
import sys, time
from pathlib import Path
from datetime import date, datetime, UTC
from notifications.reminders import sweep
barrier = Path(sys.argv[1])
while not barrier.exists():
    time.sleep(0.01)
result = sweep(today=date.fromisoformat(sys.argv[2]), now=datetime.fromisoformat(sys.argv[3]))
print("SENT", len(result.report.sent), "FAILED", len(result.report.failed))
"""

DISPATCH = """
import sys, time
from pathlib import Path
from datetime import datetime
from notifications.delivery import dispatch
barrier = Path(sys.argv[1])
while not barrier.exists():
    time.sleep(0.01)
report = dispatch(now=datetime.fromisoformat(sys.argv[2]))
print("SENT", len(report.sent), "FAILED", len(report.failed))
"""


class SlowSink(SmtpSink):
    """An SMTP server that takes a few milliseconds per message, as a real one does."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp(monkeypatch: pytest.MonkeyPatch) -> Any:
    sink = SlowSink()
    sink.start()
    monkeypatch.setenv("ACTIONED_SMTP_URL", sink.url)
    yield sink
    sink.stop()


def run_at_once(code: str, args: list[str], tmp_path: Path) -> list[str]:
    """Start WORKERS processes, release them together, and return what each printed (bounded: 120 s each)."""
    barrier = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(barrier), *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for _ in range(WORKERS)
    ]
    outputs = []
    try:
        time.sleep(3)  # imports done (a process that is not ready yet starts a moment later: still concurrent)
        barrier.touch()
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, f"exit {proc.returncode}:\n{out}\n{err[-3000:]}"
            outputs.append(out)
    finally:
        for proc in procs:
            stop(proc)
    return outputs


def sent_counts(outputs: list[str]) -> list[int]:
    return [int(line.split()[1]) for out in outputs for line in out.splitlines() if line.startswith("SENT")]


def assert_each_once(sink: SmtpSink) -> Counter[str]:
    ids = Counter(str(m["Message-ID"]) for m in sink.messages)
    twice = {mid: n for mid, n in ids.items() if n > 1}
    assert not twice, f"sent more than once: {twice}"
    return ids


@pytest.mark.slow
def test_two_sweeps_at_once_send_every_message_exactly_once(db: Settings, slow_smtp: SlowSink, tmp_path: Path) -> None:
    spec = Spec(reports=3, recommendations=6, agencies=40, seed=11)
    build(db.database_url, spec)
    now = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)

    outputs = run_at_once(SWEEP, [spec.today.isoformat(), now.isoformat()], tmp_path)

    arrived = assert_each_once(slow_smtp)
    with session_scope() as session:
        messages = session.exec(
            select(Delivery.key, Delivery.status, Delivery.message_id).where(
                col(Delivery.message).is_not(None), col(Delivery.channel) == "email"
            )
        ).all()
        items = session.exec(select(Delivery.status).where(col(Delivery.created_at) == now)).all()
    assert messages, "the workload had reminders due"
    assert {status for _k, status, _m in messages} == {"sent"}, "a message was lost"
    assert set(arrived) == {mid for _k, _s, mid in messages}
    assert len(slow_smtp.messages) == len(messages)
    assert "pending" not in items
    assert sum(sent_counts(outputs)) == len(messages)


@pytest.mark.slow
def test_two_dispatchers_at_once_claim_each_message_once(db: Settings, slow_smtp: SlowSink, tmp_path: Path) -> None:
    from notifications.delivery import Outgoing, enqueue

    now = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
    with session_scope() as session:
        for i in range(120):
            enqueue(
                session,
                Outgoing(
                    key=f"concurrency:{i}",
                    kind="reminder",
                    to=f"owner{i % 7}@force-{i % 13}.example.org",
                    subject=f"Message {i}",
                    text=f"Body {i}",
                ),
                now=now,
            )

    outputs = run_at_once(DISPATCH, [now.isoformat()], tmp_path)

    arrived = assert_each_once(slow_smtp)
    assert len(arrived) == 120, "a message was lost"
    counts = sent_counts(outputs)
    assert sum(counts) == 120
    assert all(n > 0 for n in counts), f"the dispatchers did not overlap ({counts}): the test proves nothing"
    with session_scope() as session:
        statuses = Counter(session.exec(select(Delivery.status)).all())
    assert statuses == {"sent": 120}
