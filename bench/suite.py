"""The benchmarks, each on one database: set up, measure the product, measure the baseline, return the figures.

A benchmark whose product code has not landed yet is reported as missing, not failed.
"""

import importlib.util
from collections.abc import Callable

from bench.databases import throwaway
from bench.measure import Figure, step
from bench.workload import Spec

Benchmark = Callable[[str, Spec], list[Figure]]


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def fanout(kind: str, spec: Spec) -> list[Figure]:
    """Fan-out of every report through ``models.store.repository.fan_out`` vs bare inserts; rates in actions per second."""
    with throwaway(kind, "fanout") as url:
        step("fanout.setup", url, spec=spec)
        ours = step("fanout.actioned", url)
        step("fanout.reset", url)
        base = step("fanout.baseline", url)
    return [
        Figure.compared(
            "import and fan-out",
            kind,
            "actions/s",
            ours,
            base,
            lambda r: r["rows"] / r["seconds"],
            target="rate >= 0.5 x baseline",
            higher_is_better=True,
            notes=[
                f"{ours['rows']:,} actions in {ours['seconds']:.2f} s (baseline {base['rows']:,} in {base['seconds']:.2f} s)"
            ],
        )
    ]


BENCHMARKS: dict[str, tuple[str | None, Benchmark]] = {
    "fanout": (None, fanout),
}
"""name -> (the product module it needs, the benchmark)."""


def sweep(kind: str, spec: Spec) -> list[Figure]:
    """The reminder sweep's decision and logging vs a bare-SQL baseline; times in seconds."""
    from bench.sweep import high_water, reset, window

    today = window(spec)
    with throwaway(kind, "sweep") as url:
        built = step("sweep.setup", url, spec=spec)
        after = high_water(url)
        ours = step("sweep.actioned", url, today=today)
        ours_written = high_water(url, count_after=after)
        reset(url, after)
        base = step("sweep.baseline", url, today=today)
        base_written = high_water(url, count_after=after)
    if ours["rows"] != ours_written:
        notes_extra = [f"decide_reminders returned {ours['rows']:,} but wrote {ours_written:,} rows"]
    else:
        notes_extra = []
    ours["rows"], base["rows"] = ours_written, base_written
    notes = [
        (
            f"{built['actions']:,} actions, {built.get('deliveries', 0):,} past deliveries; sweep for {today}: "
            f"{ours['rows']:,} rows in {ours['seconds']:.2f} s (baseline {base['rows']:,} in {base['seconds']:.2f} s)"
        )
    ]
    notes += notes_extra
    if ours["rows"] != base["rows"]:
        notes.append(f"row counts differ: sweep {ours['rows']:,}, baseline {base['rows']:,}")
    return [
        Figure.compared(
            "reminder sweep (decide + log)",
            kind,
            "s",
            ours,
            base,
            "seconds",
            target="time <= 1.5 x baseline; RSS < 300 MB",
            notes=notes,
        )
    ]


BENCHMARKS["sweep"] = ("models.store.sweep", sweep)


def returns(kind: str, spec: Spec) -> list[Figure]:
    """90 agencies' returns for one report; seconds. The workload is kept small: only one report is compiled."""
    small = Spec(reports=20, recommendations=spec.recommendations, agencies=max(spec.agencies, 100), seed=spec.seed)
    with throwaway(kind, "returns") as url:
        step("returns.setup", url, spec=small)
        ours = step("returns.actioned", url, today=small.today.isoformat())
        base = step("returns.baseline", url, today=small.today.isoformat())
    return [
        Figure.compared(
            f"compile {ours['rows']} returns (one report)",
            kind,
            "s",
            ours,
            base,
            "seconds",
            target="under 5 s",
            notes=[f"report {ours['report']}; baseline: rendering the same {base['rows']} documents only"],
        )
    ]


BENCHMARKS["returns"] = ("notifications.documents.compile", returns)


def page(kind: str, spec: Spec) -> list[Figure]:
    """The owner's page served by uvicorn under load from a second process, beside a bare endpoint served the same
    way: p95 latency at a fixed rate (ms) and the most it serves (requests per second). See bench/page.py.
    """
    from bench.page import figures, run

    with throwaway(kind, "page") as url:
        built = step("page.setup", url, spec=spec)
        ours, base = run(url, built["sample"])
    return figures(kind, built, ours, base)


BENCHMARKS["page"] = ("web.app", page)
