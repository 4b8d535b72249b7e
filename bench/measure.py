"""Running a step in its own process and collecting figures."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.workload import Spec

ROOT = Path(__file__).resolve().parent.parent


class StepFailed(RuntimeError):
    pass


def spec_json(spec: Spec) -> dict[str, Any]:
    data = asdict(spec)
    data["today"] = spec.today.isoformat()
    return data


def step(
    task: str, url: str, *, timeout: float = 3600, env: dict[str, str] | None = None, **params: Any
) -> dict[str, Any]:
    """Run ``bench.<task>`` in a fresh Python process and return what it printed (its last JSON line)."""
    if isinstance(params.get("spec"), Spec):
        params["spec"] = spec_json(params["spec"])
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child", task, url, json.dumps(params)],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
        raise StepFailed(f"{task} on {url.split('?', maxsplit=1)[0]}: exit {proc.returncode}\n" + "\n".join(tail))
    result: dict[str, Any] = json.loads(lines[-1])
    return result


@dataclass
class Figure:
    """One benchmark on one database: the measured side beside its baseline."""

    benchmark: str
    database: str
    unit: str
    measured: float
    baseline: float | None
    measured_rss_mb: float
    baseline_rss_mb: float | None
    target: str
    higher_is_better: bool = False
    notes: list[str] = field(default_factory=list)

    @classmethod
    def compared(
        cls,
        benchmark: str,
        database: str,
        unit: str,
        ours: dict[str, Any],
        base: dict[str, Any],
        value: str | Callable[[dict[str, Any]], float],
        *,
        target: str,
        notes: list[str],
        higher_is_better: bool = False,
    ) -> "Figure":
        """The measured step's result beside the baseline's: ``value`` (a key of each, or read from each) and each
        side's peak RSS (``peak_rss_mb``).
        """

        def read(result: dict[str, Any]) -> float:
            return result[value] if isinstance(value, str) else value(result)

        return cls(
            benchmark=benchmark,
            database=database,
            unit=unit,
            measured=read(ours),
            baseline=read(base),
            measured_rss_mb=ours["peak_rss_mb"],
            baseline_rss_mb=base["peak_rss_mb"],
            target=target,
            higher_is_better=higher_is_better,
            notes=notes,
        )

    @property
    def ratio(self) -> float | None:
        """Measured over baseline, as "times the baseline" (for rates: the fraction of the baseline's rate)."""
        if not self.baseline:
            return None
        return self.measured / self.baseline
