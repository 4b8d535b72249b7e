"""The extraction corpus score: how many of the checks on the real published documents in tests/extraction/real/
the reader passes. A figure, never a failure: ``python -m bench`` prints it first.
"""

import tempfile
import time
from pathlib import Path


def corpus_score() -> str:
    """One line: checks passed of all, documents, reports, and how long the reading took."""
    from tests.extraction.corpus import score

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="actioned-corpus-") as folder:
        result = score(Path(folder))
    failed = [f"   failed: {c.document}: {c.what} ({c.detail})" for c in result.checks if not c.passed]
    took = time.perf_counter() - started
    return "\n".join([f"{result.line()}, read in {took:.1f} s", *failed])


def main() -> int:
    print(corpus_score(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
