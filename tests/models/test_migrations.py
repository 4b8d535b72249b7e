"""The Alembic baseline builds exactly the schema the tables declare, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models.store.tables  # noqa: F401
from models.store.db import current_engine, migrate


def test_the_baseline_and_the_tables_agree(db):
    with current_engine().connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], "run: python -m models.store.migrations.baseline"


def test_migrating_twice_changes_nothing(db):
    migrate()
    with current_engine().connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
