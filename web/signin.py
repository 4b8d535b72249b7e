"""Staff sign-in: OpenID Connect, authorization code flow with PKCE (S256), through Authlib's Starlette client.

The session lives in a signed cookie (Starlette's SessionMiddleware, itsdangerous): HttpOnly, Secure unless
configured off for a local http://127.0.0.1 server, SameSite=Lax (the way back from the issuer is a top-level
cross-site navigation that must carry the sign-in state; Lax still keeps the cookie off cross-site posts). The
cookie's signature expires after the idle timeout and is renewed on every request, and the session also records when
it was last used. Sign-out empties it.

The ID token is checked by Authlib (signature against the issuer's published keys, issuer, audience = our client id,
expiry, nonce); then the Entra tenant allow-list. Roles come from the staff file on every request, not the session.
"""

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from typing import Any, cast

import httpx
import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth
from fastapi import FastAPI
from joserfc.errors import JoseError
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from models.rules.staff import safe_next, tenant_allowed
from models.settings import Settings, load_settings
from web import deps
from web.rendering import staff_page

SESSION_COOKIE = "actioned_session"
NEXT_KEY = "next"
CALLBACK = "/auth/callback"

ISSUER_UNREACHABLE = (httpx2.HTTPError, httpx.HTTPError)
"""What Authlib raises when the issuer cannot be reached or does not answer: it talks to the issuer through httpx2
where httpx2 is installed (as it is with Actioned), through httpx before that. Caught, these show "Sign-in is
unavailable"; missed, a member of staff would get the server's error page."""


def session_secret(secret_key: str) -> str:
    """A key for session cookies only, derived from the secret key (a link signature is never a valid session)."""
    return hmac.new(secret_key.encode(), b"actioned-session", hashlib.sha256).hexdigest()


def install(app: FastAPI, s: Settings) -> None:
    """Sessions, the OpenID client and the sign-in routes, when sign-in is configured; the not-configured page when
    it is not.
    """
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(s.secret_key()),
        session_cookie=SESSION_COOKIE,
        max_age=s.session_idle_minutes * 60,
        same_site="lax",
        https_only=s.cookie_secure,
    )
    oauth = OAuth()
    if s.oidc is not None:
        oauth.register(
            "staff",
            client_id=s.oidc.client_id,
            client_secret=s.oidc.client_secret,
            server_metadata_url=s.oidc.metadata_url,
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )

    async def to_issuer(request: Request, next_path: str) -> Response:
        request.session[NEXT_KEY] = safe_next(next_path)
        client: Any = oauth.create_client("staff")
        try:
            response: Response = await client.authorize_redirect(request, load_settings().base_url + CALLBACK)
        except ISSUER_UNREACHABLE:
            return unavailable(request)
        return response

    @app.exception_handler(deps.SignInRequired)
    async def sign_in_required(request: Request, exc: deps.SignInRequired) -> Response:
        return await to_issuer(request, exc.next_path)

    app.add_exception_handler(deps.SignInNotConfigured, not_configured)
    app.add_exception_handler(deps.StaffRefused, refused)  # type: ignore[arg-type]
    app.add_exception_handler(deps.FormRefused, form_refused)
    app.add_exception_handler(deps.StaffFileBroken, staff_file_broken)  # type: ignore[arg-type]

    @app.get("/signin")
    async def sign_in(request: Request) -> Response:
        if load_settings().oidc is None:
            raise deps.SignInNotConfigured
        return await to_issuer(request, request.query_params.get("next") or "/")

    @app.get(CALLBACK)
    async def callback(request: Request) -> Response:
        settings = load_settings()
        if settings.oidc is None:
            raise deps.SignInNotConfigured
        next_path = safe_next(request.session.get(NEXT_KEY))
        client: Any = oauth.create_client("staff")
        try:
            token = await client.authorize_access_token(request)
        except ISSUER_UNREACHABLE:
            request.session.clear()
            return unavailable(request)
        except (AuthlibBaseError, JoseError, ValueError, KeyError):
            request.session.clear()
            return not_signed_in(request)
        request.session.clear()
        claims = verified_claims(token, settings.oidc.tenants)
        if claims is None:
            return not_signed_in(request)
        request.session.update(session_for(claims, now=int(time.time())))
        return RedirectResponse(next_path, status_code=303)

    @app.post("/signout")
    async def sign_out(request: Request, form: deps.StaffForm) -> Response:
        request.session.clear()
        return staff_page(request, "staff/signed-out.html", {})


async def not_configured(request: Request, exc: Exception) -> Response:
    return staff_page(request, "staff/not-configured.html", {}, status_code=503)


async def refused(request: Request, exc: deps.StaffRefused) -> Response:
    context = {"who": exc.identity.email or exc.identity.subject, "no_role": exc.no_role}
    return staff_page(request, "staff/refused.html", context, status_code=403)


async def staff_file_broken(request: Request, exc: deps.StaffFileBroken) -> Response:
    return staff_page(request, "staff/staff-file-broken.html", {"problem": exc.problem}, status_code=503)


async def form_refused(request: Request, exc: Exception) -> Response:
    return staff_page(request, "refused.html", {}, status_code=403)


def verified_claims(token: Any, tenants: frozenset[str]) -> Mapping[str, Any] | None:
    """The ID token's claims when they name someone from a tenant on the allow-list; None otherwise."""
    claims = token.get("userinfo") if isinstance(token, dict) else None
    if not claims or not claims.get("sub") or not tenant_allowed(claims.get("tid"), tenants):
        return None
    return cast("Mapping[str, Any]", claims)


def session_for(claims: Mapping[str, Any], *, now: int) -> dict[str, Any]:
    """What a session holds once the issuer's checked ID token (``claims``) has signed someone in at ``now``: who
    they are, when the session was last used, and the CSRF token of their forms.
    """
    return {
        deps.STAFF_KEY: {
            "sub": str(claims["sub"]),
            "email": claims.get("email") or claims.get("preferred_username"),
            "name": claims.get("name"),
            "groups": [str(g) for g in claims.get("groups") or []][:200],
            "tid": claims.get("tid"),
        },
        deps.SEEN_KEY: now,
        deps.CSRF_KEY: secrets.token_urlsafe(32),
    }


def not_signed_in(request: Request) -> Response:
    """Any failed sign-in (wrong audience, bad signature, expired token, another tenant, a replayed or tampered
    answer): one page that shows nothing and offers to try again.
    """
    return staff_page(request, "staff/not-signed-in.html", {}, status_code=403)


def unavailable(request: Request) -> Response:
    return staff_page(request, "staff/unavailable.html", {}, status_code=503)
