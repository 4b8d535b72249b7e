"""A real IMAP server for the tests: Debian's dovecot-imapd, started with its own configuration in a temporary folder
on a free port of 127.0.0.1 (plain text, one user with a password), stopped afterwards. Skips when dovecot is absent
(``.ci/run`` installs it).
"""

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "returns", "test-password-not-real"


@dataclass(frozen=True)
class ImapServer:
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def append(self, raw: bytes) -> None:
        """Deliver a message to the mailbox as a mail server would (IMAP APPEND)."""
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
        client.logout()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


CONFIG = """\
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
info_log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{folder}/mail/%u
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
service pop3-login {{
  chroot =
}}
"""


def _accounts() -> tuple[str, str, str, int, int]:
    """(internal user, its group, login user, mail uid, mail gid): ourselves, or, as root (dovecot refuses to run its
    logins and mail as root), Debian's dovecot and dovenull accounts.
    """
    import grp
    import pwd

    if os.getuid() != 0:
        me = pwd.getpwuid(os.getuid()).pw_name
        return me, grp.getgrgid(os.getgid()).gr_name, me, os.getuid(), os.getgid()
    try:
        dovecot = pwd.getpwnam("dovecot")
        pwd.getpwnam("dovenull")
    except KeyError:
        pytest.skip("dovecot's system accounts (dovecot, dovenull) are missing: reinstall dovecot-core")
    return "dovecot", grp.getgrgid(dovecot.pw_gid).gr_name, "dovenull", dovecot.pw_uid, dovecot.pw_gid


@contextmanager
def running() -> Iterator[ImapServer]:
    """A fresh dovecot in a folder of its own (under the system's temp folder, readable by dovecot's accounts)."""
    if not Path(DOVECOT).exists():
        pytest.skip("Debian's dovecot-imapd is not installed (apt-get install -y dovecot-imapd)")
    folder = Path(tempfile.mkdtemp(prefix="actioned-imap-"))
    folder.chmod(0o755)
    user, group, login_user, uid, gid = _accounts()
    port = _free_port()
    for sub in ("run", "state", "mail", "home"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for sub in ("mail", "home"):
        os.chown(folder / sub, uid, gid)
    (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    config = folder / "dovecot.conf"
    config.write_text(
        CONFIG.format(folder=folder, port=port, uid=uid, gid=gid, user=user, group=group, login_user=login_user)
    )
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
                    err = proc.stderr.read().decode() if proc.stderr and proc.poll() is not None else ""
                    pytest.fail(f"dovecot did not start: {err} {log}")
                time.sleep(0.1)
        yield ImapServer(port=port, folder=folder)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
