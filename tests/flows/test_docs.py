"""Every command has help and is documented; the README's command table is the one the commands' help generates."""

from pathlib import Path

import pytest

from flows.cli import main
from flows.cli.reference import commands, rewritten

README = Path(__file__).resolve().parents[2] / "README.md"
NAMES = [c.name for c in commands()]


def test_the_readme_table_is_generated_from_the_commands_help():
    readme = README.read_text(encoding="utf-8")
    assert rewritten(readme) == readme, "README.md is stale: run `python -m flows.cli.reference`"


@pytest.mark.parametrize("name", NAMES)
def test_a_command_has_help(name, capsys):
    summary = next(c.summary for c in commands() if c.name == name)
    assert summary, f"actioned {name} has no help text"
    assert main([*name.split(), "--help"]) == 0
    assert f"actioned {name}" in capsys.readouterr().out


def test_the_main_commands_are_all_there():
    assert {"demo", "init", "report import", "report extract", "assign", "remind", "returns submit", "web"} <= set(
        NAMES
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_command_is_in_the_readme(name):
    assert f"`actioned {name}" in README.read_text(encoding="utf-8")


def test_a_stale_table_is_seen():
    readme = README.read_text(encoding="utf-8")
    stale = readme.replace("| `actioned init` |", "| `actioned init` (old) |")
    assert rewritten(stale) != stale
