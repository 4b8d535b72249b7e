"""The benchmarks, each on one database: measure the product, measure the baseline, return the figures.

``fanout`` works on a database of its own (the register and reports, no actions); ``sweep``, ``returns`` and ``page``
share one database per kind holding the full workload, built once (``bench.shared``). ``cycle`` and ``naive`` run on
the embedded default (SQLite, Prefect's ephemeral server) only, at sizes of their own. With ``rounds`` above one, each
side runs that many times, the two sides alternating, and each side's best round is its figure (every round is in the
notes): the least disturbed by the rest of the machine's work.

A benchmark whose product code has not landed yet is reported as missing, not failed.
"""

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bench.databases import throwaway
from bench.measure import Figure, step
from bench.workload import Spec

SWEEP_TARGET = "time <= 1.2 x baseline; RSS < 300 MB"
FANOUT_TARGET = "rate >= 0.8 x baseline"


@dataclass
class Run:
    """One database's share of a run: its kind, the workload, the rounds, and the shared workload once built."""

    kind: str
    spec: Spec
    rounds: int = 1
    url: str | None = None
    built: dict[str, Any] = field(default_factory=dict)
    pages: tuple[str, ...] = ()
    """The pages the page benchmark loads, by name (none given: every page of ``bench.page.PAGES``)."""

    def workload(self) -> tuple[str, dict[str, Any]]:
        """The shared full workload's URL and what its setup returned (built on first use)."""
        if self.url is None:
            raise RuntimeError("no shared workload database in this run")
        if not self.built:
            self.built = step("shared.setup", self.url, spec=self.spec)
        return self.url, self.built


Benchmark = Callable[[Run], list[Figure]]


@dataclass(frozen=True)
class Entry:
    needs: str | None
    """The product module it needs (skipped while it is missing)."""
    run: Benchmark
    kinds: tuple[str, ...] = ("sqlite", "postgresql")
    shared: bool = False
    """Whether it reads the shared full workload."""


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@contextmanager
def shared_database(kind: str, spec: Spec, rounds: int, needed: bool, pages: tuple[str, ...] = ()) -> Iterator[Run]:
    """A ``Run`` for ``kind``; with ``needed``, a throwaway database for the shared workload (built on first use)."""
    if not needed:
        yield Run(kind, spec, rounds, pages=pages)
        return
    with throwaway(kind, "workload") as url:
        yield Run(kind, spec, rounds, url=url, pages=pages)


def alternating(
    rounds: int, ours: Callable[[], dict[str, Any]], base: Callable[[], dict[str, Any]], reset: Callable[[], object]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each side ``rounds`` times, ours first in odd rounds and the baseline first in even ones; ``reset`` between."""
    mine: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    for r in range(rounds):
        order = [(ours, mine), (base, theirs)]
        for n, (side, into) in enumerate(order if r % 2 == 0 else reversed(order)):
            if r or n:
                reset()
            into.append(side())
    return mine, theirs


def best(results: list[dict[str, Any]], key: Callable[[dict[str, Any]], float], *, highest: bool) -> dict[str, Any]:
    return max(results, key=key) if highest else min(results, key=key)


def rounds_note(results: list[dict[str, Any]], describe: Callable[[dict[str, Any]], str]) -> str:
    if len(results) == 1:
        return describe(results[0])
    return "; ".join(f"round {i + 1}: {describe(r)}" for i, r in enumerate(results))


def fanout(run: Run) -> list[Figure]:
    """Fan-out of every report through ``models.store.fanout.fan_out`` vs bare inserts; rates in actions per second."""
    with throwaway(run.kind, "fanout") as url:
        step("fanout.setup", url, spec=run.spec)
        mine, theirs = alternating(
            run.rounds, lambda: step("fanout.actioned", url), lambda: step("fanout.baseline", url),
            lambda: step("fanout.reset", url),
        )  # fmt: skip
    rate: Callable[[dict[str, Any]], float] = lambda r: r["rows"] / r["seconds"]  # noqa: E731
    ours, base = best(mine, rate, highest=True), best(theirs, rate, highest=True)
    describe: Callable[[dict[str, Any]], str] = lambda r: f"{r['rows']:,} in {r['seconds']:.2f} s"  # noqa: E731
    return [
        Figure.compared(
            "fan-out",
            run.kind,
            "actions/s",
            ours,
            base,
            rate,
            target=FANOUT_TARGET,
            higher_is_better=True,
            notes=[
                f"ours: {rounds_note(mine, describe)}",
                f"baseline (bare driver, the same INSERT ... RETURNING): {rounds_note(theirs, describe)}",
            ],
        )
    ]


def sweep(run: Run) -> list[Figure]:
    """The reminder sweep's decision and logging vs a bare-SQL baseline; times in seconds."""
    from bench.sweep import high_water, reset, window

    url, built = run.workload()
    today = window(run.spec)
    after = high_water(url)
    written: list[int] = []

    def side(task: str) -> Callable[[], dict[str, Any]]:
        def go() -> dict[str, Any]:
            result = step(task, url, today=today)
            result["written"] = high_water(url, count_after=after)
            written.append(result["written"])
            return result

        return go

    mine, theirs = alternating(run.rounds, side("sweep.actioned"), side("sweep.baseline"), lambda: reset(url, after))
    reset(url, after)
    seconds: Callable[[dict[str, Any]], float] = lambda r: r["seconds"]  # noqa: E731
    ours, base = best(mine, seconds, highest=False), best(theirs, seconds, highest=False)
    describe: Callable[[dict[str, Any]], str] = lambda r: f"{r['written']:,} rows in {r['seconds']:.2f} s"  # noqa: E731
    notes = [
        f"{built['actions']:,} actions, {built.get('deliveries', 0):,} past deliveries; the sweep for {today}",
        f"ours: {rounds_note(mine, describe)}",
        f"baseline: {rounds_note(theirs, describe)}",
    ]
    notes += [
        f"decide_reminders returned {r['rows']:,} but wrote {r['written']:,} rows"
        for r in mine
        if r["rows"] != r["written"]
    ]
    if len(set(written)) > 1:
        notes.append(f"row counts differ between runs: {sorted(set(written))}")
    return [
        Figure.compared(
            "reminder sweep (decide + log)", run.kind, "s", ours, base, "seconds", target=SWEEP_TARGET, notes=notes
        )
    ]


def returns(run: Run) -> list[Figure]:
    """90 agencies' returns for one report of the full workload, compiled and stored vs rendered only; seconds."""
    url, _built = run.workload()
    today = run.spec.today.isoformat()
    mine, theirs = alternating(
        run.rounds, lambda: step("returns.actioned", url, today=today),
        lambda: step("returns.baseline", url, today=today), lambda: None,
    )  # fmt: skip
    seconds: Callable[[dict[str, Any]], float] = lambda r: r["seconds"]  # noqa: E731
    ours, base = best(mine, seconds, highest=False), best(theirs, seconds, highest=False)
    describe: Callable[[dict[str, Any]], str] = lambda r: f"{r['seconds']:.2f} s"  # noqa: E731
    return [
        Figure.compared(
            f"compile {ours['rows']} returns (one report)",
            run.kind,
            "s",
            ours,
            base,
            "seconds",
            target=SWEEP_TARGET,
            notes=[
                f"report {ours['report']}; baseline: rendering the same {base['rows']} documents only",
                f"ours: {rounds_note(mine, describe)}; baseline: {rounds_note(theirs, describe)}",
            ],
        )
    ]


def page(run: Run) -> list[Figure]:
    """Each page of ``bench.page.PAGES`` served by uvicorn under load from a second process, beside a bare endpoint
    served the same way: p95 latency at a fixed rate (ms) and the most it serves (requests per second).
    """
    from bench.page import PAGES, figures
    from bench.page import run as measure

    pages = [p for p in PAGES if not run.pages or p.name in run.pages]
    url, built = run.workload()
    return figures(run.kind, built, measure(url, built, pages, rounds=run.rounds))


def floors(run: Run) -> list[Figure]:
    """Where the owner's page's time goes: the page beside floors of itself (``bench.floors``), served and loaded as
    the page benchmark serves and loads it, each as a fraction of the bare endpoint's throughput.
    """
    from bench.floors import figures
    from bench.floors import run as measure

    url, built = run.workload()
    return figures(run.kind, measure(url, built, rounds=run.rounds))


def cycle(run: Run) -> list[Figure]:
    """The daily cycle's fixed cost on the embedded default: ``actioned run`` on a database with nothing to do."""
    from bench.cycle import figures

    return figures(run.rounds)


def naive(run: Run) -> list[Figure]:
    """The daily cycle beside the design a Prefect user writes first, one task per action, at 1,000 and 10,000."""
    from bench.naive import figures

    return figures()


BENCHMARKS: dict[str, Entry] = {
    "fanout": Entry(None, fanout),
    "sweep": Entry("models.store.sweep", sweep, shared=True),
    "returns": Entry("notifications.documents.compile", returns, shared=True),
    "page": Entry("web.app", page, shared=True),
    "floors": Entry("web.app", floors, shared=True),
    "cycle": Entry("flows.daily_cycle", cycle, kinds=("sqlite",)),
    "naive": Entry("flows.daily_cycle", naive, kinds=("sqlite",)),
}
"""name -> what it needs and how it runs."""
