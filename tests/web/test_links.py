"""Signed links: what a token claims, and every way one stops working. Pure: no database, no clock patching."""

from datetime import UTC, datetime, timedelta

import pytest

from models import links
from models.rules.errors import ActionedError

KEY = "test-secret-key-not-for-production"


def test_a_link_round_trips_its_claim_and_issue_instant() -> None:
    issued = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    url = links.action_url("http://x/", KEY, action_id=7, assignment=2, now=issued)
    assert url.startswith("http://x/a/")
    claim = links.verify(KEY, url.rsplit("/", 1)[1], max_age_days=100000)
    assert (claim.role, claim.action_id, claim.assignment, claim.issued_at) == ("owner", 7, 2, issued)


@pytest.mark.parametrize(("role", "prefix"), [("owner", "/a/"), ("signer", "/s/")])
def test_each_role_has_its_own_page(role: str, prefix: str) -> None:
    assert links.action_url("", KEY, action_id=1, assignment=1, role=role).startswith(prefix)


def test_liaison_links_name_the_agency_and_report() -> None:
    url = links.liaison_url("", KEY, agency_id="dorset-police", report_id="safe-to-share")
    claim = links.verify(KEY, url.rsplit("/", 1)[1])
    assert (claim.role, claim.agency_id, claim.report_id, claim.action_id) == (
        "liaison",
        "dorset-police",
        "safe-to-share",
        None,
    )


def test_a_liaison_role_cannot_be_given_to_an_action_link() -> None:
    with pytest.raises(ValueError, match="role"):
        links.action_url("", KEY, action_id=1, assignment=1, role="liaison")


@pytest.mark.parametrize("days_ago", [46, 400])
def test_an_old_link_has_expired(days_ago: int) -> None:
    token = links.sign(
        KEY, links.LinkClaim(role="owner", action_id=1, assignment=1), now=datetime.now(UTC) - timedelta(days=days_ago)
    )
    with pytest.raises(links.InvalidLink, match="expired"):
        links.verify(KEY, token, max_age_days=45)


@pytest.mark.parametrize(
    ("age", "good"),
    [
        (timedelta(days=45) - timedelta(seconds=1), True),
        (timedelta(days=45), True),
        (timedelta(days=45, seconds=1), False),
    ],
)
def test_expiry_is_judged_on_the_instant_given(age: timedelta, good: bool) -> None:
    issued = datetime(2021, 5, 20, 9, 0, tzinfo=UTC)
    token = links.sign(KEY, links.LinkClaim(role="owner", action_id=1, assignment=1), now=issued)
    if good:
        assert links.verify(KEY, token, max_age_days=45, now=issued + age).action_id == 1
    else:
        with pytest.raises(links.InvalidLink, match="expired"):
            links.verify(KEY, token, max_age_days=45, now=issued + age)


def test_a_link_within_its_lifetime_is_good() -> None:
    token = links.sign(
        KEY, links.LinkClaim(role="owner", action_id=1, assignment=1), now=datetime.now(UTC) - timedelta(days=44)
    )
    assert links.verify(KEY, token, max_age_days=45).action_id == 1


@pytest.mark.parametrize("mangle", ["change", "truncate", "other-key", "empty"])
def test_a_tampered_link_is_refused(mangle: str) -> None:
    token = links.sign(KEY, links.LinkClaim(role="owner", action_id=1, assignment=1))
    if mangle == "change":
        token = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    elif mangle == "truncate":
        token = token[:-3]
    elif mangle == "other-key":
        token = links.sign("another-key", links.LinkClaim(role="owner", action_id=1, assignment=1))
    else:
        token = ""
    with pytest.raises(links.InvalidLink):
        links.verify(KEY, token)


@pytest.mark.parametrize(
    ("issued_ms", "revoked_ms", "revoked"),
    [(1000, None, False), (1000, 1001, True), (1000, 1000, True), (1002, 1001, False)],
)
def test_revocation_kills_links_issued_up_to_it(issued_ms: int, revoked_ms: int | None, revoked: bool) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    claim = links.LinkClaim(role="owner", action_id=1, assignment=1, issued_at=base + timedelta(milliseconds=issued_ms))
    at = None if revoked_ms is None else base + timedelta(milliseconds=revoked_ms)
    assert links.is_revoked(claim, at) is revoked


@pytest.mark.parametrize(("value", "days"), [(None, 45), ("", 45), ("7", 7), (" 90 ", 90)])
def test_link_lifetime_is_a_setting(value: str | None, days: int) -> None:
    env = {} if value is None else {"ACTIONED_LINK_DAYS": value}
    assert links.max_age_days(env) == days


@pytest.mark.parametrize("value", ["0", "-3", "soon", "1.5"])
def test_a_bad_link_lifetime_is_one_clear_error(value: str) -> None:
    with pytest.raises(ActionedError, match="ACTIONED_LINK_DAYS"):
        links.max_age_days({"ACTIONED_LINK_DAYS": value})
