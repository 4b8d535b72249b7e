"""What every page starts from, as FastAPI dependencies: the settings, a database session, the link's verified claim
(owners', signers' and liaison pages), and the signed-in member of staff (staff pages).

A dependency that cannot give what a page needs raises one of the exceptions below; ``web.app`` turns each into its
one response (the invalid-link page, the sign-in redirect, the refused page), so a route never starts with a
prologue of checks and cannot forget one.
"""

import hmac
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request

from models.links import InvalidLink, LinkClaim
from models.rules.errors import ActionedError
from models.rules.staff import Access, Identity, access_for
from models.rules.vocabulary import StaffRole
from models.settings import Settings, load_settings
from models.staff import load_grants
from models.store.db import session_scope
from web import access, security

STAFF_KEY = "staff"
SEEN_KEY = "seen"
CSRF_KEY = "csrf"


class SignInNotConfigured(Exception):
    """The staff pages without ACTIONED_OIDC_*: they say so."""


class SignInRequired(Exception):
    """No session (or an idle one): go to the issuer, then back to ``next_path``."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class StaffRefused(Exception):
    """Signed in, but not allowed this page (no role, or another agency's page): nothing is shown."""

    def __init__(self, identity: Identity, *, no_role: bool = False) -> None:
        self.identity = identity
        self.no_role = no_role


class StaffFileBroken(Exception):
    """The staff file does not read (an administrator's edit went wrong): nobody's role can be known, so no staff page
    is shown; the page says which line to mend (it names the file's line, nothing about anyone's access).
    """

    def __init__(self, problem: str) -> None:
        self.problem = problem


class FormRefused(Exception):
    """A staff form without the session's CSRF token: refused, nothing changed."""


async def settings() -> Settings:
    return load_settings()


SettingsDep = Annotated[Settings, Depends(settings)]


async def database() -> AsyncGenerator[Session, None]:
    """A session for the request: committed when the page is done, rolled back on an error. FastAPI may run the exit
    after the response has gone, so a page that writes and redirects commits itself first.

    Made on the event loop (a session reads nothing until the page's first query) and ended in the thread pool (its
    commit and close wait on the database): one hand-off to a thread where a plain generator took two, one to enter
    and one to leave. A hand-off measured 0.3 ms in-process (an empty page 0.33 ms as a plain function, 0.07 ms as a
    coroutine), as much as one of the page's ORM queries. For the same reason the checks above that wait on nothing
    (the settings, a link's signature, the session cookie, the staff file's cached grants) are coroutines.
    """
    scope = session_scope()
    session = scope.__enter__()
    try:
        yield session
    except BaseException as exc:
        await run_in_threadpool(scope.__exit__, type(exc), exc, exc.__traceback__)  # rolls back
        raise
    await run_in_threadpool(scope.__exit__, None, None, None)


DatabaseDep = Annotated[Session, Depends(database)]


def link_claim(role: str) -> Any:
    """A dependency giving the verified claim of the ``{token}`` in the path for ``role``; InvalidLink otherwise."""

    async def claim(token: str, s: SettingsDep) -> LinkClaim:
        return access.claim_for(s.secret_key(), token, role)

    return Depends(claim)


OwnerClaim = Annotated[LinkClaim, link_claim("owner")]
SignerClaim = Annotated[LinkClaim, link_claim("signer")]
LiaisonClaim = Annotated[LinkClaim, link_claim("liaison")]


class LinkFormRefused(Exception):
    """A form on a link's page without the CSRF token that link's page gave it: refused, nothing changed."""


@dataclass(frozen=True)
class LinkPost:
    """A posted form on a link's page: the link's verified claim and the form, whose CSRF token matched."""

    claim: LinkClaim
    form: FormData


def link_post(role: str) -> Any:
    """A dependency reading the posted form and checking the ``{token}`` in the path for ``role`` (InvalidLink), then
    the form's CSRF token against that link (LinkFormRefused): a form handler starts from what was checked.
    """

    async def posted(request: Request, token: str, s: SettingsDep) -> LinkPost:
        form = await request.form()
        secret = s.secret_key()
        claim = access.claim_for(secret, token, role)
        if not security.csrf_ok(secret, request, token, form.get(security.CSRF_FIELD)):
            raise LinkFormRefused
        return LinkPost(claim, form)

    return Depends(posted)


OwnerPost = Annotated[LinkPost, link_post("owner")]
SignerPost = Annotated[LinkPost, link_post("signer")]
LiaisonPost = Annotated[LinkPost, link_post("liaison")]

__all__ = ["InvalidLink"]


@dataclass(frozen=True)
class StaffMember:
    identity: Identity
    access: Access
    csrf_token: str

    @property
    def label(self) -> str:
        return self.identity.name or self.identity.email or self.identity.subject

    @property
    def actor(self) -> str:
        """Who the event trail says made a change."""
        return self.identity.email or f"staff:{self.identity.subject}"


def identity_of(data: dict[str, Any]) -> Identity:
    return Identity(
        subject=str(data.get("sub") or ""),
        email=data.get("email") or None,
        name=data.get("name") or None,
        groups=frozenset(str(g) for g in data.get("groups") or []),
        tenant=data.get("tid") or None,
    )


def _asked_for(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "") if request.method == "GET" else "/"


async def signed_in(request: Request, s: SettingsDep) -> StaffMember:
    """The member of staff whose session this is, with their roles from the staff file as it reads now."""
    if s.oidc is None:
        raise SignInNotConfigured
    data = request.session.get(STAFF_KEY)
    seen = request.session.get(SEEN_KEY)
    now = int(time.time())
    if not isinstance(data, dict) or not isinstance(seen, int) or now - seen > s.session_idle_minutes * 60:
        request.session.clear()
        raise SignInRequired(_asked_for(request))
    request.session[SEEN_KEY] = now
    identity = identity_of(data)
    try:
        grants = load_grants(s.staff_file)
    except ActionedError as exc:
        # the file's name, line and field: where it lives on the server is not for the page to say
        raise StaffFileBroken(str(exc).replace(str(s.staff_file), s.staff_file.name)) from None
    staff_access = access_for(identity, grants)
    if not staff_access.has_role:
        raise StaffRefused(identity, no_role=True)
    return StaffMember(identity, staff_access, str(request.session.get(CSRF_KEY) or ""))


StaffDep = Annotated[StaffMember, Depends(signed_in)]


async def agency_of(agency_id: str, staff: StaffDep) -> str:
    """The ``{agency_id}`` in the path, when the member of staff may see that agency."""
    if not staff.access.may_see(agency_id):
        raise StaffRefused(staff.identity)
    return agency_id


AgencyDep = Annotated[str, Depends(agency_of)]


async def administrator(staff: StaffDep) -> StaffMember:
    if not staff.access.is_(StaffRole.ADMINISTRATOR):
        raise StaffRefused(staff.identity)
    return staff


AdministratorDep = Annotated[StaffMember, Depends(administrator)]


def staff_in(roles: frozenset[StaffRole]) -> Any:
    """A dependency giving the signed-in member of staff when they hold one of ``roles``; refused (shown nothing)
    otherwise.
    """

    async def one_of(staff: StaffDep) -> StaffMember:
        if not staff.access.roles & roles:
            raise StaffRefused(staff.identity)
        return staff

    return Depends(one_of)


async def staff_form(request: Request, staff: StaffDep) -> FormData:
    """A posted staff form whose CSRF token is the session's."""
    form = await request.form()
    submitted = form.get("csrf_token")
    if not staff.csrf_token or not isinstance(submitted, str) or not hmac.compare_digest(submitted, staff.csrf_token):
        raise FormRefused
    return form


StaffForm = Annotated[FormData, Depends(staff_form)]
