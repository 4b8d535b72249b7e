"""The daily cycle's fixed cost on the embedded default: ``actioned run`` on a database with nothing to do (the shipped
register, no reports), SQLite and Prefect's ephemeral server, timed from outside as a scheduler or a person sees it.

Each figure is a fresh process, timed by this process from start to exit (interpreter start included), with that
process's peak RSS (``wait4``; the ephemeral Prefect server is a process of its own and not counted):

- the cycle with a ``PREFECT_HOME`` that has run before (every run after the first), beside the same steps called as
  plain functions in a process that never imports Prefect (``plain``): the difference is what Prefect costs a run;
- the first cycle with a fresh ``PREFECT_HOME`` (Prefect creates and migrates its own database), beside the same;
- ``actioned --help`` beside a bare ``python -c pass``: what the command line costs before it does anything.

``phases`` splits a warm run into its parts, in one process: the command line's imports, Prefect's and the flows',
the ephemeral server's module (imported by the client), the wait for the server to answer, and the flow run itself.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from statistics import median
from typing import Any

from bench.measure import ROOT, Figure, StepFailed, step
from bench.workload import DEFAULT_TODAY

TODAY = DEFAULT_TODAY.isoformat()
CLI = "import sys; from flows.cli import main; sys.argv[1:] = {args!r}; sys.exit(main())"
"""The console script ``actioned``, spelled so that it runs from this interpreter and this checkout."""


def environment(folder: Path, prefect_home: Path) -> dict[str, str]:
    """A data folder of its own, the embedded default (SQLite in it), a Prefect home, no Prefect server from outside."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ACTIONED_"))}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "ACTIONED_HOME": str(folder / "home"),
            "ACTIONED_DATABASE_URL": f"sqlite:///{folder / 'home' / 'actioned.db'}",
            "PREFECT_HOME": str(prefect_home),
        }
    )
    return env


def timed(command: list[str], env: dict[str, str], *, timeout: float = 300) -> dict[str, Any]:
    """Run ``command`` and time it from start to exit; its own peak RSS from ``wait4``."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                proc.wait()
                raise StepFailed(f"{command[-1][:60]}: still running after {timeout:.0f} s")
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            tail = out.read().decode(errors="replace").strip().splitlines()[-10:]
            raise StepFailed(f"{' '.join(command)[:80]}: exit {proc.returncode}\n" + "\n".join(tail))
    return {"seconds": seconds, "rows": 0, "peak_rss_mb": usage.ru_maxrss / 1024}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", CLI.format(args=list(args))]


def plain(url: str, today: str) -> dict[str, Any]:
    """The cycle's steps as plain library calls, no Prefect: migrate, fan out every report, decide, compose and send
    the reminders, judge the returns and queue what is due, send. Run by ``bench.child`` (timed from outside).
    """
    from sqlmodel import select

    from models.rules.vocabulary import ReturnKind
    from models.store.db import migrate, session_scope
    from models.store.fanout import fan_out
    from models.store.returns import list_due
    from models.store.tables import Report
    from notifications.delivery import dispatch
    from notifications.documents.submission import (
        queue_comments_reminders,
        queue_missing_notices,
        record_sent,
        unsent_return_keys,
    )
    from notifications.reminders import compose_step, decide_step, send_step

    day = date.fromisoformat(today)
    now = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    migrate(url)
    with session_scope() as session:
        reports = list(session.exec(select(Report.id).order_by(Report.id)))
    for report_id in reports:
        with session_scope() as session:
            fan_out(session, report_id=report_id)
    decide_step(today=day, now=now)
    compose_step(today=day, now=now)
    send_step(now=now)
    with session_scope() as session:
        checks = [*list_due(session, today=day), *list_due(session, today=day, kind=ReturnKind.COMMENTS)]
        queued = queue_missing_notices(session, checks=checks, today=day, now=now)
        queued_reminders = queue_comments_reminders(session, today=day, now=now)
    with session_scope() as session:
        keys = sorted({*queued.keys, *queued_reminders.keys, *unsent_return_keys(session)})
    if keys:
        dispatch(keys=keys, now=now)
    with session_scope() as session:
        record_sent(session)
    return {"seconds": 0.0, "rows": len(reports), "prefect_imported": "prefect" in sys.modules}


def phases(url: str, today: str) -> dict[str, Any]:
    """A warm ``actioned run``, split into its parts (seconds), in this one process (run by ``bench.child``), in the
    order the command line takes them: its imports; Prefect's temporary server started (``started_early``); Prefect's
    and the flows' imports while it boots; what is left of the wait for it to answer; the flow run.
    """
    marks = [time.perf_counter()]
    import flows.cli  # noqa: F401

    marks.append(time.perf_counter())
    from flows.prefect_env import early_server_url, run_flow, started_early

    with started_early(["run"]):
        marks.append(time.perf_counter())
        from flows.daily_cycle import daily_cycle

        marks.append(time.perf_counter())
        early_server_url()
        marks.append(time.perf_counter())
        run_flow(daily_cycle, date.fromisoformat(today))
        marks.append(time.perf_counter())
    names = ["cli_imports", "server_started", "prefect_and_flow_imports", "server_wait", "flow_run"]
    parts = {name: b - a for name, a, b in zip(names, marks, marks[1:], strict=False)}
    return {"seconds": marks[-1] - marks[0], "rows": 0, **parts}


def figures(rounds: int = 1) -> list[Figure]:
    runs = max(3, rounds)
    with tempfile.TemporaryDirectory(prefix="actioned-bench-cycle-") as tmp:
        folder = Path(tmp)
        warm_home = folder / "prefect-warm"
        env = environment(folder, warm_home)
        url = env["ACTIONED_DATABASE_URL"]
        timed(cli("init"), env)
        timed(cli("run", "--today", TODAY), env)  # the warm Prefect home: its database made and migrated
        ours: list[dict[str, Any]] = []
        base: list[dict[str, Any]] = []
        for r in range(runs):
            sides = [
                (lambda: timed(cli("run", "--today", TODAY), env), ours),
                (lambda: timed([sys.executable, "-m", "bench.child", "cycle.plain", url, f'{{"today": "{TODAY}"}}'], env), base),
            ]  # fmt: skip
            for side, into in sides if r % 2 == 0 else reversed(sides):
                into.append(side())
        cold_home = folder / "prefect-cold"
        cold = timed(cli("run", "--today", TODAY), environment(folder, cold_home))
        shutil.rmtree(cold_home, ignore_errors=True)
        helps = [timed(cli("--help"), env) for _ in range(runs)]
        bare = [timed([sys.executable, "-c", "pass"], env) for _ in range(runs)]
        split = step("cycle.phases", url, env=environment(folder, warm_home), today=TODAY)
    best = lambda results: min(results, key=lambda r: r["seconds"])  # noqa: E731
    listed = lambda results: ", ".join(f"{r['seconds']:.2f}" for r in results)  # noqa: E731
    parts = ", ".join(
        f"{name.replace('_', ' ')} {split[name]:.2f} s"
        for name in ("cli_imports", "server_started", "prefect_and_flow_imports", "server_wait", "flow_run")
        if name in split
    )
    target = "measured; as small as it can be made (information)"
    return [
        Figure.compared(
            "daily cycle fixed cost (Prefect home used before)",
            "sqlite",
            "s",
            best(ours),
            best(base),
            "seconds",
            target=target,
            notes=[
                (
                    f"`actioned run` on the shipped register with no reports, each a fresh process timed from outside: "
                    f"{listed(ours)} s (median {median(r['seconds'] for r in ours):.2f}); baseline, the same steps as plain "
                    f"functions in a process without Prefect: {listed(base)} s; the best of each in the table"
                ),
                (
                    f"one warm run split up in one process: {parts} (Prefect's temporary server is started by the "
                    "command line before Prefect is imported and boots meanwhile on the other core; the wait is what is "
                    "left after the imports; the process's exit is not in it; the interpreter's own start is in the "
                    "`--help` row's baseline)"
                ),
            ],
        ),
        Figure.compared(
            "daily cycle fixed cost (first run, fresh Prefect home)",
            "sqlite",
            "s",
            cold,
            best(base),
            "seconds",
            target=target,
            notes=["once: Prefect creates and migrates its own database in the new PREFECT_HOME"],
        ),
        Figure.compared(
            "command line start-up (`actioned --help`)",
            "sqlite",
            "s",
            best(helps),
            best(bare),
            "seconds",
            target=target,
            notes=[f"ours: {listed(helps)} s; baseline `python -c pass`: {listed(bare)} s"],
        ),
    ]
