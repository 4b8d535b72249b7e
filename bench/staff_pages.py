"""The staff pages at 100,000 actions, one request at a time: ``python -m bench.staff_pages [--actions N]
[--per-action K] [--database sqlite|postgresql|both]``.

Builds the benchmark workload with K logged messages per action (``bench.delivery_log.add_messages``), then serves the
real app in process (Starlette's test client, no network) to a signed-in liaison officer of each sampled agency (the
session cookie signed as the app signs it, so no OpenID provider is needed) and times each page ``REPEATS`` times per
agency: the agency's report page, an action's page, the register, the delivery log (first and a filtered page). It
prints the median and the 95th percentile per page; it measures latency, not throughput (``bench.page`` loads every
page, these included, from a second process), and never fails a build.
"""

import argparse
import base64
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, col, select

from bench.databases import throwaway
from bench.delivery_log import add_messages
from bench.workload import Spec, build
from models.store.db import engine_for
from models.store.tables import Action

REPEATS = 10
AGENCIES = 8


def _cookie(secret_key: str) -> str:
    from itsdangerous import TimestampSigner

    from web.signin import session_secret

    session = {
        "staff": {"sub": "bench", "email": "liaison@bench.example.org", "name": "Bench Liaison"},
        "seen": int(time.time()) + 3600,
        "csrf": "bench",
    }
    data = base64.b64encode(json.dumps(session).encode())
    return TimestampSigner(session_secret(secret_key)).sign(data).decode()


def run(kind: str, actions: int, per_action: int) -> None:
    from fastapi.testclient import TestClient

    with throwaway(kind, "staffpages") as url, tempfile.TemporaryDirectory(prefix="actioned-bench-staff-") as tmp:
        build(url, Spec.for_actions(actions))
        messages = add_messages(url, per_action)
        with Session(engine_for(url)) as session:
            agencies = sorted(set(session.exec(select(Action.agency_id)).all()))[:AGENCIES]
            sample: dict[str, tuple[int | None, str]] = {}
            for a in agencies:
                first = session.exec(
                    select(Action.id, Action.report_id).where(Action.agency_id == a).order_by(col(Action.id))
                ).first()
                assert first is not None
                sample[a] = (first[0], first[1])
        staff_file = Path(tmp) / "staff.yaml"
        lines = ["liaison_officers:"] + [f"  {a}: {{emails: [liaison@bench.example.org]}}" for a in agencies]
        staff_file.write_text("\n".join(lines) + "\n")
        os.environ.update(
            {
                "ACTIONED_DATABASE_URL": url,
                "ACTIONED_HOME": tmp,
                "ACTIONED_SECRET_KEY": "bench-secret-key-not-for-production",
                "ACTIONED_OIDC_ISSUER": "http://127.0.0.1:9",
                "ACTIONED_OIDC_CLIENT_ID": "bench",
                "ACTIONED_OIDC_CLIENT_SECRET": "bench",
                "ACTIONED_STAFF_FILE": str(staff_file),
                "ACTIONED_COOKIE_SECURE": "false",
            }
        )
        from web.app import create_app

        client = TestClient(create_app(), base_url="http://127.0.0.1")
        client.cookies.set("actioned_session", _cookie("bench-secret-key-not-for-production"))
        print(f"{kind}: {actions:,} actions, {messages:,} messages logged")
        pages = {
            "report page": lambda a: f"/agencies/{a}/reports/{sample[a][1]}",
            "action page": lambda a: f"/agencies/{a}/actions/{sample[a][0]}",
            "register": lambda a: f"/agencies/{a}/register",
            "delivery log": lambda a: f"/agencies/{a}/deliveries",
            "delivery log, filtered": lambda a: f"/agencies/{a}/deliveries?status=failed&kind=chaser&page=2",
        }
        for name, path in pages.items():
            times = []
            for agency in agencies:
                for _ in range(REPEATS):
                    begun = time.perf_counter()
                    response = client.get(path(agency))
                    times.append((time.perf_counter() - begun) * 1000)
                    assert response.status_code == 200, (name, response.status_code, response.text[:300])
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"  {name:<24} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.staff_pages", description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--per-action", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    args = parser.parse_args(argv)
    for kind in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        run(kind, args.actions, args.per_action)


if __name__ == "__main__":
    main()
