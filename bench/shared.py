"""The full workload, built once per database and shared by the benchmarks that read it (the sweep, the returns, the
pages), with what the page benchmarks request: samples of real owner links and liaison links, chosen from the seed.
"""

import random
import time
from typing import Any

from sqlalchemy import text

from bench.workload import Spec, build
from models.store.db import engine_for

SAMPLE = 1_000
"""Owner pages (open actions with an owner) and liaison pages (agency and report pairs) in each sample."""


def setup(url: str, spec: Spec, sample: int = SAMPLE) -> dict[str, Any]:
    """Build the workload; warm the caches for both sides of every benchmark alike; pick the pages to request.

    ``owner``: ``[[action id, assignment], ...]`` of open actions with an owner; ``liaison``: ``[[agency id, report
    id], ...]`` of agencies with actions in a report; ``action``: ``[[agency id, action id], ...]`` of any actions (the
    staff action page); ``agency``: ``[[agency id], ...]`` of agencies with actions (the register, the delivery log).
    """
    from models.rules.vocabulary import CLOSED

    started = time.perf_counter()
    summary = build(url, spec)
    closed = ", ".join(f"'{s.value}'" for s in sorted(CLOSED))
    with engine_for(url).connect() as conn:
        conn.execute(text("SELECT COUNT(*) FROM actions")).scalar()
        conn.execute(text("SELECT COUNT(*) FROM deliveries")).scalar()
        owners = [
            [int(r[0]), int(r[1])]
            for r in conn.execute(
                text(
                    f"SELECT id, assignment FROM actions WHERE owner_email IS NOT NULL AND status NOT IN ({closed})"
                    " ORDER BY id"
                )
            )
        ]
        pairs = [
            [str(r[0]), str(r[1])]
            for r in conn.execute(
                text("SELECT DISTINCT agency_id, report_id FROM actions ORDER BY agency_id, report_id")
            )
        ]
        actions = [[str(r[0]), int(r[1])] for r in conn.execute(text("SELECT agency_id, id FROM actions ORDER BY id"))]
    agencies = sorted({agency for agency, _ in pairs})
    rng = random.Random(f"{spec.seed}:page")
    return {
        "seconds": time.perf_counter() - started,
        "rows": summary.counts.get("actions", 0),
        **summary.counts,
        "openable": len(owners),
        "pairs": len(pairs),
        "addressed": len(agencies),
        "owner": rng.sample(owners, min(sample, len(owners))),
        "liaison": rng.sample(pairs, min(sample, len(pairs))),
        "action": rng.sample(actions, min(sample, len(actions))),
        "agency": [[a] for a in rng.sample(agencies, min(sample, len(agencies)))],
    }
