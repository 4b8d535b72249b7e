"""The corpus of real published documents (tests/extraction/real/) and its score.

Each document has an expected-result file ``NAME.expected.yaml`` that records where the document comes from and
what a careful person reads in it; every key under ``expect`` (and every key of every expected item) is one check.
A document regenerated as PDF or DOCX from its real text is built by build_documents (``build:``) into a folder of
the caller's. ``python -m bench`` prints the score; tests/extraction/test_corpus.py requires all of it.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from models.extraction import read_document
from models.extraction.reading import Item, Reading, read
from models.rules.errors import ExtractionError

if TYPE_CHECKING:
    from collections.abc import Callable

REAL = Path(__file__).parent / "real"


@dataclass(frozen=True)
class Check:
    document: str
    what: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class Score:
    checks: tuple[Check, ...]
    documents: int
    reports: int
    layouts: tuple[str, ...]

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checks)

    @property
    def total(self) -> int:
        return len(self.checks)

    def line(self) -> str:
        share = 100 * self.passed / self.total if self.total else 0.0
        return (
            f"extraction corpus: {self.passed}/{self.total} checks ({share:.1f}%) on {self.documents} real documents "
            f"from {self.reports} reports"
        )


def expected_files() -> list[Path]:
    return sorted(REAL.glob("*.expected.yaml"))


def load(expected: Path) -> dict[str, Any]:
    spec = yaml.safe_load(expected.read_text(encoding="utf-8"))
    assert isinstance(spec, dict), expected
    return spec


def document_path(spec: dict[str, Any], built: Path) -> Path:
    """The document a spec is about: a committed file, or one built from real text into ``built``."""
    if "build" in spec:
        from tests.extraction import build_documents

        builder: Callable[[Path], Path] = getattr(build_documents, f"build_{spec['build']}")
        target = built / str(spec["file"])
        return target if target.exists() else builder(target)
    return REAL / str(spec["file"])


def _item_key(item: Item) -> str:
    return item.label


def _find(reading: Reading, wanted: dict[str, Any]) -> Item | None:
    for item in reading.items:
        if item.label != wanted["item"]:
            continue
        starts = wanted.get("text_starts")
        if starts is None or item.text.startswith(starts):
            return item
    return None


def _text_checks(name: str, label: str, value: str | None, wanted: dict[str, Any], prefix: str) -> list[Check]:
    checks: list[Check] = []
    value = value or ""
    for key, test in (
        ("", lambda v, w: v == w),
        ("_starts", lambda v, w: v.startswith(w)),
        ("_ends", lambda v, w: v.endswith(w)),
        ("_has", lambda v, w: all(x in v for x in ([w] if isinstance(w, str) else w))),
        ("_lacks", lambda v, w: not any(x in v for x in ([w] if isinstance(w, str) else w))),
    ):
        field = prefix + key
        if field in wanted:
            want = wanted[field]
            ok = not value if field == prefix and want is None else bool(test(value, want))
            checks.append(Check(name, f"{label}: {field}", ok, "" if ok else f"got {value[:120]!r}"))
    return checks


def check_item(name: str, reading: Reading, wanted: dict[str, Any]) -> list[Check]:
    label = wanted["item"] + (f" {wanted['text_starts'][:30]!r}" if "text_starts" in wanted else "")
    item = _find(reading, wanted)
    found = Check(name, f"{label}: found", item is not None, "" if item else "not found")
    if item is None:
        others = [k for k in wanted if k != "item"]
        return [found, *(Check(name, f"{label}: {k}", False, "item not found") for k in others)]
    checks = [found]
    checks.extend(_text_checks(name, label, item.text, wanted, "text"))
    checks.extend(_text_checks(name, label, item.response, wanted, "response"))
    for key in ("addressee", "status", "due_text", "confidence", "response_confidence", "method"):
        if key in wanted:
            got = getattr(item, key)
            ok = got == wanted[key]
            checks.append(Check(name, f"{label}: {key}", ok, "" if ok else f"got {got!r}"))
    if "due_on" in wanted:
        want = wanted["due_on"]
        ok = item.due_on == (want if isinstance(want, date) or want is None else date.fromisoformat(str(want)))
        checks.append(Check(name, f"{label}: due_on", ok, "" if ok else f"got {item.due_on}"))
    if "addressee_from_has" in wanted:
        ok = wanted["addressee_from_has"] in (item.addressee_from or "")
        checks.append(Check(name, f"{label}: addressee_from_has", ok, "" if ok else f"got {item.addressee_from!r}"))
    if "response_sure" in wanted:
        ok = item.response_sure == wanted["response_sure"]
        checks.append(Check(name, f"{label}: response_sure", ok, "" if ok else f"got {item.response_sure}"))
    if "column" in wanted:
        for header, value in wanted["column"].items():
            ok = dict(item.extra).get(header) == value
            checks.append(Check(name, f"{label}: column {header!r}", ok, "" if ok else f"got {dict(item.extra)}"))
    return checks


def check_document(spec: dict[str, Any], path: Path) -> list[Check]:
    name = spec["file"]
    expect: dict[str, Any] = spec.get("expect", {})
    try:
        reading = read(read_document(path))
    except ExtractionError as error:
        return [Check(name, "readable", "unreadable" in expect, str(error))]
    checks: list[Check] = []
    if "error" in expect:
        message = reading.nothing_found() if not reading.items else ""
        ok = bool(message) and expect["error"] in message and "\n" not in message
        checks.append(Check(name, "error line", ok, message or f"found {[i.label for i in reading.items]}"))
    if "count" in expect:
        ok = len(reading.items) == expect["count"]
        checks.append(Check(name, "count", ok, "" if ok else f"got {[i.label for i in reading.items]}"))
    if "published_on" in expect:
        want = expect["published_on"]
        ok = reading.published_on == want
        checks.append(Check(name, "published_on", ok, "" if ok else f"got {reading.published_on}"))
    if "signatory" in expect:
        got = reading.signatory.as_dict() if reading.signatory else None
        want = expect["signatory"]
        ok = (got is None and want is None) or (
            got is not None and want is not None and all(got.get(k) == v for k, v in want.items())
        )
        checks.append(Check(name, "signatory", ok, "" if ok else f"got {got}"))
    if "sign_off" in expect:
        got = reading.sign_off.as_dict() if reading.sign_off else None
        want = expect["sign_off"]
        ok = (got is None and want is None) or (
            got is not None and want is not None and all(got.get(k) == v for k, v in want.items())
        )
        checks.append(Check(name, "sign_off", ok, "" if ok else f"got {got}"))
    if "absent" in expect:
        everything = " ".join(
            f"{i.text} {i.response or ''} {i.addressee or ''} {i.status or ''}" for i in reading.items
        )
        for phrase in expect["absent"]:
            ok = phrase not in everything
            checks.append(Check(name, f"absent {phrase[:40]!r}", ok))
    for wanted in expect.get("items", []):
        checks.extend(check_item(name, reading, wanted))
    return checks


def score(built: Path) -> Score:
    checks: list[Check] = []
    reports: set[str] = set()
    layouts: list[str] = []
    files = expected_files()
    for expected in files:
        spec = load(expected)
        reports.add(spec["report"])
        layouts.extend(x for x in spec.get("layouts", []) if x not in layouts)
        checks.extend(check_document(spec, document_path(spec, built)))
    return Score(tuple(checks), len(files), len(reports), tuple(layouts))
