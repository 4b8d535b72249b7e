"""Prefect defaults for one machine with no network beyond this one: set before Prefect is imported.

Analytics off (offline, the telemetry look-up fails); a generous start-up timeout for the ephemeral server (a fresh
start takes 13 to 16 s on two cores); a quiet console. Each is only a default: a value in the environment wins.

The embedded default has no Prefect server: a flow run starts Prefect's temporary one (a uvicorn process of its own)
and waits for it. For the commands that run a flow (``FLOW_COMMANDS``) the command line starts that same server
itself, first thing (``started_early``), so it boots on the other core while the command imports Prefect and the
flows and opens the database, and the client never imports the server's modules (about 2 s on two cores); the flow
then runs against it (``one_shot``). Measured in ``bench/RESULTS.md`` (daily cycle fixed cost).
"""

import atexit
import http.client
import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    # The console shows errors only (the command prints its own summary; the events worker warns at exit while it
    # flushes, and nothing is wrong); flow and task runs still send their INFO logs to the API, where the UI shows them.
    "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "ERROR",
    "PREFECT_UI_ENABLED": "false",
}

P = ParamSpec("P")
R = TypeVar("R")


def configure() -> None:
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)


FLOW_COMMANDS = (("run",), ("remind",), ("assign",), ("returns", "compile"), ("returns", "submit"))
"""Commands that always run a flow: the command line starts the temporary server for them before anything else."""
PORT_IN_USE = 3
"""uvicorn's exit status when its port was taken meanwhile (then another port is tried, as Prefect does)."""


class EarlyServer:
    """Prefect's temporary server, started as Prefect starts it (``SubprocessASGIServer``: the same uvicorn command,
    application and environment) but without importing Prefect, and stopped when the command ends.
    """

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.ready = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        spec = importlib.util.find_spec("prefect")
        assert spec is not None
        assert spec.submodule_search_locations is not None
        app_dir = Path(next(iter(spec.submodule_search_locations))).parent
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory"]
        command += ["prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--log-level", "error", "--lifespan", "on"]
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)  # noqa: S603  # our own command

    def wait(self) -> str:
        """The API's URL once the server answers its health check (started again on another port if its port was
        taken); RuntimeError after PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.
        """
        if self.ready:
            return self.api_url
        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 90)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() == PORT_IN_USE:
                self.start()
            elif self.process.poll() is not None:
                break
            if self._healthy():
                self.ready = True
                return self.api_url
            time.sleep(0.05)
        code = self.process.poll() if self.process else None
        exited = f" (it exited with status {code})" if code is not None else ""
        raise RuntimeError(f"Prefect's temporary server did not answer within {timeout:.0f} s{exited}")

    def _healthy(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/api/health")
            return conn.getresponse().status == http.client.OK
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_early: EarlyServer | None = None


def _server_configured() -> bool:
    """Whether a Prefect server is named (environment, or the Prefect profiles file), or Prefect is already loaded
    (a test harness may have set one): then Prefect is left to find its own.
    """
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return True
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    with suppress(OSError):
        return "PREFECT_API_URL" in (home / "profiles.toml").read_text()
    return False


NO_FLOW_OPTIONS = frozenset({"--help", "-h", "--dry-run"})
"""Options with which a command of ``FLOW_COMMANDS`` runs no flow."""


def runs_a_flow(argv: Sequence[str]) -> bool:
    """Whether the command line ``argv`` (without the program's name) is one that runs a flow."""
    words = tuple(a for a in argv if not a.startswith("-"))
    return any(words[: len(c)] == c for c in FLOW_COMMANDS) and not NO_FLOW_OPTIONS & set(argv)


@contextmanager
def started_early(argv: Sequence[str]) -> Iterator[None]:
    """For a command of ``FLOW_COMMANDS`` on the embedded default: Prefect's temporary server started now (and
    stopped when the process exits); for anything else, nothing.
    """
    global _early  # noqa: PLW0603  # one server per command-line process
    if not runs_a_flow(argv) or _early is not None or _server_configured():
        yield
        return
    configure()
    _early = EarlyServer()
    _early.start()
    # Stopped at exit, as Prefect stops its own: after its log and event workers have sent what they hold (they
    # drain when the interpreter's threads shut down, before ``atexit`` runs).
    atexit.register(_early.stop)
    yield


def early_server_url() -> str | None:
    """The API URL of the server the command line started early, once it answers; None when it started none."""
    return _early.wait() if _early is not None else None


@contextmanager
def one_shot() -> Iterator[None]:
    """For a flow run from the command line: no heartbeat thread (it holds a sync flow's exit for up to a second);
    the server the command line started early, when it did.
    """
    configure()
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    updates: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    api_url = early_server_url()
    if api_url is not None:
        updates[PREFECT_API_URL] = api_url
    with temporary_settings(updates=updates):
        yield


def run_flow(flow: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a flow once, from the command line, and return its result."""
    with one_shot():
        return flow(*args, **kwargs)
