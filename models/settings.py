"""Configuration from the environment, with the defaults a fresh machine gets (see the README's table)."""

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from models.rules.errors import ActionedError

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
"""The data folder and everything in it (database, outbox, evidence, returns, key) are for its owner only."""
SUPPORTED_DATABASES = ("sqlite", "postgresql+psycopg")


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    smtp_url: str | None
    mail_from: str
    sandbox_to: str | None
    base_url: str
    secret_key_env: str | None
    oidc: "OidcSettings | None" = None
    """Staff sign-in, when ACTIONED_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET are all set."""
    staff_file_env: str | None = None
    session_idle_minutes: int = 30
    cookie_secure_env: str | None = None

    @property
    def staff_file(self) -> Path:
        """ACTIONED_STAFF_FILE: who may sign in to the staff pages, and as what (default: staff.yaml in the data
        folder).
        """
        return Path(self.staff_file_env).expanduser() if self.staff_file_env else self.home / "staff.yaml"

    @property
    def cookie_secure(self) -> bool:
        """Session cookies are Secure (sent over HTTPS only) unless ACTIONED_COOKIE_SECURE=false, which is for a
        local http://127.0.0.1 server only.
        """
        if self.cookie_secure_env is not None:
            return self.cookie_secure_env.strip().lower() not in ("0", "false", "no", "off")
        return True

    link_days: int = 45
    marking: str = "OFFICIAL"
    """The protective marking in every message's subject and body and every document's header and footer."""
    sandbox_apprise: str | None = None
    """ACTIONED_SANDBOX_APPRISE: with a sandbox address, the one channel every Teams/Slack post goes to instead."""
    outbox_only: bool = False
    """ACTIONED_OUTBOX_ONLY (set by ``actioned demo``): every message goes to the outbox, none to a server or hook."""

    @property
    def outbox(self) -> Path:
        """Where messages are written as .eml files when no SMTP server is configured."""
        return self.home / "outbox"

    @property
    def returns_dir(self) -> Path:
        return self.home / "returns"

    @property
    def evidence_dir(self) -> Path:
        return self.home / "evidence"

    def secret_key(self) -> str:
        """ACTIONED_SECRET_KEY, or a key generated once into the data folder and kept there."""
        if self.secret_key_env:
            return self.secret_key_env
        path = self.home / "secret.key"
        if not path.exists():
            _create_key(path)
        return path.read_text().strip()


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    tenants: frozenset[str] = frozenset()
    """ACTIONED_OIDC_TENANTS: Microsoft Entra tenant ids (``tid``) allowed to sign in, comma-separated; empty: any."""

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"


def _oidc(env: Mapping[str, str]) -> OidcSettings | None:
    issuer, client_id, secret = (env.get(f"ACTIONED_OIDC_{n}") or "" for n in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"))
    if not (issuer and client_id and secret):
        return None
    tenants = frozenset(t.strip().lower() for t in (env.get("ACTIONED_OIDC_TENANTS") or "").split(",") if t.strip())
    return OidcSettings(issuer=issuer, client_id=client_id, client_secret=secret, tenants=tenants)


def private_dir(path: Path) -> Path:
    """``path`` made, with every missing parent, readable by its owner only; an existing folder is left as it is."""
    missing = []
    folder = path
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made by another process meanwhile
            folder.mkdir(mode=PRIVATE_DIR)
        folder.chmod(PRIVATE_DIR)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """``data`` written whole into ``path`` (in a private folder), readable by its owner only: into a temporary file
    first and renamed, so a crash leaves the old file or the new one, never half of one.
    """
    private_dir(path.parent)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    partial.replace(path)
    return path


def _create_key(path: Path) -> None:
    """Write a new key whole into a private temporary file, then link it into place: ``os.link`` fails when the
    name exists, so of processes starting together on a new data folder exactly one key wins, and nobody ever reads
    a half-written (empty) file, as they could between an exclusive create and its write.
    """
    private_dir(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: use its key
            os.link(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def normalise_database_url(url: str) -> str:
    """Plain ``postgresql://`` URLs use the psycopg 3 driver that the postgresql extra installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def checked_home(value: str) -> Path:
    """ACTIONED_HOME as a folder that is, or can be made, a writable folder; one clear line otherwise."""
    try:
        home = Path(value).expanduser().resolve()
    except (OSError, RuntimeError) as exc:
        raise ActionedError(f"{value!r} is not a usable path ({exc})", field="ACTIONED_HOME") from None
    existing = home
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ActionedError(f"{existing} is a file, not a folder (ACTIONED_HOME={value!r})", field="ACTIONED_HOME")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ActionedError(f"{existing} is not writable (ACTIONED_HOME={value!r})", field="ACTIONED_HOME")
    return home


def checked_link_days(value: str | None) -> int:
    """ACTIONED_LINK_DAYS: a whole number of days of at least 1 (default 45)."""
    if value is None or not value.strip():
        return 45
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise ActionedError(f"{value!r} is not a whole number of days of at least 1", field="ACTIONED_LINK_DAYS")
    return days


def checked_database_url(url: str) -> str:
    """A database URL this installation can use (SQLite or PostgreSQL), checked before anything connects."""
    shown = url
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True)
    except ArgumentError:
        raise ActionedError(f"{url!r} is not a database URL", field="ACTIONED_DATABASE_URL") from None
    if parsed.drivername not in SUPPORTED_DATABASES:
        raise ActionedError(
            f"{shown!r}: unsupported database (use sqlite:///FILE or postgresql://...)", field="ACTIONED_DATABASE_URL"
        )
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings in force now: read again whenever an ACTIONED_ variable (or the current folder, which a relative
    data folder resolves against) has changed since the last call, so tests can change the environment.

    A data folder that cannot be one, a database URL of a kind not supported, or ACTIONED_LINK_DAYS that is not a
    positive whole number is refused here, with one line naming the variable, before anything is written.
    """
    global _last  # noqa: PLW0603  # one tuple, replaced whole: safe to read from any thread
    if env is not None:
        return _read_settings(env)
    cwd = os.getcwd()  # noqa: PTH109  # a plain string, compared on every call
    last = _last
    if last is not None and last.cwd == cwd and all(os.environ.get(k) == v for k, v in last.read):
        return last.settings
    seen = _Seen(os.environ)
    settings = _read_settings(seen)
    _last = _Read(tuple((k, os.environ.get(k)) for k in seen.names), cwd, settings)
    return settings


class _Seen(Mapping[str, str]):
    """The environment, noting the names looked up in it."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.names: list[str] = []

    def __getitem__(self, key: str) -> str:
        self.names.append(key)
        return self.env[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.env)

    def __len__(self) -> int:
        return len(self.env)


@dataclass(frozen=True)
class _Read:
    """The last settings read from the environment, with each variable the reading looked at (and its value then)
    and the current folder (a relative data folder resolves against it): while all are the same, the settings are.
    Every page asks for the settings, and reading them checks the data folder on disk (about a millisecond a request
    under load, measured).
    """

    read: tuple[tuple[str, str | None], ...]
    cwd: str
    settings: Settings


_last: _Read | None = None


def _read_settings(env: Mapping[str, str]) -> Settings:
    home = checked_home(env.get("ACTIONED_HOME") or ".actioned")
    database_url = env.get("ACTIONED_DATABASE_URL") or f"sqlite:///{home / 'actioned.db'}"
    return Settings(
        home=home,
        database_url=checked_database_url(normalise_database_url(database_url)),
        smtp_url=env.get("ACTIONED_SMTP_URL") or None,
        mail_from=env.get("ACTIONED_MAIL_FROM") or "actioned@localhost",
        sandbox_to=env.get("ACTIONED_SANDBOX_TO") or None,
        base_url=(env.get("ACTIONED_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        secret_key_env=env.get("ACTIONED_SECRET_KEY") or None,
        oidc=_oidc(env),
        staff_file_env=env.get("ACTIONED_STAFF_FILE") or None,
        session_idle_minutes=int(env.get("ACTIONED_SESSION_IDLE_MINUTES") or 30),
        cookie_secure_env=env.get("ACTIONED_COOKIE_SECURE"),
        link_days=checked_link_days(env.get("ACTIONED_LINK_DAYS")),
        marking=env.get("ACTIONED_MARKING", "OFFICIAL").strip(),
        sandbox_apprise=env.get("ACTIONED_SANDBOX_APPRISE") or None,
        outbox_only=(env.get("ACTIONED_OUTBOX_ONLY") or "").lower() in ("1", "yes", "true"),
    )
