"""Which command lines start Prefect's temporary server before anything else: those that always run a flow."""

import pytest

from flows.prefect_env import runs_a_flow


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", "--today", "2025-06-02"], True),
        (["remind"], True),
        (["remind", "--dry-run"], False),
        (["assign", "safe-to-share"], True),
        (["returns", "compile", "safe-to-share"], True),
        (["returns", "submit", "--today", "2025-06-02"], True),
        (["returns", "submit", "--dry-run"], False),
        (["returns", "check"], False),
        (["run", "--help"], False),
        (["status"], False),
        (["--help"], False),
        ([], False),
        (["report", "import", "run"], False),
    ],
)
def test_only_the_commands_that_run_a_flow_start_the_server_early(argv: list[str], expected: bool) -> None:
    assert runs_a_flow(argv) is expected
