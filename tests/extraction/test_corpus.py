"""The corpus of real published documents: every check of every expected-result file passes."""

from pathlib import Path

import pytest

from tests.extraction.corpus import REAL, Score, check_document, document_path, expected_files, load, score


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("real")


@pytest.mark.parametrize("expected", expected_files(), ids=lambda p: p.name.removesuffix(".expected.yaml"))
def test_every_check_of_a_real_document_passes(expected: Path, built: Path) -> None:
    spec = load(expected)
    checks = check_document(spec, document_path(spec, built))
    failed = [f"{c.what}: {c.detail}" for c in checks if not c.passed]
    assert checks, f"{expected.name} checks nothing"
    assert not failed, "\n".join(failed)


def test_each_document_records_where_it_comes_from() -> None:
    for expected in expected_files():
        spec = load(expected)
        for key in ("file", "source", "format", "publisher", "report", "side", "layouts", "expect"):
            assert spec.get(key), f"{expected.name}: no {key}"
        if "build" not in spec:
            assert (REAL / spec["file"]).is_file(), f"{expected.name}: {spec['file']} is missing"


def test_the_corpus_is_big_and_varied_enough(built: Path) -> None:
    result: Score = score(built)
    assert result.documents >= 25
    assert result.reports >= 8
    sides = {load(p)["side"] for p in expected_files()}
    assert {"report", "response"} <= sides
    assert result.passed == result.total, result.line()
