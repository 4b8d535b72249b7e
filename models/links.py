"""Signed links for the owners' pages: scoped to one action (or one agency's report) and one role, and expiring.

A link carries no secret of its own: it is a claim signed with ACTIONED_SECRET_KEY. It is checked against the database
when used (see ``web``): an owner link dies when the action is reassigned (its ``assignment`` moves on) or closed.
"""

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "actioned.link.v1"
DEFAULT_MAX_AGE_DAYS = 45
"""Links are re-issued with every reminder, so one only needs to outlive the gap between two messages."""

ROLES = ("owner", "signer", "liaison")


class InvalidLink(Exception):
    """A link that is tampered with, expired, revoked, or used for something it does not grant."""


@dataclass(frozen=True)
class LinkClaim:
    role: str
    action_id: int | None = None
    assignment: int | None = None
    agency_id: str | None = None
    report_id: str | None = None


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def sign(secret_key: str, claim: LinkClaim) -> str:
    """The token for ``claim`` (to be put in a URL path)."""
    if claim.role not in ROLES:
        raise ValueError(f"role: {claim.role!r} (expected one of {', '.join(ROLES)})")
    data: dict[str, Any] = {"r": claim.role}
    if claim.action_id is not None:
        data["a"] = claim.action_id
        data["n"] = claim.assignment
    if claim.agency_id is not None:
        data["g"] = claim.agency_id
        data["p"] = claim.report_id
    return _serializer(secret_key).dumps(data)


def verify(secret_key: str, token: str, *, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> LinkClaim:
    """The claim a token makes, if its signature is good and it has not expired; InvalidLink otherwise."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age_days * 86400)
    except SignatureExpired:
        raise InvalidLink("expired") from None
    except BadSignature:
        raise InvalidLink("bad signature") from None
    if not isinstance(data, dict) or data.get("r") not in ROLES:
        raise InvalidLink("malformed")
    return LinkClaim(
        role=data["r"],
        action_id=data.get("a"),
        assignment=data.get("n"),
        agency_id=data.get("g"),
        report_id=data.get("p"),
    )


def action_url(base_url: str, secret_key: str, *, action_id: int, assignment: int, role: str = "owner") -> str:
    """The owner's (or signer's) page for one action."""
    token = sign(secret_key, LinkClaim(role=role, action_id=action_id, assignment=assignment))
    return f"{base_url.rstrip('/')}/a/{token}"


def liaison_url(base_url: str, secret_key: str, *, agency_id: str, report_id: str) -> str:
    """The liaison officer's page: every action of one agency for one report."""
    token = sign(secret_key, LinkClaim(role="liaison", agency_id=agency_id, report_id=report_id))
    return f"{base_url.rstrip('/')}/l/{token}"
