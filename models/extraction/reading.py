"""One reading of a document: every item found, how it was found and how sure the reader is, and what was left over.

The report definition (report.extract_report), the responses (responses.extract_responses), the corpus score and
the staff's review of an import all use this one result. Pure: a Document in, a Reading out.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from models.extraction.addressees import subject_of
from models.extraction.columns import parse_column_tables
from models.extraction.dates_text import DATE_PATTERN, parse_date_match
from models.extraction.deadlines_text import choose_deadline, find_deadlines
from models.extraction.document import Block, Document
from models.extraction.markup import collapse, ends_sentence
from models.extraction.recommendations import Found, Parsed, Unplaced, parse_running_text, parse_table_rows
from models.extraction.signatures import Signatory, SignOff, find_sign_off, find_signatory
from models.rules.deadlines import DayCount

Confidence = Literal["high", "medium", "low"]

LOOKED_FOR = (
    "'Recommendation N' and 'Action N' headings, numbered paragraphs under a 'Recommendations' heading or after a "
    "lead-in ('The Home Office should:'), numbers on their own line, 'Recommendation' headings with no number, "
    "'should' paragraphs under 'Areas for improvement', register entries, and tables of recommendations"
)

KIND_WORDS = {
    "recommendation": "recommendation",
    "action": "action",
    "area_for_improvement": "area for improvement",
    "cause_of_concern": "cause of concern",
}


@dataclass(frozen=True)
class Item:
    """A recommendation (or action, area for improvement, cause of concern) as read, with its provenance."""

    kind: str
    number: str | None
    text: str
    location: str
    method: str
    confidence: Confidence
    addressee: str | None = None
    addressee_from: str | None = None
    due_on: date | None = None
    due_text: str | None = None
    status: str | None = None
    response: str | None = None
    response_from: str | None = None
    response_confidence: Confidence | None = None
    doubts: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        word = KIND_WORDS.get(self.kind, self.kind)
        return f"{word} {self.number}" if self.number else f"{word} (no number)"

    @property
    def response_sure(self) -> bool:
        return self.response is not None and self.response_confidence == "high"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "text": self.text,
            "addressee": self.addressee,
            "addressee_from": self.addressee_from,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "due_text": self.due_text,
            "status": self.status,
            "response": self.response,
            "response_from": self.response_from,
            "response_confidence": self.response_confidence,
            "method": self.method,
            "confidence": self.confidence,
            "doubts": list(self.doubts),
            "location": self.location,
            "columns": dict(self.extra),
        }


@dataclass
class Reading:
    name: str
    items: list[Item] = field(default_factory=list)
    leftovers: list[Unplaced] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    published_on: date | None = None
    published_from: str | None = None
    signatory: Signatory | None = None
    sign_off: SignOff | None = None
    used: set[str] = field(default_factory=set)
    """The locations of the blocks that went into items."""
    seen: str = ""
    """What the document held, for the line that says nothing was found ("12 paragraphs, 3 headings")."""

    def as_dict(self) -> dict[str, Any]:
        """What the review of an import shows: what was found, how sure, what was left over."""
        return {
            "document": self.name,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "published_from": self.published_from,
            "signatory": None if self.signatory is None else self.signatory.as_dict(),
            "sign_off": None if self.sign_off is None else self.sign_off.as_dict(),
            "items": [item.as_dict() for item in self.items],
            "left_over": [{"location": u.location, "text": u.text} for u in self.leftovers],
            "unsure": [f"{i.location}: {i.label}: {'; '.join(i.doubts)}" for i in self.items if i.confidence != "high"],
        }

    def nothing_found(self) -> str:
        """The one line for a document with no items: what was looked for and what was seen."""
        return f"{self.name}: no recommendations found (looked for {LOOKED_FOR}; saw {self.seen or 'no text'})"


def _seen(blocks: tuple[Block, ...]) -> str:
    names = {"line": "lines", "paragraph": "paragraphs", "heading": "headings", "row": "table rows"}
    counts = {kind: sum(b.kind == kind for b in blocks) for kind in names}
    return ", ".join(f"{n} {names[k]}" for k, n in counts.items() if n)


_PUBLISHED_START = re.compile(
    r"^(?:first\s+)?(?:published|publication\s+date|date\s+of\s+publication|date\s+published)\s*:?\s*(?:on\s*:?\s*)?"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
_WAS_PUBLISHED = re.compile(r"\b(?:report|it|which)\b[^.]{0,200}?\bwas\s+published\s+on\s+(?:the\s+)?", re.IGNORECASE)


def published_on(document: Document) -> tuple[date | None, str | None, list[str]]:
    """The publication date the text states, how it was found, and warnings.

    Only a paragraph that starts "Published (on)" ("Published on: 30 March 2023", "Published 29 April 2020") or a
    sentence saying the report "was published on (the) 2 November 2022" counts: "its plan, published 1 April 2021"
    names another document's date.
    """
    warnings: list[str] = []
    for block in document.blocks:
        if block.kind not in ("line", "paragraph", "heading"):
            continue
        text = collapse(block.cells[0]).lstrip("•●▪◦-–* ")
        for pattern, how in (
            (_PUBLISHED_START, "a 'Published' line"),
            (_WAS_PUBLISHED, "'the report was published on'"),
        ):
            marker = pattern.match(text) if pattern is _PUBLISHED_START else pattern.search(text)
            if marker is None:
                continue
            match = DATE_PATTERN.match(text, marker.end())
            if match is None:
                continue
            try:
                return parse_date_match(match), f"{block.location}: {how}", warnings
            except ValueError:
                warnings.append(f"{block.location}: publication date {match.group(0)!r} is not a real date")
    return None, None, warnings


_FOR_WHOM = re.compile(
    r"^this (?:action|recommendation) (?:was|is) (?:for|addressed to) (?P<who>.+?) to\b", re.IGNORECASE
)


def _addressee(found: Found, text: str) -> tuple[str | None, str | None]:
    if found.addressee:
        return found.addressee, found.addressee_from or "the addressee line"
    match = _FOR_WHOM.match(text)
    if match:
        return match.group("who"), "the lead-in ('This action was for ... to')"
    subject = subject_of(text)
    if subject:
        return subject, "the subject of its first sentence"
    return None, None


def read(
    document: Document,
    *,
    published: date | None = None,
    convention: DayCount = DayCount.AFTER,
) -> Reading:
    """Every item the document holds, with method and confidence, and everything left over."""
    reading = Reading(name=document.name, warnings=list(document.warnings))
    found_date, how, date_warnings = published_on(document)
    reading.warnings.extend(date_warnings)
    reading.published_on, reading.published_from = (published, "given") if published else (found_date, how)
    reading.signatory = find_signatory(document.blocks)
    reading.sign_off = find_sign_off(document.blocks)
    columns, used = parse_column_tables(document.blocks)
    rest = tuple(Block("blank", (), b.location) if b.location in used else b for b in document.blocks)
    running = parse_running_text(rest)
    table = parse_table_rows(rest)
    found = parents(merge([columns, running, table], reading.warnings), reading.warnings)
    reading.leftovers = [*columns.unplaced, *running.unplaced, *table.unplaced]
    reading.used = used | running.used
    reading.warnings.extend(table.warnings)
    for index, item in enumerate(found):
        reading.items.append(
            _item(item, reading.published_on, convention, cut=index == len(found) - 1 and item.may_be_cut)
        )
    reading.seen = _seen(document.blocks)
    return reading


def merge(parses: list[Parsed], warnings: list[str]) -> list[Found]:
    """Every parse's items in document order; a number seen again (a summary list and the chapter that repeats it)
    is kept once, the first time, with a warning that says whether the later text differs.
    """
    kept: dict[tuple[str, str], Found] = {}
    result: list[Found] = []
    everything = [f for parsed in parses for f in parsed.found]
    for found in sorted(everything, key=lambda f: f.order):
        if not found.number:
            result.append(found)
            continue
        key = (found.kind, found.number)
        if key in kept:
            same = kept[key].text.render() == found.text.render()
            warnings.append(
                f"{found.location}: {found.kind} {found.number} appears again"
                f" ({'same text' if same else 'different text'}): kept the one at {kept[key].location}"
            )
            continue
        kept[key] = found
        result.append(found)
    return result


def parents(found: list[Found], warnings: list[str]) -> list[Found]:
    """Recommendation 7 whose text is only a lead-in ("The Home Office should:") for 7.1 and 7.2: the parts inherit
    its addressee and the lead-in is reported rather than made a recommendation of its own.
    """
    result: list[Found] = []
    for item in found:
        children = (
            [f for f in found if f.number.startswith(item.number + ".") and f.kind == item.kind] if item.number else []
        )
        if children:
            text = item.text.render()
            addressee = item.addressee or (subject_of(text) if text else None)
            for child in children:
                if child.addressee is None and addressee:
                    child.addressee = addressee
                    child.addressee_from = child.addressee_from or f"{item.kind} {item.number}'s lead-in"
            if not text or text.rstrip().endswith(":"):
                if text:
                    warnings.append(
                        f"{item.location}: {item.kind} {item.number}'s lead-in {text!r} belongs to "
                        f"{', '.join(c.number for c in children)}: not a recommendation of its own"
                    )
                continue
        result.append(item)
    return result


def _item(found: Found, published: date | None, convention: DayCount, *, cut: bool) -> Item:
    text = found.text.render()
    doubts = list(found.doubts)
    addressee, addressee_from = _addressee(found, text)
    deadline_source = found.due_cell or text
    deadline, problems = choose_deadline(find_deadlines(_as_deadline(deadline_source), published, convention))
    doubts.extend(problems)
    response = found.response.render() if found.response is not None else None
    response = response or None
    response_confidence: Confidence | None = None
    if response is not None:
        response_confidence = "high" if found.response_sure else "low"
        if cut and not ends_sentence(response):
            response_confidence = "low"
            doubts.append("the response stops mid-sentence where the document ends: it may be cut")
    elif cut and text and not _ends_item(text):
        doubts.append("the text stops mid-sentence where the document ends: it may be cut")
    if not text:
        doubts.append("no text")
    numbered = bool(found.number)
    if not text or any("cut" in d for d in doubts if "response" not in d):
        confidence: Confidence = "low"
    elif not numbered or found.doubts:
        confidence = "medium"
    else:
        confidence = "high"
    return Item(
        kind=found.kind,
        number=found.number or None,
        text=text,
        location=found.location,
        method=found.method,
        confidence=confidence,
        addressee=addressee,
        addressee_from=addressee_from,
        due_on=deadline.due_on if deadline else None,
        due_text=deadline.due_text if deadline else None,
        status=found.status,
        response=response,
        response_from=found.response_from if response else None,
        response_confidence=response_confidence,
        doubts=tuple(doubts),
        extra=tuple(found.extra.items()),
    )


def _as_deadline(cell: str) -> str:
    """A date column ("30 Sep 2023") reads as a deadline ("by 30 Sep 2023"); a text is read as written."""
    if DATE_PATTERN.match(cell.strip()) or re.match(r"^[A-Z][a-z]+ \d{1,2}, \d{4}", cell.strip()):
        return f"by {cell}"
    return cell


def _ends_item(text: str) -> bool:
    return ends_sentence(text) or bool(re.search(r"\b(?:and|or)$", text.rstrip()))
