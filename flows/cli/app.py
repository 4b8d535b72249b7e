"""The Typer application, its command groups and the small helpers every command module shares."""

import getpass
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import typer
from sqlmodel import Session

from models import clock
from models.rules.errors import ActionedError
from models.settings import Settings, load_settings
from models.store.db import migrate, session_scope

app = typer.Typer(
    name="actioned",
    help="Make sure inspection recommendations are owned, acted on and reported back on time.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
report_app = typer.Typer(help="Reports and their recommendations.", no_args_is_help=True)
agencies_app = typer.Typer(help="The agency register and contacts.", no_args_is_help=True)
actions_app = typer.Typer(help="Many actions at once.", no_args_is_help=True)
action_app = typer.Typer(help="One action: show, update, assign, link.", no_args_is_help=True)
returns_app = typer.Typer(help="Progress returns to the inspectorate.", no_args_is_help=True)
app.add_typer(report_app, name="report")
app.add_typer(agencies_app, name="agencies")
app.add_typer(actions_app, name="actions")
app.add_typer(action_app, name="action")
app.add_typer(returns_app, name="returns")


def settings() -> Settings:
    return load_settings()


@contextmanager
def database() -> Iterator[Session]:
    """The configured database, brought to the newest schema, in one transaction (rolled back on any error)."""
    migrate()
    with session_scope() as session:
        yield session


def parse_date(value: str | None, *, field: str) -> date | None:
    """An ISO date from the command line, or one line that names the option and what was expected."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ActionedError(f"{field}: {value!r} is not a date (expected YYYY-MM-DD, a real calendar day)") from None


def today_or(value: str | None, *, field: str = "--today") -> date:
    return parse_date(value, field=field) or clock.today()


def actor(by: str | None) -> str:
    """Who made a change: --by, else the operating-system user at the command line."""
    return by or f"{getpass.getuser()}@cli"


def existing_file(path: Path) -> Path:
    if not path.exists():
        raise ActionedError(f"{path}: no such file")
    if path.is_dir():
        raise ActionedError(f"{path}: is a folder, not a file")
    return path


def echo(text: str = "") -> None:
    typer.echo(text)


def warn(text: str) -> None:
    print(f"warning: {text}", file=sys.stderr)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table that reads in a terminal and in a log file alike."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
