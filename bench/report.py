"""Printing figures and writing bench/RESULTS.md, with the machine they came from."""

import os
import platform
import sqlite3
from datetime import datetime
from pathlib import Path

from bench.databases import postgresql_base
from bench.measure import Figure
from bench.workload import Spec


def machine(kinds: list[str]) -> dict[str, str]:
    """What the figures depend on: cores, memory, CPU, Python, SQLite and PostgreSQL versions."""
    info = {
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        if models:
            info["cpu"] = models[0]
    if "postgresql" in kinds:
        try:
            from sqlalchemy import text

            from models.store.db import engine_for

            with engine_for(postgresql_base()).connect() as conn:
                info["postgresql"] = str(conn.execute(text("SHOW server_version")).scalar())
        except Exception as exc:  # noqa: BLE001  # informational only: whatever stops the look-up is reported
            info["postgresql"] = f"unavailable ({exc.__class__.__name__})"
    return info


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit.endswith("/s"):
        return f"{value:,.0f} {unit}"
    return f"{value:,.3f} {unit}" if value < 10 else f"{value:,.1f} {unit}"


def _meets(part: str, figure: Figure) -> bool | None:
    """One clause of a target: ``rate >= X x baseline``, ``time <= X x baseline``, ``under N ms`` or ``RSS < N MB``."""
    ratio = figure.ratio
    if part.startswith("rate >="):
        return ratio is not None and ratio >= float(part.split(">=")[1].split("x", maxsplit=1)[0])
    if part.startswith("time <="):
        return ratio is not None and ratio <= float(part.split("<=")[1].split("x", maxsplit=1)[0])
    if part.startswith("under "):
        return figure.measured < float(part.split()[1])
    if part.startswith("RSS <"):
        return figure.measured_rss_mb < float(part.split("<")[1].split(maxsplit=1)[0])
    return None


def verdict(figure: Figure) -> str:
    """ "meets" when every clause of the target holds, "misses" when one does not, empty when there is no target."""
    found = [_meets(part.strip(), figure) for part in figure.target.split(";")]
    known = [f for f in found if f is not None]
    if not known:
        return ""
    return "meets" if all(known) else "misses"


def rows(figures: list[Figure]) -> list[list[str]]:
    out = []
    for f in figures:
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "-"
        rss = f"{f.measured_rss_mb:.0f}" + (f" / {f.baseline_rss_mb:.0f}" if f.baseline_rss_mb is not None else "")
        out.append(
            [
                f.benchmark,
                f.database,
                _number(f.measured, f.unit),
                _number(f.baseline, f.unit),
                ratio,
                rss,
                f.target,
                verdict(f),
            ]
        )
    return out


HEADER = ["benchmark", "database", "Actioned", "baseline", "ratio", "peak RSS MB (ours / baseline)", "target", ""]


def render_text(figures: list[Figure]) -> str:
    lines = []
    for row, f in zip(rows(figures), figures, strict=True):
        lines.append("   " + " | ".join(row))
        lines.extend(f"     {note}" for note in f.notes)
    return "\n".join(lines)


def render_markdown(
    figures: list[Figure],
    *,
    skipped: list[str],
    info: dict[str, str],
    spec: Spec,
    took: float,
    at: datetime,
    took_by_kind: dict[str, float] | None = None,
    command: str = "python -m bench",
    rounds: int = 1,
) -> str:
    table = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    table += ["| " + " | ".join(r) + " |" for r in rows(figures)]
    notes = [f"- {f.benchmark} ({f.database}): {note}" for f in figures for note in f.notes]
    machine_lines = [f"- {k}: {v}" for k, v in info.items()]
    by_kind = ", ".join(f"{kind} {seconds:.0f} s" for kind, seconds in (took_by_kind or {}).items())
    how = (
        f"each side {rounds} times, the two sides alternating, each side's best round in the table"
        if rounds > 1
        else "each side once, ours first"
    )
    parts = [
        "# Benchmark results",
        "",
        (
            f"`{command}` run at {at:%Y-%m-%d %H:%M} UTC, {took:.0f} s in all"
            + (f" ({by_kind})" if by_kind else "")
            + f". Workload: {spec.reports} reports x {spec.recommendations} recommendations x {spec.agencies} "
            f"agencies = {spec.expected_actions():,} actions (seed {spec.seed}, as of {spec.today}); {how}."
        ),
        "",
        (
            "Peak RSS is each measured process's own peak resident set size (`resource.getrusage(RUSAGE_SELF).ru_maxrss`, "
            "interpreter and imports included); every step runs in a fresh process. For the pages it is the web "
            "server's peak (`VmHWM` in /proc). Ratios are ours over the baseline: for rates, the fraction of the baseline's "
            "rate; for times, the multiple of the baseline's time. Each baseline is measured in the same run, on the "
            "same machine, under the same load: the ratio is the figure to compare between runs, not the absolute time."
        ),
        "",
        *table,
        "",
        *notes,
        *([""] + [f"- not run: {s}" for s in skipped] if skipped else []),
        "",
        "## Machine",
        "",
        *machine_lines,
        "",
    ]
    return "\n".join(parts)
