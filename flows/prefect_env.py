"""Prefect defaults for one machine with no network beyond this one: set before Prefect is imported.

Analytics off (offline, the telemetry look-up fails); a generous start-up timeout for the ephemeral server (a fresh
start takes 13 to 16 s on two cores); a quiet console. Each is only a default: a value in the environment wins.
"""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

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


@contextmanager
def one_shot() -> Iterator[None]:
    """For a flow run from the command line: no heartbeat thread (it holds a sync flow's exit for up to a second)."""
    configure()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def run_flow(flow: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a flow once, from the command line, and return its result."""
    with one_shot():
        return flow(*args, **kwargs)
