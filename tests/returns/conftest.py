"""Fixtures for returns: Wiltshire Police's published return, recorded through the repository as a user would."""

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document

from models.settings import Settings
from models.store.db import session_scope
from models.store.return_comments import record_return_content

SEED_RETURN = Path(__file__).with_name("wiltshire-police-return.yaml")
LIAISON = "morgan.hale@wiltshire-police.example"


@pytest.fixture(scope="session")
def seed_return() -> dict[str, Any]:
    data = yaml.safe_load(SEED_RETURN.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def record_seed(seed: dict[str, Any]) -> None:
    with session_scope() as session:
        record_return_content(session, report_id="safe-to-share", seed=seed, by=LIAISON)


@pytest.fixture
def answered(assigned: Settings, seed_return: dict[str, Any]) -> Settings:
    """As ``assigned``, with Wiltshire Police's responses and comments recorded as in its published return."""
    record_seed(seed_return)
    return assigned


def read_docx(data: bytes) -> Any:
    return Document(io.BytesIO(data))
