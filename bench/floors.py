"""Where the owner's page's time goes, served: the page beside floors of itself, each served and loaded as the page
benchmark serves and loads the page (``bench.page``), in the same run:

- the bare endpoint (the page benchmark's baseline): one primary-key lookup, bare SQL, no template;
- our application answering a small fixed page: its middleware (security headers, the body limit), its routing and
  FastAPI's, nothing read and nothing rendered;
- our application rendering the owner's page from a context read once and kept (the same ``page()`` call and the same
  CSRF token as the page, on the event loop): the template and the application, no link check and no reads;
- the same, rendered in the thread pool, as the page renders (one hand-off);
- the owner's page itself.

Each step down is what one layer costs. The page benchmark's target (at least 0.5 of the bare endpoint's throughput)
can only be met if the floor under the reads is well above 0.5: this measures that floor instead of assuming it.
The floors live in a factory of the benchmark's own (``floor_app``): the product serves none of these routes.
"""

import json
import secrets
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bench.measure import Figure
from bench.page import (
    BASELINE,
    CLIENTS,
    CLOSED_SECONDS,
    OURS,
    THROUGHPUT_TARGET,
    load,
    owner_path,
    serving,
    terminated_cleanly,
)

FLOORS = "bench.floors:floor_app"


def floor_app() -> Any:
    """``web.app.create_app()`` with the floors' routes added (``--factory``)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, Response

    from models.settings import load_settings
    from models.store.db import session_scope
    from web import access
    from web.app import create_app
    from web.owner import owner_context
    from web.rendering import page

    day = date.today  # the page's own day, as create_app's default gives it
    app = create_app(day)
    secret_key = load_settings().secret_key()
    contexts: dict[str, dict[str, Any]] = {}

    def context_for(token: str) -> dict[str, Any]:
        """The owner page's context for the link, read on the first request for it and kept."""
        if token not in contexts:
            claim = access.claim_for(secret_key, token, "owner")
            with session_scope() as session:
                context = owner_context(session, claim, day())
                context["saved"] = ""
                contexts[token] = context
        return contexts[token]

    def render(request: Request, token: str) -> Response:
        return page(request, "action.html", context_for(token), secret_key=secret_key, link_token=token)

    @app.get("/_floor/empty")
    async def empty() -> Response:
        return HTMLResponse("<!doctype html><title>Floor</title><p>Nothing read, nothing rendered.</p>")

    @app.get("/a/{token}/_floor-template")
    async def template(request: Request, token: str) -> Response:
        return render(request, token)

    @app.get("/a/{token}/_floor-handoff")
    async def handoff(request: Request, token: str) -> Response:
        return await run_in_threadpool(render, request, token)

    return app


LAYERS: tuple[tuple[str, str, Callable[[str, int], str]], ...] = (
    ("bare endpoint", BASELINE, lambda _token, action_id: f"/a/{action_id}"),
    ("our application, a fixed small page", FLOORS, lambda _token, _id: "/_floor/empty"),
    ("the owner page's template, context kept, on the event loop", FLOORS, lambda t, _id: f"/a/{t}/_floor-template"),
    ("the same, rendered in the thread pool", FLOORS, lambda t, _id: f"/a/{t}/_floor-handoff"),
    ("the owner page", OURS, lambda t, _id: f"/a/{t}"),
)
"""Each layer: its name, the app serving it, and its path for an owner's link (its token and the action's id)."""


def links(built: dict[str, Any], secret_key: str) -> list[tuple[str, int]]:
    """The page benchmark's sample of owners' links, signed now: each link's token and its action's id."""
    return [(owner_path(item, secret_key).removeprefix("/a/"), int(item[0])) for item in built["owner"]]


def run(url: str, built: dict[str, Any], rounds: int = 1) -> list[dict[str, Any]]:
    """Every layer's most served (closed loop, as the page benchmark's), ``rounds`` times, the layers in turn (in
    reverse order in even rounds): per layer, every round's result.
    """
    secret_key = secrets.token_urlsafe(48)
    signed = links(built, secret_key)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in LAYERS}
    for r in range(rounds):
        for name, app, path_of in LAYERS if r % 2 == 0 else tuple(reversed(LAYERS)):
            paths = [path_of(token, action_id) for token, action_id in signed]
            with (
                terminated_cleanly(),
                tempfile.TemporaryDirectory(prefix="actioned-bench-floors-") as tmp,
                serving(app, url, secret_key, Path(tmp)) as server,
            ):
                paths_file = Path(tmp) / "paths.json"
                paths_file.write_text(json.dumps(paths))
                flat_out = load("closed_loop", server.base, CLOSED_SECONDS + 70, paths_file=str(paths_file))
                flat_out["peak_rss_mb"] = server.peak_mb()
                results[name].append(flat_out)
    return [{"name": name, "rounds": results[name]} for name, _, _ in LAYERS]


def _rounds(results: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"round {i + 1}: {r['ok']:,} in {r['seconds']:.1f} s = {r['rate']:.0f} req/s, {r['errors']} errors"
        for i, r in enumerate(results)
    )


def figures(kind: str, measured: list[dict[str, Any]]) -> list[Figure]:
    """Each layer's best round beside the bare endpoint's best: the fraction of its throughput."""
    best = {m["name"]: max(m["rounds"], key=lambda r: r["rate"]) for m in measured}
    base = best[LAYERS[0][0]]
    out: list[Figure] = []
    for m in measured[1:]:
        out.append(
            Figure.compared(
                f"owner page floors: {m['name']}, max throughput",
                kind,
                "req/s",
                best[m["name"]],
                base,
                "rate",
                target=f"information: the page's target is rate >= {THROUGHPUT_TARGET} x baseline",
                higher_is_better=True,
                notes=[
                    f"closed loop, {CLIENTS} clients for {CLOSED_SECONDS} s, each layer in a server of its own",
                    f"this layer: {_rounds(m['rounds'])}",
                    f"bare endpoint: {_rounds(measured[0]['rounds'])}",
                ],
            )
        )
    return out
