"""Where every addressed agency's return stands ("national status"): state, working days late, RAG, the last
message sent, and the late list from the return date.
"""

import json

from tests.national.conftest import DUE, submit


def test_the_late_list_after_the_return_date(answered, smtp, cli_in_process):
    submit(DUE)  # Wiltshire Police's return goes; the others are told what is missing
    result = cli_in_process("national", "status", "safe-to-share", "--today", "2021-06-24", "--json")
    assert result.code == 0, result.stderr
    rows = {r["agency"]: r for r in json.loads(result.stdout)}
    assert rows["wiltshire-police"]["return"] == "accepted"
    assert rows["wiltshire-police"]["days_late"] == 0
    assert rows["dorset-police"]["return"] == "not_started"
    assert rows["dorset-police"]["days_late"] == 5  # Friday 18 to Thursday 24 June: five working days
    assert rows["dorset-police"]["rag"] == "red"
    assert rows["avon-and-somerset-police"]["last_message"].startswith("return-missing to ")
    late = cli_in_process("national", "status", "safe-to-share", "--today", "2021-06-24", "--late", "--json")
    late_ids = {r["agency"] for r in json.loads(late.stdout)}
    assert "wiltshire-police" not in late_ids
    assert late_ids == {a for a, r in rows.items() if r["return"] != "accepted"}
    on_time = cli_in_process("national", "status", "safe-to-share", "--today", DUE.isoformat(), "--late", "--json")
    assert json.loads(on_time.stdout) == []


def test_status_of_an_unknown_report_is_one_line(db, cli_in_process):
    result = cli_in_process("national", "status", "nope")
    assert result.code == 1
    assert result.stderr.count("\n") == 1
