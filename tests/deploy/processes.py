"""Subprocesses that are always bounded in time and always cleaned up, and the PostgreSQL databases they use."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from models.settings import normalise_database_url
from models.store.db import engine_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def run(
    args: list[str], *, env: dict[str, str], timeout: float = 120, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run a command to its end (bounded); the caller checks the result."""
    return subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


@contextmanager
def background(
    args: list[str], *, env: dict[str, str], log: Path, cwd: Path = ROOT
) -> Iterator[subprocess.Popen[bytes]]:
    """A long-running process in its own process group, writing to ``log``; stopped (TERM, then KILL) at the end."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            yield proc
        finally:
            stop(proc)


def stop(proc: "subprocess.Popen[bytes] | subprocess.Popen[str]", grace: float = 10) -> None:
    """Stop the process and everything it started (its process group)."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=grace)
    else:
        # The leader is gone; its children (flow runs, server workers) may not be.
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


def wait_for_http(url: str, *, timeout: float, proc: "subprocess.Popen[bytes]", log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{proc.args!r} exited with {proc.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {timeout:.0f} s:\n{tail(log)}")


def tail(log: Path | IO[str], lines: int = 40) -> str:
    text = log.read_text(errors="replace") if isinstance(log, Path) else log.read()
    return "\n".join(text.splitlines()[-lines:])


@contextmanager
def postgresql_database(base_url: str, prefix: str) -> Iterator[str]:
    """A fresh database on the server behind ``base_url`` (a plain ``postgresql://`` URL), dropped at the end."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = engine_for(normalise_database_url(base_url)).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
