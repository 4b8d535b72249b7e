"""Signed links for the owners' pages: scoped to one action (or one agency's report) and one role, and expiring.

A link carries no secret of its own: it is a claim signed with ACTIONED_SECRET_KEY. It is checked against the database
when used (see ``web``): an owner link dies when the action is reassigned (its ``assignment`` moves on) or closed, and
every link to an action dies when the action's links are revoked (``links_revoked_at``: links issued before it fail).
"""

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from models.settings import checked_link_days

if TYPE_CHECKING:
    from sqlmodel import Session

SALT = "actioned.link.v1"
DEFAULT_MAX_AGE_DAYS = 45
"""Links are re-issued with every reminder, so one only needs to outlive the gap between two messages."""

ROLES = ("owner", "signer", "liaison")
PATHS = {"owner": "a", "signer": "s", "liaison": "l"}
"""One URL prefix per role, so a link can only ever open the page of its own role."""


class InvalidLink(Exception):
    """A link that is tampered with, expired, revoked, or used for something it does not grant."""


@dataclass(frozen=True)
class LinkClaim:
    role: str
    action_id: int | None = None
    assignment: int | None = None
    agency_id: str | None = None
    report_id: str | None = None
    issued_at: datetime | None = None


def max_age_days(env: Mapping[str, str] | None = None) -> int:
    """ACTIONED_LINK_DAYS: how many days a link stays good (default 45); a clear error when it is not a number."""
    env = os.environ if env is None else env
    return checked_link_days(env.get("ACTIONED_LINK_DAYS"))


class _SignerAt(TimestampSigner):
    """A timestamp signer whose clock can be set: links issued "as of" an instant (tests sign in the past)."""

    def __init__(self, *args: Any, at: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def get_timestamp(self) -> int:
        return self._at if self._at is not None else super().get_timestamp()


def _serializer(secret_key: str, at: int | None = None) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT, signer=_SignerAt, signer_kwargs={"at": at})


def sign(secret_key: str, claim: LinkClaim, *, now: datetime | None = None) -> str:
    """The token for ``claim`` (to be put in a URL path), issued at ``now`` (default: the current instant).

    The issue instant is kept in milliseconds inside the claim, so a revocation made a moment before a fresh link is
    issued cannot be mistaken for one made after it.
    """
    if claim.role not in ROLES:
        raise ValueError(f"role: {claim.role!r} (expected one of {', '.join(ROLES)})")
    issued = now.timestamp() if now is not None else time.time()
    data: dict[str, Any] = {"r": claim.role, "t": int(issued * 1000)}
    if claim.action_id is not None:
        data["a"] = claim.action_id
        data["n"] = claim.assignment
    if claim.agency_id is not None:
        data["g"] = claim.agency_id
        data["p"] = claim.report_id
    return _serializer(secret_key, int(issued) if now is not None else None).dumps(data)


def verify(
    secret_key: str, token: str, *, max_age_days: int = DEFAULT_MAX_AGE_DAYS, now: datetime | None = None
) -> LinkClaim:
    """The claim a token makes, if its signature is good and it has not expired at ``now`` (default: the current
    instant); InvalidLink otherwise. Expiry is judged here, on the instant given, not on the library's own clock.
    """
    try:
        data, signed_at = _serializer(secret_key).loads(token, return_timestamp=True)
    except BadSignature:
        raise InvalidLink("bad signature") from None
    at = now or datetime.now(UTC)
    if (at - signed_at).total_seconds() > max_age_days * 86400:
        raise InvalidLink("expired")
    if not isinstance(data, dict) or data.get("r") not in ROLES:
        raise InvalidLink("malformed")
    millis = data.get("t")
    issued_at = datetime.fromtimestamp(millis / 1000, UTC) if isinstance(millis, int) else signed_at
    return LinkClaim(
        role=data["r"],
        action_id=data.get("a"),
        assignment=data.get("n"),
        agency_id=data.get("g"),
        report_id=data.get("p"),
        issued_at=issued_at,
    )


def is_revoked(claim: LinkClaim, revoked_at: datetime | None) -> bool:
    """Whether a link was issued before its action's links were revoked (at the same instant counts as before)."""
    if revoked_at is None:
        return False
    if claim.issued_at is None:
        return True
    return claim.issued_at <= revoked_at


def action_url(
    base_url: str,
    secret_key: str,
    *,
    action_id: int,
    assignment: int,
    role: str = "owner",
    now: datetime | None = None,
) -> str:
    """The owner's (or signer's) page for one action."""
    if role not in ("owner", "signer"):
        raise ValueError(f"role: {role!r} (expected owner or signer)")
    token = sign(secret_key, LinkClaim(role=role, action_id=action_id, assignment=assignment), now=now)
    return f"{base_url.rstrip('/')}/{PATHS[role]}/{token}"


def liaison_url(base_url: str, secret_key: str, *, agency_id: str, report_id: str, now: datetime | None = None) -> str:
    """The liaison officer's page: every action of one agency for one report."""
    token = sign(secret_key, LinkClaim(role="liaison", agency_id=agency_id, report_id=report_id), now=now)
    return f"{base_url.rstrip('/')}/{PATHS['liaison']}/{token}"


def revoke_links(session: "Session", *, action_id: int, by: str, now: datetime | None = None) -> datetime:
    """Kill every link to the action issued so far (owner's and signer's); the next reminder carries a fresh one.

    Leaves a "links_revoked" event. The version is left alone: nothing a person edits has changed.
    """
    from sqlalchemy import update

    from models.store.actions import get_action
    from models.store.tables import Action, Event

    now = now or datetime.now(UTC)
    get_action(session, action_id=action_id)
    session.execute(
        update(Action).where(Action.id == action_id).values(links_revoked_at=now, last_event_at=now)  # type: ignore[arg-type]
    )
    session.add(Event(action_id=action_id, at=now, actor=by, kind="links_revoked"))
    session.flush()
    return now
