"""``python -m bench``: every benchmark on SQLite and PostgreSQL, printed and written to bench/RESULTS.md.

    python -m bench                          # 100,000 actions: a few minutes on 2 cores
    python -m bench --full                   # 1,000,000 actions
    python -m bench --size 250000 --database sqlite --only fanout,sweep

Figures are printed beside a baseline measured in the same run; nothing is asserted and the exit status is 0 unless
the run itself could not happen.
"""

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.extraction import corpus_score
from bench.measure import Figure, StepFailed
from bench.report import machine, render_markdown, render_text
from bench.suite import BENCHMARKS, available
from bench.workload import Spec

DEFAULT_SIZE = 100_000
FULL_SIZE = 1_000_000
RESULTS = Path(__file__).with_name("RESULTS.md")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="actions in the workload (default %(default)s)")
    parser.add_argument("--full", action="store_true", help=f"the 1,000,000-action workload (--size {FULL_SIZE})")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="where to write the Markdown (default %(default)s)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    size = FULL_SIZE if args.full else args.size
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"bench: unknown benchmark {unknown[0]!r} (known: {', '.join(BENCHMARKS)})", file=sys.stderr)
        return 2
    print(corpus_score(), flush=True)
    spec = Spec.for_actions(size, seed=args.seed)
    print(
        f"workload: {spec.reports} reports x {spec.recommendations} recommendations x {spec.agencies} agencies "
        f"= {spec.expected_actions():,} actions (seed {spec.seed}, today {spec.today})",
        flush=True,
    )
    figures: list[Figure] = []
    skipped: list[str] = []
    started = time.perf_counter()
    for name in names:
        needs, benchmark = BENCHMARKS[name]
        if needs and not available(needs):
            skipped.append(f"{name}: {needs} is not there yet")
            print(f"-- {name}: skipped ({needs} is not there yet)", flush=True)
            continue
        for kind in kinds:
            print(f"-- {name} on {kind} ...", flush=True)
            t = time.perf_counter()
            try:
                found = benchmark(kind, spec)
            except StepFailed as exc:
                skipped.append(f"{name} on {kind}: failed: {str(exc).splitlines()[0]}")
                print(f"   failed: {exc}", flush=True)
                continue
            figures.extend(found)
            print(render_text(found), flush=True)
            print(f"   ({time.perf_counter() - t:.1f} s in all)", flush=True)
    info = machine(kinds)
    took = time.perf_counter() - started
    if not args.no_write:
        args.results.write_text(
            render_markdown(figures, skipped=skipped, info=info, spec=spec, took=took, at=datetime.now(UTC))
        )
        print(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
