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
            self.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


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
        sandbox_apprise=env.get("ACTIONED_SANDBOX_APPRISE") or None,
        outbox_only=(env.get("ACTIONED_OUTBOX_ONLY") or "").lower() in ("1", "yes", "true"),
    )
