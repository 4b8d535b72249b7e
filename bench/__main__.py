"""``python -m bench``: every benchmark on SQLite and PostgreSQL, each figure beside a baseline measured in the same run.

    python -m bench                          # 100,000 actions: a few minutes on 2 cores; results in bench/results/
    python -m bench --record                 # ... and update the committed bench/RESULTS.md
    python -m bench --full --record          # 1,000,000 actions on both databases -> bench/RESULTS-1M.md
                                             # (fan-out, sweep, returns; and one task per action at 1,000 and 10,000)
    python -m bench --size 20000 --database sqlite --only fanout,sweep --rounds 3
    python -m bench --only page --pages "delivery log,register page"

Every run writes its Markdown and JSON under bench/results/ (ignored by git); only ``--record`` touches the committed
results. Nothing is asserted and the exit status is 0 unless the run itself could not happen.
"""

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench.extraction import corpus_score
from bench.measure import Figure, StepFailed
from bench.report import machine, render_markdown, render_text
from bench.suite import BENCHMARKS, available, shared_database
from bench.workload import Spec

DEFAULT_SIZE = 100_000
FULL_SIZE = 1_000_000
HERE = Path(__file__).parent
RESULTS = HERE / "results"
RECORDED = HERE / "RESULTS.md"
RECORDED_FULL = HERE / "RESULTS-1M.md"
FULL_BENCHMARKS = ("fanout", "sweep", "returns", "naive")
"""What ``--full`` runs unless ``--only`` says otherwise: the million on both databases, and the one-task-per-action
comparison (at its own sizes); the pages and the cycle's fixed cost do not depend on the million."""


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="actions in the workload (default %(default)s)")
    parser.add_argument("--full", action="store_true", help=f"the 1,000,000-action workload (--size {FULL_SIZE})")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated: " + ", ".join(BENCHMARKS) + f" (default: all; with --full: {','.join(FULL_BENCHMARKS)})",
    )
    parser.add_argument(
        "--pages", default=None, help="comma-separated page names for the page benchmark (default: every page)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--rounds",
        type=int,
        default=None,
        help="runs of each side, alternating, best kept (default 2; 1 with --full)",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"also write the committed {RECORDED.name} ({RECORDED_FULL.name} with --full)",
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="folder for this run's files (default %(default)s)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    size = FULL_SIZE if args.full else args.size
    rounds = args.rounds or (1 if args.full else 2)
    # PostgreSQL first: the embedded-default benchmarks (cycle, naive) run on SQLite, last.
    kinds = ["postgresql", "sqlite"] if args.database == "both" else [args.database]
    only = args.only or ",".join(FULL_BENCHMARKS if args.full else BENCHMARKS)
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"bench: unknown benchmark {unknown[0]!r} (known: {', '.join(BENCHMARKS)})", file=sys.stderr)
        return 2
    from bench.page import PAGES

    pages = tuple(p.strip() for p in (args.pages or "").split(",") if p.strip())
    unknown_pages = [p for p in pages if p not in {page.name for page in PAGES}]
    if unknown_pages:
        known = ", ".join(page.name for page in PAGES)
        print(f"bench: unknown page {unknown_pages[0]!r} (known: {known})", file=sys.stderr)
        return 2
    print(corpus_score(), flush=True)
    spec = Spec.for_actions(size, seed=args.seed)
    print(
        f"workload: {spec.reports} reports x {spec.recommendations} recommendations x {spec.agencies} agencies "
        f"= {spec.expected_actions():,} actions (seed {spec.seed}, today {spec.today}); {rounds} round(s)",
        flush=True,
    )
    figures: list[Figure] = []
    skipped: list[str] = []
    took: dict[str, float] = {}
    started = time.perf_counter()
    for name in names:
        entry = BENCHMARKS[name]
        if entry.needs and not available(entry.needs):
            skipped.append(f"{name}: {entry.needs} is not there yet")
            print(f"-- {name}: skipped ({entry.needs} is not there yet)", flush=True)
    info = machine(kinds)
    at = datetime.now(UTC)
    stem = f"{at:%Y%m%dT%H%M%SZ}-{spec.expected_actions()}"
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])

    def write(*, done: bool) -> None:
        """Write the run's Markdown and JSON so far (after every benchmark, so a run stopped early keeps what it measured)."""
        markdown = render_markdown(
            figures,
            skipped=skipped if done else [*skipped, "(the run is still going: more figures to come)"],
            info=info,
            spec=spec,
            took=time.perf_counter() - started,
            took_by_kind=took,
            at=at,
            command=command.strip(),
            rounds=rounds,
        )
        if args.no_write:
            return
        args.results.mkdir(parents=True, exist_ok=True)
        (args.results / f"{stem}.md").write_text(markdown)
        data = {"at": at.isoformat(), "spec": str(spec), "rounds": rounds, "figures": [asdict(f) for f in figures]}
        (args.results / f"{stem}.json").write_text(json.dumps(data, indent=1, default=str))
        if args.record:
            (RECORDED_FULL if args.full else RECORDED).write_text(markdown)
        if done:
            print(f"wrote {args.results / stem}.md and .json" + (" and the recorded results" if args.record else ""))

    for kind in kinds:
        t_kind = time.perf_counter()
        wanted = [n for n in names if kind in BENCHMARKS[n].kinds and n not in {s.split(":")[0] for s in skipped}]
        needed = any(BENCHMARKS[n].shared for n in wanted)
        with shared_database(kind, spec, rounds, needed=needed, pages=pages) as run:
            for name in wanted:
                print(f"-- {name} on {kind} ...", flush=True)
                t = time.perf_counter()
                try:
                    found = BENCHMARKS[name].run(run)
                except StepFailed as exc:
                    skipped.append(f"{name} on {kind}: failed: {str(exc).splitlines()[0]}")
                    print(f"   failed: {exc}", flush=True)
                    continue
                figures.extend(found)
                print(render_text(found), flush=True)
                print(f"   ({time.perf_counter() - t:.1f} s in all)", flush=True)
                write(done=False)
        took[kind] = time.perf_counter() - t_kind
    write(done=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
