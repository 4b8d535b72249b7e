"""A report's ladder settings are checked when it is imported: one clear line naming the field, nothing written."""

from pathlib import Path

import yaml

from tests.returns.test_submit import COMMENTS_REPORT


def test_a_report_with_an_unreadable_ladder_setting_is_refused_at_import(registered, cli_in_process, tmp_path: Path):
    path = tmp_path / "report.yaml"
    definition = {**COMMENTS_REPORT, "id": "bad-ladder", "settings": {"ladder": {"chase_every_days": "weekly"}}}
    path.write_text(yaml.safe_dump(definition))
    result = cli_in_process("report", "import", str(path))
    assert result.code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "chase_every_days" in line
    assert str(path) in line
    assert "Traceback" not in result.stderr
    listed = cli_in_process("report", "list")
    assert "bad-ladder" not in listed.stdout
