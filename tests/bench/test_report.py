"""The benchmark's own bookkeeping: each target clause judged, the two sides alternating, best rounds kept."""

from datetime import UTC, datetime

from bench.measure import Figure
from bench.report import render_markdown, verdict
from bench.suite import alternating, best
from bench.workload import Spec


def figure(measured: float, baseline: float, target: str, rss: float = 100.0) -> Figure:
    return Figure("b", "sqlite", "s", measured, baseline, rss, rss, target)


def test_each_clause_of_a_target_is_judged_and_all_must_hold() -> None:
    assert verdict(figure(1.1, 1.0, "time <= 1.2 x baseline; RSS < 300 MB")) == "meets"
    assert verdict(figure(1.3, 1.0, "time <= 1.2 x baseline; RSS < 300 MB")) == "misses"
    assert verdict(figure(1.1, 1.0, "time <= 1.2 x baseline; RSS < 300 MB", rss=310)) == "misses"
    assert verdict(figure(80, 100, "rate >= 0.8 x baseline")) == "meets"
    assert verdict(figure(79, 100, "rate >= 0.8 x baseline")) == "misses"
    assert verdict(figure(99, 4, "under 100 ms")) == "meets"
    assert verdict(figure(12, 2, "measured (information)")) == ""


def test_the_sides_alternate_from_round_to_round_with_a_reset_between_runs() -> None:
    calls: list[str] = []

    def side(name: str) -> dict[str, float]:
        calls.append(name)
        return {"seconds": float(len(calls))}

    ours, base = alternating(3, lambda: side("ours"), lambda: side("base"), lambda: calls.append("reset"))

    assert calls == ["ours", "reset", "base", "reset", "base", "reset", "ours", "reset", "ours", "reset", "base"]
    assert [r["seconds"] for r in ours] == [1, 7, 9]
    assert best(ours, lambda r: r["seconds"], highest=False) == {"seconds": 1}
    assert best(base, lambda r: r["seconds"], highest=True) == {"seconds": 11}
    assert len(base) == 3


def test_the_results_have_one_row_per_figure_with_the_ratio_in_its_own_column() -> None:
    figures = [figure(2.0, 1.0, "time <= 1.2 x baseline"), figure(50, 100, "rate >= 0.5 x baseline")]
    text = render_markdown(
        figures,
        skipped=[],
        info={"nproc": "2"},
        spec=Spec(reports=1, recommendations=1, agencies=10),
        took=1.0,
        at=datetime(2026, 12, 2, tzinfo=UTC),
    )
    table = [line for line in text.splitlines() if line.startswith("| b |")]
    assert len(table) == 2
    assert [line.split(" | ")[4] for line in table] == ["2.00", "0.50"]
    assert table[0].endswith("| misses |")
    assert table[1].endswith("| meets |")
