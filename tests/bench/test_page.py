"""The page benchmark's requests are the ones a person makes: its staff session cookie opens the staff pages as the
agency's liaison officer (and no other agency's), and every page and its bare endpoint answer with a page.
"""

import json
import secrets
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bench import page
from bench.shared import setup
from bench.workload import Spec
from models.settings import Settings


def our_app(monkeypatch: pytest.MonkeyPatch, folder: Path, secret_key: str, agencies: set[str]) -> TestClient:
    """The app as the benchmark serves it: sign-in configured, the agencies' liaison officers in the staff file."""
    page.write_staff_file(folder / "staff.yaml", agencies)
    env = {**page.STAFF_ENV, "ACTIONED_SECRET_KEY": secret_key, "ACTIONED_STAFF_FILE": str(folder / "staff.yaml")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    from web.app import create_app

    return TestClient(create_app(), follow_redirects=False)


def test_every_benchmarked_page_and_its_baseline_answer_with_a_page(
    db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = setup(db.database_url, Spec(reports=2, recommendations=3, agencies=12, seed=5), sample=5)
    built = json.loads(json.dumps(built, default=str))  # as the benchmark hands it over: through JSON
    secret_key = secrets.token_urlsafe(48)
    agencies = {item[0] for sample in ("liaison", "action", "agency") for item in built[sample]}
    ours = our_app(monkeypatch, tmp_path, secret_key, agencies)
    page.write_draft(db.home / "imports")
    bare = TestClient(page.baseline_app())
    for p in page.PAGES:
        item = built[p.sample][0]
        target = p.target(item, secret_key)
        path, cookie = (target, None) if isinstance(target, str) else target
        response = ours.get(path, headers={"Cookie": cookie} if cookie else {})
        assert response.status_code == 200, (p.name, response.status_code)
        assert "<!DOCTYPE html>" in response.text or "<!doctype html>" in response.text.lower()
        assert bare.get(p.baseline(item)).status_code == 200, p.name
    assert {"staff action page", "register page", "delivery log", "import review"} <= {p.name for p in page.PAGES}


def test_the_staff_session_cookie_is_one_agency_s_liaison_officer(
    db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = setup(db.database_url, Spec(reports=2, recommendations=3, agencies=12, seed=5), sample=50)
    pairs = [tuple(item) for item in built["liaison"]]
    (mine, report), other = pairs[0], next(a for a, _ in pairs if a != pairs[0][0])
    secret_key = secrets.token_urlsafe(48)
    client = our_app(monkeypatch, tmp_path, secret_key, {mine})

    def status(path: str, cookie: str | None) -> int:
        client.cookies.clear()  # only the cookie given: not the renewed one the last response set
        return int(client.get(path, headers={"Cookie": cookie} if cookie else {}).status_code)

    mine_page, other_page = f"/agencies/{mine}/reports/{report}", f"/agencies/{other}/reports/{report}"
    cookie = page.session_cookie(secret_key, mine)
    assert status(mine_page, cookie) == 200
    assert status(other_page, cookie) == 403
    assert status(mine_page, None) == 503, "no session: sign-in needed (the benchmark names an issuer never there)"
    assert status(mine_page, page.session_cookie(secrets.token_urlsafe(48), mine)) == 503, "signed with another key"
    assert status("/admin/register", cookie) == 403, "a liaison officer is not an administrator"
    assert status("/admin/register", page.admin_cookie(secret_key)) == 200
