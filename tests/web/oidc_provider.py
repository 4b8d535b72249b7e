"""A real OpenID provider for the sign-in tests: panva's ``oidc-provider`` (npm, v9) on Node.js, run from
tests/web/oidc/provider.mjs on 127.0.0.1. ``.ci/run`` installs it (npm ci); without node or the package the tests
that need it skip, saying why.
"""

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

FOLDER = Path(__file__).parent / "oidc"
CLIENT_ID = "actioned-test"
CLIENT_SECRET = "actioned-test-secret-not-for-production"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def skip_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (the test OpenID provider runs on Node.js)"
    if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        return "the test OpenID provider is not installed (run: npm ci --prefix tests/web/oidc)"
    return None


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


@contextmanager
def running(*, redirect_uri: str, accounts: dict[str, dict[str, Any]]) -> Iterator[Provider]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": redirect_uri,
        "ACCOUNTS": json.dumps(accounts),
    }
    node = shutil.which("node") or "node"
    process = subprocess.Popen(
        [node, str(FOLDER / "provider.mjs")], cwd=FOLDER, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                raise AssertionError(f"the test OpenID provider stopped: {err[-2000:]}")
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the test OpenID provider did not start"
            time.sleep(0.1)
        yield Provider(issuer=issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
