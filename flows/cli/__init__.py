"""The ``actioned`` command line: a thin layer over the repository functions and the flows.

Every command exits 0 on success, 1 on a user error with one clear line on stderr, and writes nothing on failure.
"""

import sys

import typer

try:  # typer >= 0.24 carries its own copy of click
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer on plain click
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

from flows.cli import contacts as _contacts  # noqa: F401
from flows.cli import demo as _demo  # noqa: F401
from flows.cli import extract as _extract  # noqa: F401
from flows.cli import item_links as _item_links  # noqa: F401
from flows.cli import national as _national  # noqa: F401

# The command modules register themselves on the app.
from flows.cli import register as _register  # noqa: F401
from flows.cli import remind as _remind  # noqa: F401
from flows.cli import returns as _returns  # noqa: F401
from flows.cli import s55 as _s55  # noqa: F401
from flows.cli import tasks as _tasks  # noqa: F401
from flows.cli import web as _web  # noqa: F401
from flows.cli import workflow as _workflow  # noqa: F401
from flows.cli import workplace as _workplace  # noqa: F401
from flows.cli.app import app
from flows.prefect_env import configure, started_early
from models.rules.errors import ActionedError
from models.settings import load_settings
from notifications.transport import parse_smtp_url

__all__ = ["app", "main"]


def check_environment() -> None:
    """Every setting checked before any command runs, so a bad one is one line and nothing is written: the data
    folder, the database URL's kind, ACTIONED_LINK_DAYS (in ``load_settings``) and ACTIONED_SMTP_URL.
    """
    settings = load_settings()
    if settings.smtp_url:
        parse_smtp_url(settings.smtp_url)


def one_line(exc: Exception) -> str:
    """A user error as it is; a file-system one (a bad ACTIONED_HOME, a full disk) as the file and the reason."""
    if isinstance(exc, OSError):
        return (f"{exc.filename}: " if exc.filename else "") + (exc.strerror or str(exc))
    return str(exc)


def main(argv: list[str] | None = None) -> int:
    """The console script: run a command, turning user errors into one line on stderr and exit status 1."""
    configure()
    # Only as the console script (a process of its own): a caller in-process (a test) has its own Prefect set-up.
    with started_early(sys.argv[1:] if argv is None else []):
        return _command(argv)


def _command(argv: list[str] | None) -> int:
    try:
        check_environment()
        app(args=argv, prog_name="actioned", standalone_mode=False)
    except (ActionedError, OSError) as exc:
        print(f"actioned: error: {one_line(exc)}", file=sys.stderr)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        print("actioned: aborted", file=sys.stderr)
        return 1
    except click_exceptions.NoArgsIsHelpError as exc:
        print(exc.format_message())  # a bare group: its help, as --help would show it
        return 0
    except click_exceptions.ClickException as exc:
        print(f"actioned: error: {exc.format_message()} (see actioned --help)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
