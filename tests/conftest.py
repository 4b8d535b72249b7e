"""Shared fixtures: a real database (SQLite, and PostgreSQL when ACTIONED_TEST_DATABASE_URL is set), a real SMTP
server on 127.0.0.1, one Prefect test harness per session, and the real command-line entry point.
"""

import email
import email.policy
import os
import shutil
import socket
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
from sqlalchemy import Engine, make_url

from models.settings import Settings, load_settings, normalise_database_url
from models.store.db import engine_for, migrate, session_scope

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
    "ACTIONED_MARKING",
)


def _admin() -> Engine:
    """A connection to the test server's maintenance database, outside transactions (CREATE/DROP DATABASE)."""
    assert TEST_DATABASE_URL
    return engine_for(normalise_database_url(TEST_DATABASE_URL)).execution_options(isolation_level="AUTOCOMMIT")


def _database_name(url: str) -> str:
    return str(make_url(url).database)


def _recreate(url: str, template: str | None) -> None:
    """Drop the PostgreSQL database at ``url`` (if it exists) and create it again, empty or as a copy of ``template``."""
    engine_for(url).dispose()
    name = _database_name(url)
    with _admin().connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


LEVELS = ("db", "registered", "assigned")


class Templates:
    """Databases built once per test session at each level (migrated; + the shipped register, report and example
    contacts; + the report fanned out) and copied for every test that asks for that level: a copy takes a fraction
    of the time a build does, on SQLite (a file copy) and PostgreSQL (CREATE DATABASE ... TEMPLATE).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[tuple[str, str], str] = {}
        self.tag = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"

    def _build(self, url: str, level: str) -> None:
        migrate(url)
        if level != "db":
            from flows.cli.register import load_shipped
            from models.store.fanout import fan_out

            with session_scope(url) as session:
                load_shipped(session, examples=True)
                if level == "assigned":
                    fan_out(session, report_id="safe-to-share")
        engine_for(url).dispose()

    def provide(self, url: str, level: str) -> None:
        """Make the database at ``url`` a fresh copy of the template at ``level``."""
        backend = "sqlite" if url.startswith("sqlite") else "postgresql"
        key = (backend, level)
        if backend == "sqlite":
            if key not in self.built:
                template = self.folder / f"{level}.db"
                self._build(f"sqlite:///{template}", level)
                self.built[key] = str(template)
            engine_for(url).dispose()
            shutil.copyfile(self.built[key], make_url(url).database or "")
            return
        if key not in self.built:
            name = f"tpl_{self.tag}_{level}"
            template_url = make_url(normalise_database_url(TEST_DATABASE_URL or "")).set(database=name)
            rendered = template_url.render_as_string(hide_password=False)
            _recreate(rendered, None)
            self._build(rendered, level)
            self.built[key] = name
        _recreate(url, self.built[key])

    def drop(self) -> None:
        if TEST_DATABASE_URL:
            with _admin().connect() as conn:
                for (backend, _), name in self.built.items():
                    if backend == "postgresql":
                        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    built = Templates(tmp_path_factory.mktemp("templates"))
    yield built
    built.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every test that touches the database runs on SQLite and, when configured, on PostgreSQL (a database of its
    own on the test server, dropped afterwards).
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'actioned.db'}"
        return
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL: set ACTIONED_TEST_DATABASE_URL (see the README) to run this test on it too")
    name = f"t_{uuid.uuid4().hex[:16]}"
    url = make_url(normalise_database_url(TEST_DATABASE_URL)).set(database=name).render_as_string(hide_password=False)
    _recreate(url, None)
    yield url
    engine_for(url).dispose()
    with _admin().connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
def db(home: Settings, request: pytest.FixtureRequest, templates: Templates) -> Settings:
    """The database at the newest schema: empty, or at the highest level the test asks for (below)."""
    wanted = [level for level in LEVELS if level in request.fixturenames][-1]
    templates.provide(home.database_url, wanted)
    return home


@pytest.fixture
def registered(db: Settings) -> Settings:
    """The shipped register, the shipped report(s) and the example contacts, as `actioned init --examples` loads them."""
    return db


@pytest.fixture
def assigned(registered: Settings) -> Settings:
    """As ``registered``, with "Safe to share?" fanned out (270 actions across 89 agencies)."""
    return registered


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps what arrives."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    controller: Controller | None = None

    answers: dict[str, str] = field(default_factory=dict)
    """Recipient -> the reply its RCPT gets ("450 4.7.1 Greylisted", "550 5.1.1 No such user"); others: 250."""
    data_answer: str | None = None
    """A reply to give at the end of DATA instead of accepting ("451 4.3.0 Try later")."""
    drop_at_data: int = 0
    """Drop the connection, without a reply, at the end of DATA this many times (the server dies mid-transaction)."""
    rcpts: list[str] = field(default_factory=list)
    """Every RCPT address offered, in order, whatever the answer."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.rcpts.append(address)
        answer = self.answers.get(address)
        if answer is not None:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drop_at_data > 0:
            self.drop_at_data -= 1
            server.transport.close()
            return "421 closing"  # never reaches the client: the connection is gone
        if self.data_answer is not None:
            return self.data_answer
        self.envelopes.append(envelope)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        if not self.port:  # aiosmtpd 1.4 cannot start on port 0 (it connects to the port it was given): pick one
            with socket.socket() as probe:
                probe.bind((self.host, 0))
                self.port = probe.getsockname()[1]
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


@pytest.fixture
def cli_in_process(home: Settings, capsys: pytest.CaptureFixture[str]) -> Any:
    """The same entry point (``flows.cli.main``, the console script's function) called in this process: fast, for
    the many small cases; use ``cli`` where a flow runs or the installed script itself is under test.
    """
    from flows.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
