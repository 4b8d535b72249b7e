"""Throwaway databases for a benchmark run: a SQLite file in a temporary folder, or a PostgreSQL schema of its own.

PostgreSQL comes from ACTIONED_BENCH_DATABASE_URL (default: the local test server). Each schema is created for the run
and dropped at the end, whatever happens.
"""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models.settings import normalise_database_url
from models.store.db import engine_for

DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/test"
KINDS = ("sqlite", "postgresql")


def postgresql_base() -> str:
    return normalise_database_url(os.environ.get("ACTIONED_BENCH_DATABASE_URL") or DEFAULT_POSTGRESQL)


def with_schema(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def throwaway(kind: str, name: str = "bench") -> Iterator[str]:
    """A URL for an empty database of ``kind`` that is removed when the block ends."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="actioned-bench-") as tmp:
            yield f"sqlite:///{Path(tmp) / f'{name}.db'}"
        return
    if kind != "postgresql":
        raise ValueError(f"database: {kind!r} (expected one of {', '.join(KINDS)})")
    base = postgresql_base()
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with engine_for(base).begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_schema(base, schema)
    finally:
        engine_for(with_schema(base, schema)).dispose()
        with engine_for(base).begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
