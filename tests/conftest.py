"""Shared fixtures: a real database (SQLite, and PostgreSQL when ACTIONED_TEST_DATABASE_URL is set), a real SMTP
server on 127.0.0.1, one Prefect test harness per session, and the real command-line entry point."""

import email
import email.policy
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from models.db import engine_for, migrate, session_scope
from models.settings import Settings, load_settings, normalise_database_url

TEST_DATABASE_URL = os.environ.get("ACTIONED_TEST_DATABASE_URL")
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_0a755b307aa70f69.txt"
ENV_NAMES = (
    "ACTIONED_HOME",
    "ACTIONED_DATABASE_URL",
    "ACTIONED_SMTP_URL",
    "ACTIONED_MAIL_FROM",
    "ACTIONED_SANDBOX_TO",
    "ACTIONED_SECRET_KEY",
    "ACTIONED_BASE_URL",
)


def _postgres_schema_url(base: str) -> tuple[str, str]:
    """A fresh schema on the test PostgreSQL database, and a URL whose connections use it."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    url = normalise_database_url(base)
    with engine_for(url).begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    return schema, f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test that touches the database runs on SQLite and, when configured, on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'actioned.db'}"
        return
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL: set ACTIONED_TEST_DATABASE_URL (see the README) to run this test on it too")
    schema, url = _postgres_schema_url(TEST_DATABASE_URL)
    yield url
    engine_for(url).dispose()
    with engine_for(normalise_database_url(TEST_DATABASE_URL)).begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Settings:
    """A fresh data folder and database, configured through the environment as a user would."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACTIONED_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ACTIONED_DATABASE_URL", database_url)
    monkeypatch.setenv("ACTIONED_SECRET_KEY", "test-secret-key-not-for-production")
    return load_settings()


@pytest.fixture
def db(home: Settings) -> Settings:
    """The database at the newest schema, empty."""
    migrate()
    return home


@pytest.fixture
def registered(db: Settings) -> Settings:
    """The shipped register, the shipped report(s) and the example contacts, loaded as `actioned init --examples`."""
    from flows.cli.register import load_shipped

    with session_scope() as session:
        load_shipped(session, examples=True)
    return db


@pytest.fixture
def assigned(registered: Settings) -> Settings:
    """As ``registered``, with "Safe to share?" fanned out (directly, without a flow run)."""
    from models.repository import fan_out

    with session_scope() as session:
        fan_out(session, report_id="safe-to-share")
    return registered


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps what arrives."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()
        self.port = self.controller.port

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpSink]:
    """A real SMTP server on 127.0.0.1, configured as ACTIONED_SMTP_URL."""
    sink = SmtpSink()
    sink.start()
    monkeypatch.setenv("ACTIONED_SMTP_URL", sink.url)
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test harness (a temporary API server) for the whole session; flow tests ask for it."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from flows.prefect_env import configure

    configure()
    with (
        prefect_test_harness(server_startup_timeout=120),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(home: Settings) -> Any:
    """Run the real ``actioned`` entry point in a subprocess with the test's environment."""
    executable = Path(sys.executable).with_name("actioned")

    def run(*args: str, env: dict[str, str] | None = None, timeout: float = 180) -> CliResult:
        proc = subprocess.run(
            [str(executable), *args],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run
