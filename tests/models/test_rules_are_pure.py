"""The rule modules import the standard library and each other only: no database, no I/O library, no clock."""

import ast
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "models" / "rules"


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(RULES.glob("*.py")), ids=lambda p: p.name)
def test_a_rule_module_imports_only_the_standard_library_and_other_rules(path: Path) -> None:
    foreign = {
        name
        for name in _imported(path)
        if not name.startswith("models.rules") and name.split(".")[0] not in sys.stdlib_module_names
    }
    assert not foreign, f"{path.name} imports {sorted(foreign)}"


def test_the_check_sees_a_foreign_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import sqlalchemy\nfrom models.store import tables\nfrom datetime import date\n")
    assert _imported(module) == {"sqlalchemy", "models.store", "datetime"}
