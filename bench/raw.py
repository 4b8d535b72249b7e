"""Bare connections through the standard drivers (sqlite3, psycopg), for the baselines.

They are set up as our engine sets up its own (SQLite: foreign keys on, WAL, synchronous NORMAL), so a baseline differs
from the measured code only in what the benchmark is about.
"""

import sqlite3
from datetime import UTC, date, datetime
from typing import Any

PARAM = {"sqlite": "?", "postgresql": "%s"}


def kind_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def connect(url: str) -> Any:
    """A DB-API connection to the database behind a SQLAlchemy URL, in a transaction."""
    if kind_of(url) == "sqlite":
        conn = sqlite3.connect(url.split("///", 1)[1], timeout=30)
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))


def sql(url: str, statement: str) -> str:
    """A statement written with ``?`` placeholders, in the driver's own style."""
    return statement if kind_of(url) == "sqlite" else statement.replace("?", "%s")


def instant(url: str, value: datetime) -> Any:
    """An aware datetime as the driver stores it for our UTC columns (SQLAlchemy's text format on SQLite)."""
    if kind_of(url) == "sqlite":
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def day(url: str, value: date | None) -> Any:
    if value is None or kind_of(url) != "sqlite":
        return value
    return value.isoformat()


def to_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
