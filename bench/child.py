"""One measured step in a fresh process, so its peak memory is its own: ``python -m bench.child TASK URL [JSON]``.

Prints one JSON line: what the step returned, plus ``peak_rss_mb``, the process's peak resident set size from
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (interpreter and imports included).
"""

import importlib
import json
import resource
import sys
from datetime import date
from typing import Any

from bench.workload import Spec


def spec_from(data: dict[str, Any]) -> Spec:
    return Spec(**{**data, "today": date.fromisoformat(data["today"])}) if "today" in data else Spec(**data)


def run(task: str, url: str, params: dict[str, Any]) -> dict[str, Any]:
    module_name, function_name = task.rsplit(".", 1)
    function = getattr(importlib.import_module(f"bench.{module_name}"), function_name)
    if "spec" in params:
        params = {**params, "spec": spec_from(params["spec"])}
    result: dict[str, Any] = function(url, **params)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main() -> None:
    task, url = sys.argv[1], sys.argv[2]
    params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    print(json.dumps(run(task, url, params), default=str))


if __name__ == "__main__":
    main()
