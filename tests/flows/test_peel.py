"""A PEEL report (one force's inspection, with areas for improvement) imported and tracked for that force only; an
unknown kind of finding is one clear line that changes nothing.
"""

from datetime import date
from pathlib import Path

from sqlmodel import col, select

from models.rules.vocabulary import ItemKind, ReturnKind
from models.store.db import session_scope
from models.store.fanout import fan_out
from models.store.returns import list_due
from models.store.tables import Action, Recommendation
from tests.flows.test_cli_register import snapshot

PEEL = Path(__file__).resolve().parents[2] / "models" / "data" / "examples" / "peel-wiltshire-2021-22.yaml"


def test_a_peel_report_is_tracked_for_its_force_only(cli_in_process, tmp_path: Path):
    cli = cli_in_process
    assert cli("init", "--examples").code == 0
    result = cli("report", "import", str(PEEL))
    assert result.code == 0, result.stderr
    with session_scope() as session:
        fan_out(session, report_id="peel-wiltshire-2021-22")
        pairs = session.exec(
            select(Action, Recommendation)
            .join(Recommendation, col(Recommendation.id) == Action.recommendation_id)
            .where(Action.report_id == "peel-wiltshire-2021-22")
            .order_by(col(Recommendation.number), col(Action.agency_id))
        ).all()
        rows = [(a.agency_id, r.kind, r.number, a.owner_email, a.due_on) for a, r in pairs]
        owes = [c.agency_id for c in list_due(session, today=date(2022, 7, 8), kind=ReturnKind.COMMENTS)
                if c.report_id == "peel-wiltshire-2021-22"]  # fmt: skip
    assert [(a, k, n) for a, k, n, _, _ in rows] == [
        ("wiltshire-police", ItemKind.AREA_FOR_IMPROVEMENT, "1"),
        ("wiltshire-police", ItemKind.AREA_FOR_IMPROVEMENT, "2"),
        ("wiltshire-police", ItemKind.AREA_FOR_IMPROVEMENT, "3"),
        ("wiltshire-pcc", ItemKind.AREA_FOR_IMPROVEMENT, "4"),
        ("wiltshire-police", ItemKind.AREA_FOR_IMPROVEMENT, "4"),
    ]
    assert {o for a, _, _, o, _ in rows if a == "wiltshire-police"} == {"sam.carter@wiltshire-police.example"}
    assert {d for *_, d in rows} == {date(2023, 7, 8)}
    assert owes == ["wiltshire-pcc"]  # s.55: only the body of the force the report is about

    bad = tmp_path / "bad.yaml"
    bad.write_text(PEEL.read_text().replace("kind: area_for_improvement", "kind: finding", 1))
    before = snapshot()
    refused = cli("report", "import", str(bad))
    assert refused.code == 1
    assert refused.stderr.strip().endswith(
        "recommendations[0].kind: Input should be 'recommendation', 'cause_of_concern', 'area_for_improvement' "
        "or 'action' (got 'finding')"
    )
    assert snapshot() == before
