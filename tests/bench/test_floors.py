"""The floors under the owner's page (``bench.floors``) are floors of that page: each layer answers, and the template
floors render the very page the owner gets (the same HTML but for the CSRF token), from the context kept.
"""

import json
import re
import secrets
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bench import floors, page
from bench.shared import setup
from bench.workload import Spec
from models.settings import Settings


def test_every_floor_answers_and_the_template_floor_is_the_owner_page(
    db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = setup(db.database_url, Spec(reports=2, recommendations=3, agencies=12, seed=5), sample=5)
    built = json.loads(json.dumps(built, default=str))
    secret_key = secrets.token_urlsafe(48)
    monkeypatch.setenv("ACTIONED_SECRET_KEY", secret_key)
    for name, value in page.STAFF_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ACTIONED_STAFF_FILE", str(tmp_path / "staff.yaml"))
    page.write_staff_file(tmp_path / "staff.yaml", set())
    app = TestClient(floors.floor_app(), follow_redirects=False)
    bare = TestClient(page.baseline_app())
    token, action_id = floors.links(built, secret_key)[0]
    answers = {}
    for name, served_by, path_of in floors.LAYERS:
        client = bare if served_by == page.BASELINE else app
        response = client.get(path_of(token, action_id))
        assert response.status_code == 200, name
        answers[name] = response.text
    without_token = re.compile(r'name="csrf_token" value="[^"]*"')

    def same(html: str) -> str:
        return without_token.sub("", html)

    owner_page = same(answers["the owner page"])
    assert "your action" in owner_page
    assert same(answers["the owner page's template, context kept, on the event loop"]) == owner_page
    assert same(answers["the same, rendered in the thread pool"]) == owner_page
    assert "your action" not in answers["our application, a fixed small page"]
    assert app.get("/a/not-a-token/_floor-template").status_code == 403, "a floor still refuses a link that is not one"
