"""The pages under load from a second process, each beside a bare endpoint: the owner's and liaison officer's link
pages, and the staff pages a signed-in person opens (the staff home, an agency's report, its return, an action, the
register, the delivery log, and the administrators' register, import upload and import review); ``PAGES`` lists them,
and a new page is one more entry.

The app (``web.app:create_app``) is served on the benchmark's workload database as ``actioned web`` serves it: uvicorn
in a process of its own on 127.0.0.1 (a free port, one worker, log level warning). A load generator in a second
process (``bench.child``, standard library only) requests a random sample of real pages (links signed beforehand:
open actions with an owner; agencies with actions in a report) and times each request:

- open loop: ``RATE`` requests per second for ``SECONDS`` s (at most ``MAX_REQUESTS``), each sent at its scheduled
  instant on one of ``WORKERS`` connections whatever the earlier ones are doing (so a slow server gets no respite).
  A request's latency runs from its sending to the end of its response; the same percentiles counted from the
  scheduled instant (which adds the generator's own lateness, and any wait for a free connection) are in the notes.
  A request that does not end in a 200 counts as infinitely slow, so errors cannot improve the percentiles. Requests
  not yet sent ``DRAIN`` s after the last scheduled instant are dropped and counted as errors, so the generator always
  stops by itself.
- closed loop: ``CLIENTS`` clients, each sending its next request as soon as the last one is answered, for
  ``CLOSED_SECONDS`` s: the most the server gives.

Errors are responses other than 200 (a refused link is a 403) and requests that failed. The server's memory is its
peak resident set size (``VmHWM`` in /proc/<pid>/status), read after each phase.

The baseline is served the same way and loaded the same way: a minimal FastAPI app (``baseline_app``) that, for an
owner page, looks the action up by primary key, and for a liaison page selects the agency's actions in the report, with
bare SQL through the standard driver (sqlite3 / psycopg, one connection per server thread), and returns a small HTML
string. It checks no signature and renders no template: it is the floor, and the ratio is what everything the page
does costs above it. The two sides are measured one after the other (alternating from round to round with
``--rounds``), each in a server of its own.
"""

import html
import http.client
import json
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bench import raw

if TYPE_CHECKING:  # the load generator's process imports this module with the standard library only
    from fastapi import FastAPI
    from starlette.responses import Response
from bench.measure import ROOT, Figure, StepFailed

RATE = 50
"""Requests per second in the open loop."""
SECONDS = 20
MAX_REQUESTS = 1_500
DRAIN = 10.0
"""How long after the last scheduled instant the open loop still sends what is queued."""
WORKERS = 32
"""The open loop's connections: how many requests can be in flight at once."""
CLIENTS = 4
CLOSED_SECONDS = 10
CLOSED_MAX = 50_000
WARMUP = 30
"""Requests sent one by one before each measured phase, not counted (imports, templates, the connection pool)."""
TIMEOUT = 10.0
"""Seconds a single request may take before it counts as failed."""
TARGET_MS = 100
THROUGHPUT_TARGET = 0.5
"""The most a page serves, as a fraction of what its bare endpoint serves."""
STARTUP = 60.0
STOP = 10.0
"""Seconds a process is given to end after SIGTERM before it is killed."""

OURS = "web.app:create_app"
BASELINE = "bench.page:baseline_app"


# --- in the server process: the baseline app ---------------------------------------------------------------------------


def baseline_app() -> Any:
    """The floor (``--factory``): for an owner page one primary-key lookup, for a liaison page one select of the
    agency's actions in the report (joined to their recommendations), through the bare driver; a small HTML string
    back.
    """
    from fastapi import FastAPI
    from starlette.responses import HTMLResponse, Response

    url = os.environ["ACTIONED_DATABASE_URL"]
    query = raw.sql(url, "SELECT id, status, due_on, owner_name, response FROM actions WHERE id = ?")
    local = threading.local()

    def connection() -> Any:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = raw.connect(url)
            if raw.kind_of(url) == "postgresql":
                conn.autocommit = True
            local.conn = conn
        return conn

    def fetch(statement: str, params: tuple[Any, ...]) -> list[Any]:
        cur = connection().cursor()
        try:
            cur.execute(statement, params)
            return list(cur.fetchall())
        finally:
            cur.close()

    def table_page(title: str, rows: list[Any]) -> Response:
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
        return HTMLResponse(f"<!doctype html><title>{html.escape(title)}</title><table>{body}</table>")

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/a/{action_id}")
    def action(action_id: int) -> Response:
        found = fetch(query, (action_id,))
        if not found:
            return HTMLResponse("<!doctype html><title>Not found</title>", status_code=404)
        row = found[0]
        body = "".join(f"<p>{html.escape(str(value))}</p>" for value in row)
        return HTMLResponse(f"<!doctype html><title>Action {row[0]}</title>{body}")

    agency_actions = raw.sql(
        url,
        "SELECT a.id, r.number, r.text, a.owner_name, a.status, a.due_on FROM actions a"
        " JOIN recommendations r ON r.id = a.recommendation_id WHERE a.agency_id = ? AND a.report_id = ?"
        " ORDER BY r.position, a.id",
    )

    @app.get("/l/{agency_id}/{report_id}")
    def agency(agency_id: str, report_id: str) -> Response:
        return table_page(agency_id, fetch(agency_actions, (agency_id, report_id)))

    agency_reports = raw.sql(
        url,
        "SELECT a.report_id, r.title, a.status, a.due_on FROM actions a JOIN reports r ON r.id = a.report_id"
        " WHERE a.agency_id = ? ORDER BY r.published_on, r.id",
    )

    @app.get("/h/{agency_id}")
    def staff_home(agency_id: str) -> Response:
        rows = fetch(agency_reports, (agency_id,))
        counts: dict[tuple[str, str], Counter[str]] = {}
        for report_id, title, status, _due_on in rows:
            counts.setdefault((report_id, title), Counter())[status] += 1
        body = "".join(
            f"<tr><td>{html.escape(title)}</td><td>{html.escape(str(dict(c)))}</td></tr>"
            for (_, title), c in counts.items()
        )
        return HTMLResponse(f"<!doctype html><title>{html.escape(agency_id)}</title><table>{body}</table>")

    return_rows = raw.sql(
        url,
        "SELECT r.number, r.text, a.status, a.response, a.owner_name FROM actions a"
        " JOIN recommendations r ON r.id = a.recommendation_id WHERE a.agency_id = ? AND a.report_id = ?"
        " ORDER BY r.position, a.id",
    )

    @app.get("/r/{agency_id}/{report_id}")
    def staff_return(agency_id: str, report_id: str) -> Response:
        return table_page(report_id, fetch(return_rows, (agency_id, report_id)))

    _register_and_admin_baselines(app, url, fetch, table_page)

    @app.get("/")
    def home() -> Response:
        return HTMLResponse("<!doctype html><title>Not found</title>", status_code=404)

    return app


def _register_and_admin_baselines(
    app: "FastAPI",
    url: str,
    fetch: Callable[[str, tuple[Any, ...]], list[Any]],
    table_page: Callable[[str, list[Any]], "Response"],
) -> None:
    """The bare endpoints beside the register, the delivery log and the administrators' pages."""
    from starlette.responses import HTMLResponse, Response

    contacts = raw.sql(url, "SELECT role, name, email FROM contacts WHERE agency_id = ? ORDER BY role, name, email")

    @app.get("/c/{agency_id}")
    def register(agency_id: str) -> Response:
        return table_page(agency_id, fetch(contacts, (agency_id,)))

    messages = raw.sql(
        url,
        "SELECT id, kind, recipient, status, created_at, subject FROM deliveries WHERE agency_id = ?"
        " ORDER BY id DESC LIMIT 50",
    )

    @app.get("/d/{agency_id}")
    def delivery_log(agency_id: str) -> Response:
        return table_page(agency_id, fetch(messages, (agency_id,)))

    everyone = raw.sql(
        url,
        "SELECT g.id, g.name, c.role, c.name, c.email FROM agencies g LEFT JOIN contacts c ON c.agency_id = g.id"
        " ORDER BY g.kind, g.name, c.role",
    )

    @app.get("/g")
    def whole_register() -> Response:
        return table_page("register", fetch(everyone, ()))

    drafts = Path(os.environ["ACTIONED_HOME"]) / "imports"

    @app.get("/f/{draft_id}")
    def draft(draft_id: str) -> Response:
        data = json.loads((drafts / f"{draft_id}.json").read_text(encoding="utf-8"))
        rows = [(item["number"], item["addressee"], item["text"]) for item in data["items"]]
        return table_page(data["title"], rows)

    @app.get("/u")
    def form() -> Response:
        return HTMLResponse('<!doctype html><title>Upload</title><form method="post"><input type="file"></form>')


# --- in the load generator's process ----------------------------------------------------------------------------------


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.hostname != "127.0.0.1" or parts.port is None:
        raise ValueError(f"load generator: {url!r} is not a loopback address with a port")
    return parts.hostname, parts.port


class _Client:
    """One keep-alive connection; a failed request closes it and the next one opens a fresh one."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, target: "Target") -> str:
        """``"200"``, another status code, or the exception's name."""
        path, cookie = (target, None) if isinstance(target, str) else target
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            self.conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = self.conn.getresponse()
            response.read()
            if response.will_close:
                self.close()
            return str(response.status)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return exc.__class__.__name__

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


Target = str | list[str]
"""A path to request, or ``[path, cookie]`` for a page that needs a signed-in session."""


def _paths(paths_file: str) -> list[Target]:
    paths: list[Target] = json.loads(Path(paths_file).read_text())
    if not paths:
        raise ValueError("load generator: no paths to request")
    return paths


def _warm(host: str, port: int, paths: list[Target]) -> None:
    client = _Client(host, port)
    for i in range(WARMUP):
        client.get(paths[-1 - i % len(paths)])
    client.close()


def _ready(url: str, paths_file: str) -> tuple[str, int, list[Target]]:
    """The server's host and port and the paths to request, the server warmed up on them."""
    host, port = _address(url)
    paths = _paths(paths_file)
    _warm(host, port, paths)
    return host, port, paths


def _percentile(ordered: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least ``q`` percent of the values at or below it."""
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def _summary(latencies: list[float], outcomes: Counter[str], elapsed: float, *, failed: int = 0) -> dict[str, Any]:
    """Counts, the rate of 200s, and latency percentiles; ``failed`` requests count as infinitely slow."""
    ordered = sorted(s * 1000 for s in latencies) + [float("inf")] * failed
    ok = outcomes.get("200", 0)
    return {
        "requests": sum(outcomes.values()),
        "ok": ok,
        "errors": sum(n for k, n in outcomes.items() if k != "200"),
        "error_kinds": {k: n for k, n in outcomes.items() if k != "200"},
        "seconds": elapsed,
        "rate": ok / elapsed if elapsed > 0 else 0.0,
        "p50_ms": _percentile(ordered, 50),
        "p95_ms": _percentile(ordered, 95),
        "p99_ms": _percentile(ordered, 99),
        "max_ms": ordered[-1] if ordered else float("nan"),
    }


def open_loop(
    url: str, paths_file: str, rate: float = RATE, seconds: float = SECONDS, limit: int = MAX_REQUESTS
) -> dict[str, Any]:
    """``rate`` requests per second on a fixed schedule; latencies from sending, and from each scheduled instant."""
    host, port, paths = _ready(url, paths_file)
    count = min(int(rate * seconds), limit)
    jobs: queue.SimpleQueue[tuple[int, float] | None] = queue.SimpleQueue()
    lock = threading.Lock()
    latencies: list[float] = []
    late: list[float] = []
    outcomes: Counter[str] = Counter()
    lag = [0.0]
    finished = [0.0]
    start = time.perf_counter() + 0.1
    give_up = start + (count - 1) / rate + DRAIN

    def work() -> None:
        client = _Client(host, port)
        while (job := jobs.get()) is not None:
            i, due = job
            sent = time.perf_counter()
            outcome = client.get(paths[i % len(paths)]) if sent < give_up else "dropped"
            done = time.perf_counter()
            with lock:
                outcomes[outcome] += 1
                if outcome == "200":
                    latencies.append(done - sent)
                    late.append(done - due)
                lag[0] = max(lag[0], sent - due)
                finished[0] = max(finished[0], done)
        client.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for i in range(count):
        due = start + i / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        jobs.put((i, due))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join(timeout=max(0.0, give_up - time.perf_counter()) + TIMEOUT + 5)
    with lock:
        unfinished = count - sum(outcomes.values())
        elapsed = (finished[0] or time.perf_counter()) - start
        result = _summary(latencies, outcomes, elapsed, failed=count - len(latencies))
        result["unfinished"] = unfinished
        result["errors"] += unfinished
        result["max_send_lag_ms"] = lag[0] * 1000
        from_schedule = _summary(late, outcomes, elapsed, failed=count - len(late))
        result.update({f"{k}_scheduled": from_schedule[k] for k in ("p50_ms", "p95_ms", "p99_ms")})
    result["scheduled"] = count
    result["target_rate"] = rate
    return result


def closed_loop(
    url: str, paths_file: str, clients: int = CLIENTS, seconds: float = CLOSED_SECONDS, limit: int = CLOSED_MAX
) -> dict[str, Any]:
    """``clients`` clients back to back for ``seconds`` s (at most ``limit`` requests): the most the server gives."""
    host, port, paths = _ready(url, paths_file)
    lock = threading.Lock()
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    issued = [0]
    start = time.perf_counter()
    stop = start + seconds

    def work() -> None:
        client = _Client(host, port)
        while time.perf_counter() < stop:
            with lock:
                if issued[0] >= limit:
                    break
                i = issued[0]
                issued[0] += 1
            sent = time.perf_counter()
            outcome = client.get(paths[i % len(paths)])
            done = time.perf_counter()
            with lock:
                outcomes[outcome] += 1
                if outcome == "200":
                    latencies.append(done - sent)
        client.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + TIMEOUT + 5)
    with lock:
        result = _summary(latencies, outcomes, time.perf_counter() - start)
    result["clients"] = clients
    return result


# --- in the benchmark's own process: serving, loading, cleaning up ---------------------------------------------------


def stop(proc: "subprocess.Popen[Any]") -> None:
    """SIGTERM, then SIGKILL if the process has not ended within ``STOP`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def terminated_cleanly() -> Iterator[None]:
    """While servers run, SIGTERM to the benchmark unwinds it (so every ``finally`` stops its process)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def leave(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def peak_mb(pid: int) -> float:
    """The process's peak resident set size (``VmHWM``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise StepFailed(f"no VmHWM for process {pid}")


def _tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(errors="replace").strip().splitlines()[-lines:]) if log.exists() else ""


@dataclass(frozen=True)
class Server:
    proc: "subprocess.Popen[bytes]"
    base: str
    log: Path

    def peak_mb(self) -> float:
        return peak_mb(self.proc.pid)


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    else:
        return True
    finally:
        conn.close()


@contextmanager
def serving(
    app: str, database_url: str, secret_key: str, folder: Path, *, staff_agencies: Collection[str] = ()
) -> Iterator[Server]:
    """``app`` (an import string for a factory) served by uvicorn in its own process; stopped when the block ends.
    Staff sign-in is configured (``STAFF_ENV``), with a staff file naming a liaison officer of each of ``staff_agencies``.
    """
    port = free_port()
    write_staff_file(folder / "staff.yaml", set(staff_agencies))
    write_draft(folder / "home" / "imports")
    log = folder / f"server-{port}.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ACTIONED_DATABASE_URL": database_url,
        "ACTIONED_SECRET_KEY": secret_key,
        "ACTIONED_HOME": str(folder / "home"),
        **STAFF_ENV,
        "ACTIONED_STAFF_FILE": str(folder / "staff.yaml"),
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1", "--log-level", "warning", "--no-server-header"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + STARTUP
            while not _answers(port):
                if proc.poll() is not None:
                    raise StepFailed(f"{app} exited with {proc.returncode} before answering\n{_tail(log)}")
                if time.monotonic() > deadline:
                    raise StepFailed(f"{app} did not answer on port {port} within {STARTUP:.0f} s\n{_tail(log)}")
                time.sleep(0.1)
            yield Server(proc, f"http://127.0.0.1:{port}", log)
        finally:
            stop(proc)


def load(task: str, base: str, timeout: float, **params: Any) -> dict[str, Any]:
    """Run a load generator (``bench.page.<task>``) in its own process, as ``bench.measure.step`` runs a step, but
    ending it with SIGTERM and then SIGKILL if it overruns or anything goes wrong.
    """
    command = [sys.executable, "-m", "bench.child", f"page.{task}", base, json.dumps(params)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(proc)
        raise StepFailed(f"load generator {task}: still running after {timeout:.0f} s") from None
    finally:
        stop(proc)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (err or out).strip().splitlines()[-15:]
        raise StepFailed(f"load generator {task}: exit {proc.returncode}\n" + "\n".join(tail))
    result: dict[str, Any] = json.loads(lines[-1])
    return result


STAFF_ENV = {
    "ACTIONED_OIDC_ISSUER": "http://127.0.0.1:9/bench-issuer",
    "ACTIONED_OIDC_CLIENT_ID": "bench",
    "ACTIONED_OIDC_CLIENT_SECRET": "bench",
    "ACTIONED_COOKIE_SECURE": "false",
    "ACTIONED_SESSION_IDLE_MINUTES": "600",
}
"""Staff sign-in configured, so the staff pages serve; the issuer is never asked (every timed request carries a
signed-in session, made as the sign-in callback makes one). A long idle time: the load generator sends the cookie it
was given, not the renewed one each response carries."""


def staff_email(agency_id: str) -> str:
    return f"liaison@{agency_id}.example.org"


ADMIN_EMAIL = "administrator@bench.example.org"
ADMIN_SUBJECT = "bench-administrator"


def write_staff_file(path: Path, agency_ids: set[str]) -> None:
    """A staff file making each agency's benchmark liaison officer one, and one administrator (YAML is a superset of
    JSON).
    """
    officers = {a: {"emails": [staff_email(a)]} for a in sorted(agency_ids)}
    path.write_text(json.dumps({"administrators": {"emails": [ADMIN_EMAIL]}, "liaison_officers": officers}))


def session_cookie(secret_key: str, agency_id: str) -> str:
    """A ``Cookie`` header for the agency's liaison officer signed in now (``signed_in``)."""
    return signed_in(secret_key, f"bench-{agency_id}", staff_email(agency_id), f"Liaison officer, {agency_id}")


def admin_cookie(secret_key: str) -> str:
    """A ``Cookie`` header for the benchmark's administrator signed in now (``signed_in``)."""
    return signed_in(secret_key, ADMIN_SUBJECT, ADMIN_EMAIL, "Administrator")


def signed_in(secret_key: str, subject: str, email: str, name: str) -> str:
    """A ``Cookie`` header for a person signed in now: the session the sign-in callback makes
    (``web.signin.session_for``), encoded and signed as Starlette's ``SessionMiddleware`` does.
    """
    from base64 import b64encode

    from itsdangerous import TimestampSigner

    from web.signin import SESSION_COOKIE, session_for, session_secret

    claims = {"sub": subject, "email": email, "name": name}
    data = b64encode(json.dumps(session_for(claims, now=int(time.time()))).encode())
    return f"{SESSION_COOKIE}={TimestampSigner(session_secret(secret_key)).sign(data).decode()}"


DRAFT_ID = "benchdraft" + "0" * 14
"""The import draft the review page shows: written into the server's home before it starts (``write_draft``)."""


def write_draft(folder: Path) -> None:
    """An import draft as an upload leaves it, the administrator's: ``RECOMMENDATIONS`` recommendations read from a
    document, two of them in doubt, and a few lines the reader could not place.
    """
    from datetime import UTC, datetime

    from models import import_draft
    from models.import_draft import Draft, DraftItem, Unplaced

    addressees = (
        "All chief constables",
        "The Home Office",
        "Police and crime commissioners",
        "The College of Policing",
    )
    items = [
        DraftItem(
            number=str(n),
            addressee=addressees[n % len(addressees)],
            text=f"By 30 June 2027, {addressees[n % len(addressees)].lower()} should review how they record "
            f"and share information about victims (recommendation {n}), and publish what they find.",
            due_on="30 June 2027",
            location=f"page {n + 3}, paragraph {n}",
            doubts=["found by its heading; medium confidence: check it"] if n % 5 == 0 else [],
        )
        for n in range(1, RECOMMENDATIONS + 1)
    ]
    draft = Draft(
        id=DRAFT_ID,
        owner=ADMIN_SUBJECT,
        document="bench-report.docx",
        created_at=datetime.now(UTC),
        title="A report read for the benchmark",
        report_id="bench-import",
        published_on="7 December 2026",
        return_address="returns@hmicfrs.example.gov.uk",
        return_months=6,
        items=items,
        unplaced=[Unplaced(location=f"page {n}", text="A line the reader could not place.") for n in range(1, 4)],
    )
    folder.mkdir(parents=True, exist_ok=True)
    import_draft.save(folder, draft)


RECOMMENDATIONS = 12


@dataclass(frozen=True)
class Page:
    """A page to load: its name in the results, the setup's sample it requests, and how each side spells a path."""

    name: str
    sample: str
    ours: Callable[[list[Any], str], str]
    """(one sample item, the secret key) -> the path our app serves."""
    baseline: Callable[[list[Any]], str]
    """one sample item -> the path the baseline app serves."""
    staff: str | None = None
    """Whose signed-in session our side needs: ``"liaison"`` (the item's agency's liaison officer), ``"admin"`` (an
    administrator) or none."""

    @classmethod
    def signed_in(cls, name: str, sample: str, ours: str, baseline: str, staff: str) -> "Page":
        """A staff page: each side's path a format string over the sample item's fields (``{0}``, ``{1}``)."""
        return cls(name, sample, lambda item, _key: ours.format(*item), lambda item: baseline.format(*item), staff)

    def target(self, item: list[Any], secret_key: str) -> Target:
        path = self.ours(item, secret_key)
        if self.staff == "liaison":
            return [path, session_cookie(secret_key, item[0])]
        if self.staff == "admin":
            return [path, admin_cookie(secret_key)]
        return path


def owner_path(item: list[Any], secret_key: str) -> str:
    from models.links import action_url

    return action_url("", secret_key, action_id=item[0], assignment=item[1])


def _liaison_path(item: list[Any], secret_key: str) -> str:
    from models.links import liaison_url

    return liaison_url("", secret_key, agency_id=item[0], report_id=item[1])


PAGES = (
    Page("owner page", "owner", owner_path, lambda item: f"/a/{item[0]}"),
    Page("liaison page", "liaison", _liaison_path, lambda item: f"/l/{item[0]}/{item[1]}"),
    *(
        Page.signed_in(name, sample, ours, baseline, staff)
        for name, sample, ours, baseline, staff in (
            ("staff home", "liaison", "/", "/h/{0}", "liaison"),
            ("staff report page", "liaison", "/agencies/{0}/reports/{1}", "/l/{0}/{1}", "liaison"),
            ("return page", "liaison", "/agencies/{0}/reports/{1}/return", "/r/{0}/{1}", "liaison"),
            ("staff action page", "action", "/agencies/{0}/actions/{1}", "/a/{1}", "liaison"),
            ("register page", "agency", "/agencies/{0}/register", "/c/{0}", "liaison"),
            ("delivery log", "agency", "/agencies/{0}/deliveries", "/d/{0}", "liaison"),
            ("administrator's register", "agency", "/admin/register", "/g", "admin"),
            ("import upload", "agency", "/admin/import", "/u", "admin"),
            ("import review", "agency", f"/admin/import/{DRAFT_ID}", f"/f/{DRAFT_ID}", "admin"),
        )
    ),
)
"""The pages measured, each beside its bare endpoint. A new page is one more entry (and, when the setup has no sample
for it yet, one more sample in ``bench.shared.setup``)."""


def measure(
    app: str, database_url: str, pages: dict[str, list[Target]], secret_key: str, agencies: set[str]
) -> dict[str, dict[str, Any]]:
    """Serve ``app`` once; for each page (name -> its paths) load it from a second process (open loop, then closed
    loop); read the server's peak memory after each phase.
    """
    results: dict[str, dict[str, Any]] = {}
    with (
        terminated_cleanly(),
        tempfile.TemporaryDirectory(prefix="actioned-bench-page-") as tmp,
        serving(app, database_url, secret_key, Path(tmp), staff_agencies=agencies) as server,
    ):
        for n, (name, paths) in enumerate(pages.items()):
            paths_file = Path(tmp) / f"paths-{n}.json"
            paths_file.write_text(json.dumps(paths))
            steady = load("open_loop", server.base, SECONDS + DRAIN + TIMEOUT + 60, paths_file=str(paths_file))
            steady["peak_rss_mb"] = server.peak_mb()
            flat_out = load("closed_loop", server.base, CLOSED_SECONDS + TIMEOUT + 60, paths_file=str(paths_file))
            flat_out["peak_rss_mb"] = server.peak_mb()
            if server.proc.poll() is not None:
                raise StepFailed(f"{app} exited with {server.proc.returncode} under load\n{_tail(server.log)}")
            results[name] = {"open": steady, "closed": flat_out}
    return results


def run(
    url: str, built: dict[str, Any], pages: Sequence[Page] = PAGES, rounds: int = 1
) -> list[tuple[Page, list[dict[str, Any]], list[dict[str, Any]]]]:
    """Ours (links signed now with a fresh key) and the baseline (the same rows by id), ``rounds`` times, the order of
    the two sides alternating from round to round: per page, every round's results of each side.
    """
    secret_key = secrets.token_urlsafe(48)
    chosen = [p for p in pages if built.get(p.sample)]
    if not chosen:
        raise StepFailed("no page to request: the workload has no sample for any of them")
    agencies = {str(item[0]) for sample in ("liaison", "action", "agency") for item in built.get(sample, [])}
    bare: dict[str, list[Target]] = {p.name: [p.baseline(item) for item in built[p.sample]] for p in chosen}
    ours: list[dict[str, dict[str, Any]]] = []
    base: list[dict[str, dict[str, Any]]] = []
    for r in range(rounds):
        # signed afresh for each round: a staff session is good for its idle time from when it was made
        signed = {p.name: [p.target(item, secret_key) for item in built[p.sample]] for p in chosen}
        sides = [(OURS, signed, ours), (BASELINE, bare, base)]
        for app, paths, into in sides if r % 2 == 0 else reversed(sides):
            into.append(measure(app, url, paths, secret_key, agencies))
    return [(p, [o[p.name] for o in ours], [b[p.name] for b in base]) for p in chosen]


def _describe(side: str, r: dict[str, Any]) -> str:
    kinds = ", ".join(f"{k} x{n}" for k, n in sorted(r["error_kinds"].items()))
    if r.get("unfinished"):
        kinds = ", ".join(filter(None, [kinds, f"unfinished x{r['unfinished']}"]))
    errors = f"{r['errors']} errors ({kinds})" if r["errors"] else "0 errors"
    return (
        f"{side}: {r['ok']:,} of {r.get('scheduled', r['requests']):,} in {r['seconds']:.1f} s = {r['rate']:.1f} req/s; "
        f"p50 {r['p50_ms']:.1f} / p95 {r['p95_ms']:.1f} / p99 {r['p99_ms']:.1f} / max {r['max_ms']:.1f} ms; {errors}"
    )


def _scheduled(side: str, r: dict[str, Any]) -> str:
    return (
        f"{side}, counted from the scheduled instants: p50 {r['p50_ms_scheduled']:.1f} / p95 {r['p95_ms_scheduled']:.1f}"
        f" / p99 {r['p99_ms_scheduled']:.1f} ms (the generator sent up to {r['max_send_lag_ms']:.1f} ms late)"
    )


def _best(results: list[dict[str, Any]], phase: str, key: str, *, highest: bool) -> dict[str, Any]:
    pick = max if highest else min
    return pick((r[phase] for r in results), key=lambda r: r[key])


def figures(
    kind: str, built: dict[str, Any], measured: list[tuple[Page, list[dict[str, Any]], list[dict[str, Any]]]]
) -> list[Figure]:
    """Per page: p95 at ``RATE`` req/s and the most it serves, each side's best round (the least disturbed by the
    other work on the machine), every round in the notes.
    """
    out: list[Figure] = []
    for page, ours, base in measured:
        steady, base_steady = _best(ours, "open", "p95_ms", highest=False), _best(base, "open", "p95_ms", highest=False)
        flat_out, base_flat_out = (
            _best(ours, "closed", "rate", highest=True),
            _best(base, "closed", "rate", highest=True),
        )
        sample = len(built[page.sample])
        population = {"owner": built["openable"], "action": built["rows"], "agency": built.get("addressed", 0)}.get(
            page.sample, built["pairs"]
        )
        rounds = f"best of {len(ours)} rounds, the sides alternating" if len(ours) > 1 else "one round, ours first"
        out += [
            Figure.compared(
                f"{page.name} p95 at {RATE} req/s",
                kind,
                "ms",
                steady,
                base_steady,
                "p95_ms",
                target=f"under {TARGET_MS} ms",
                notes=[
                    (
                        f"open loop, {RATE} req/s for {SECONDS} s over {sample:,} of {population:,} pages "
                        f"({built['rows']:,} actions in all), latency from sending to the end of the response, errors "
                        f"as infinitely slow; {rounds}"
                    ),
                    *[_describe(f"ours, round {i + 1}", r["open"]) for i, r in enumerate(ours)],
                    *[_describe(f"baseline, round {i + 1}", r["open"]) for i, r in enumerate(base)],
                    _scheduled("ours", steady),
                    _scheduled("baseline", base_steady),
                ],
            ),
            Figure.compared(
                f"{page.name} max throughput",
                kind,
                "req/s",
                flat_out,
                base_flat_out,
                "rate",
                target=f"rate >= {THROUGHPUT_TARGET} x baseline",
                higher_is_better=True,
                notes=[
                    f"closed loop, {CLIENTS} clients for {CLOSED_SECONDS} s; the load generator shares the machine; {rounds}",
                    *[_describe(f"ours, round {i + 1}", r["closed"]) for i, r in enumerate(ours)],
                    *[_describe(f"baseline, round {i + 1}", r["closed"]) for i, r in enumerate(base)],
                ],
            ),
        ]
    return out
