"""Configuration from the environment, with the defaults a fresh machine gets (see the README's table)."""

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


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
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
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


def normalise_database_url(url: str) -> str:
    """Plain ``postgresql://`` URLs use the psycopg 3 driver that the postgresql extra installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings in force now. Read afresh on every call: cheap, and tests can change the environment."""
    env = os.environ if env is None else env
    home = Path(env.get("ACTIONED_HOME") or ".actioned").expanduser().resolve()
    database_url = env.get("ACTIONED_DATABASE_URL") or f"sqlite:///{home / 'actioned.db'}"
    return Settings(
        home=home,
        database_url=normalise_database_url(database_url),
        smtp_url=env.get("ACTIONED_SMTP_URL") or None,
        mail_from=env.get("ACTIONED_MAIL_FROM") or "actioned@localhost",
        sandbox_to=env.get("ACTIONED_SANDBOX_TO") or None,
        base_url=(env.get("ACTIONED_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        secret_key_env=env.get("ACTIONED_SECRET_KEY") or None,
        oidc=_oidc(env),
        staff_file_env=env.get("ACTIONED_STAFF_FILE") or None,
        session_idle_minutes=int(env.get("ACTIONED_SESSION_IDLE_MINUTES") or 30),
        cookie_secure_env=env.get("ACTIONED_COOKIE_SECURE"),
    )
