"""The production path on this machine: PostgreSQL for our data and for Prefect's, a Prefect server, a process work
pool, ``prefect deploy --all`` from prefect.yaml, one worker, and the daily-cycle deployment run through it twice at
once: every due message reaches the SMTP server exactly once.

Every process is bounded by a timeout and stopped at the end; the databases it creates are dropped.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import select

from models.settings import normalise_database_url
from models.store.db import engine_for, migrate, session_scope
from models.store.tables import Action, Delivery
from tests.conftest import TEST_DATABASE_URL, SmtpSink
from tests.deploy.processes import (
    BIN,
    ROOT,
    background,
    free_port,
    postgresql_database,
    run,
    stop,
    tail,
    wait_for_http,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not TEST_DATABASE_URL,
        reason="production path: set ACTIONED_TEST_DATABASE_URL (PostgreSQL) to run the server-and-worker test",
    ),
]

TODAY = date(2021, 6, 10)
"""A week before "Safe to share?"'s six-month return date: reminders are due for the owned actions."""

POOL = "actioned"


@pytest.fixture
def our_database(tmp_path: Path) -> Iterator[str]:
    """Our data in a schema of its own on the test PostgreSQL, migrated and loaded as `actioned init --examples`."""
    from flows.cli.register import load_shipped

    assert TEST_DATABASE_URL
    base = normalise_database_url(TEST_DATABASE_URL)
    schema = f"deploy_{uuid.uuid4().hex[:10]}"
    with engine_for(base).begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        migrate(url)
        with session_scope(url) as session:
            load_shipped(session, examples=True)
        yield url
    finally:
        engine_for(url).dispose()
        with engine_for(base).begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


def prefect_env(tmp_path: Path, api_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACTIONED_"))}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def test_daily_cycle_runs_on_a_prefect_server_through_a_process_worker(
    our_database: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    assert TEST_DATABASE_URL
    with postgresql_database(TEST_DATABASE_URL, "actioned_prefect") as prefect_db:
        server_db = make_url(normalise_database_url(TEST_DATABASE_URL)).set(
            drivername="postgresql+asyncpg", database=prefect_db, query={}
        )
        port = free_port()
        api_url = f"http://127.0.0.1:{port}/api"
        server_env = {
            **prefect_env(tmp_path),
            "PREFECT_SERVER_DATABASE_CONNECTION_URL": server_db.render_as_string(hide_password=False),
        }
        server_log = tmp_path / "server.log"
        prefect = str(BIN / "prefect")
        with background(
            [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=server_env, log=server_log
        ) as server:
            wait_for_http(f"{api_url}/health", timeout=90, proc=server, log=server_log)
            env = prefect_env(tmp_path, api_url)
            created = run([prefect, "work-pool", "create", POOL, "--type", "process"], env=env, timeout=60)
            assert created.returncode == 0, created.stdout + created.stderr
            deployed = run(
                [prefect, "--no-prompt", "deploy", "--all"], env={**env, "ACTIONED_PROJECT_DIR": str(ROOT)}, timeout=120
            )
            assert deployed.returncode == 0, deployed.stdout + deployed.stderr
            worker_env = {
                **env,
                "ACTIONED_PROJECT_DIR": str(ROOT),
                "ACTIONED_DATABASE_URL": our_database,
                "ACTIONED_SMTP_URL": smtp.url,
                "ACTIONED_HOME": str(tmp_path / "actioned-home"),
                "ACTIONED_SECRET_KEY": "deploy-test-secret-not-for-production",
                "ACTIONED_MAIL_FROM": "actioned@example.org",
            }
            worker_log = tmp_path / "worker.log"
            with background([prefect, "worker", "start", "--pool", POOL], env=worker_env, log=worker_log) as worker:
                # Two runs of the daily cycle at once (as a manual run during the scheduled one would be): the worker
                # starts each in a process of its own, and they share the one delivery log.
                watch = [
                    prefect,
                    "deployment",
                    "run",
                    "daily-cycle/daily-cycle",
                    "--param",
                    f'today="{TODAY.isoformat()}"',
                    "--watch",
                    "--watch-interval",
                    "1",
                    "--watch-timeout",
                    "240",
                ]
                runs = [
                    subprocess.Popen(watch, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                    for _ in range(2)
                ]
                outputs = []
                try:
                    for proc in runs:
                        outputs.append((proc.wait(timeout=300), proc.stdout.read() if proc.stdout else ""))
                finally:
                    for proc in runs:
                        stop(proc)
                assert worker.poll() is None, tail(worker_log)
            report = "\n".join(out for _code, out in outputs) + f"\n--- worker log:\n{tail(worker_log, 80)}"
            assert [code for code, _out in outputs] == [0, 0], report
            assert all("Completed" in out for _code, out in outputs), report

    with session_scope(our_database) as session:
        actions = session.exec(select(func.count()).select_from(Action)).one()
        sent = session.exec(select(Delivery.key, Delivery.message_id).where(Delivery.status == "sent")).all()
    assert actions == 270, "the daily cycles fanned the shipped report out, once"
    assert smtp.messages, f"no message reached the SMTP server\n{report}"
    arrived = [m["Message-ID"] for m in smtp.messages]
    assert len(set(arrived)) == len(arrived), "a message arrived twice"
    # Each (action, stage) row of a digest carries the Message-ID of the one message that took it.
    assert set(arrived) == {mid for _key, mid in sent if mid}, "what was logged as sent is what arrived"
    assert all(
        addr.endswith((".example", "example.org", "example.com", "example.net"))
        for m in smtp.messages
        for addr in [str(m["To"]).split("@")[-1].rstrip(">")]
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
