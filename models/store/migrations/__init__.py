"""Alembic migrations. Until the first release the schema is one baseline revision, regenerated with
``python -m models.store.migrations.baseline`` whenever a table changes; tests/models/test_migrations.py fails while the
baseline and the tables disagree. After the first release, every change is a new revision.
"""
