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


def verdict(figure: Figure) -> str:
    ratio = figure.ratio
    if figure.target.startswith("rate >="):
        limit = float(figure.target.split(">=")[1].split("x")[0])
        return "meets" if ratio is not None and ratio >= limit else "misses"
    if figure.target.startswith("time <="):
        limit = float(figure.target.split("<=")[1].split("x")[0])
        return "meets" if ratio is not None and ratio <= limit else "misses"
    if figure.target.startswith("under "):
        limit = float(figure.target.split()[1])
        return "meets" if figure.measured < limit else "misses"
    return ""


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
    figures: list[Figure], *, skipped: list[str], info: dict[str, str], spec: Spec, took: float, at: datetime
) -> str:
    table = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    table += ["| " + " | ".join(r) + " |" for r in rows(figures)]
    notes = [f"- {f.benchmark} ({f.database}): {note}" for f in figures for note in f.notes]
    machine_lines = [f"- {k}: {v}" for k, v in info.items()]
    parts = [
        "# Benchmark results",
        "",
        (
            f"`python -m bench` run at {at:%Y-%m-%d %H:%M} UTC, {took:.0f} s in all. Workload: {spec.reports} reports x "
            f"{spec.recommendations} recommendations x {spec.agencies} agencies = {spec.expected_actions():,} actions "
            f"(seed {spec.seed}, as of {spec.today})."
        ),
        "",
        (
            "Peak RSS is each measured process's own peak resident set size (`resource.getrusage(RUSAGE_SELF).ru_maxrss`, "
            "interpreter and imports included); every step runs in a fresh process. For the owner page it is the web "
            "server's peak (`VmHWM` in /proc). Ratios are ours over the baseline: for rates, the fraction of the baseline's "
            "rate; for times, the multiple of the baseline's time."
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
