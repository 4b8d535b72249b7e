"""The web application: ``create_app()`` builds it; ``actioned web`` serves it with uvicorn."""

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from models.links import InvalidLink
from models.settings import load_settings
from web import (
    admin_import,
    admin_register,
    liaison,
    national,
    owner,
    security,
    signer,
    signin,
    staff,
    staff_action,
    staff_deliveries,
    staff_register,
    staff_return,
    staff_workflow,
)
from web.deps import LinkFormRefused
from web.limits import BodyLimit
from web.rendering import invalid_link, not_found, refused_form

STATIC = Path(__file__).parent / "static"


@asynccontextmanager
async def _started(_app: FastAPI) -> AsyncIterator[None]:
    """Once the server has started: everything built so far (imports, the app, the templates' environment) is moved
    out of the garbage collector's sight with ``gc.freeze()``.

    Every page builds thousands of short-lived objects, and each full collection walked the ~180,000 objects the
    imports leave behind, for nothing: they live as long as the process. Frozen, they are never walked again. Measured
    on the administrators' register page (one request at a time, 20,000 actions): 30 ms to 18 ms; the owner's page
    4.8 ms to 4.1 ms. Objects made later are collected as before.
    """
    gc.collect()
    gc.freeze()
    yield


def create_app(today: Callable[[], date] = date.today) -> FastAPI:
    """The owners' and signers' pages (signed links) and the staff pages (signed in). ``today`` decides days left and RAG ratings (tests pass a fixed day)."""
    app = FastAPI(title="Actioned", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_started)
    app.add_middleware(BodyLimit, today=today)  # inside the security headers, so its refusals carry them too
    app.add_middleware(security.SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(HTTPException)
    async def plain_errors(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return not_found(request)
        return Response(status_code=exc.status_code)

    @app.exception_handler(InvalidLink)
    async def refused_link(request: Request, exc: InvalidLink) -> Response:
        return invalid_link(request)  # one page for every refused link: it says nothing about what the link was for

    @app.exception_handler(LinkFormRefused)
    async def refused_link_form(request: Request, exc: LinkFormRefused) -> Response:
        return refused_form(request)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError) -> Response:
        if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()):
            return not_found(request)  # an id that is not a number (or one too large to be one) names nothing
        return invalid_link(request)

    owner.register(app, today)
    signer.register(app, today)
    liaison.register(app, today)
    signin.install(app, load_settings())
    staff.register(app, today)
    staff_return.register(app, today)
    staff_action.register(app, today)
    staff_register.register(app, today)
    staff_deliveries.register(app, today)
    staff_workflow.register(app, today)
    national.register(app, today)
    admin_import.register(app, today)
    admin_register.register(app, today)

    return app
