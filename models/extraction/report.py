"""A document's blocks -> a report definition (the YAML shape ``actioned report import`` takes) and warnings.

Pure: the caller reads the file (readers.read_document) and passes the register's alias table and resolver.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.extraction.addressees import Resolver, resolve_groups
from models.extraction.dates_text import DATE_PATTERN
from models.extraction.deadlines_text import NUMBER_WORDS
from models.extraction.document import Document
from models.extraction.markup import collapse, paragraphs_of
from models.extraction.reading import Item, read
from models.extraction.responses import _RESPONSE_OF, extract_responses
from models.rules.deadlines import DayCount
from models.rules.errors import ExtractionError
from models.rules.recipients import resolve_addressee

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_RETURN_WORDS = re.compile(
    r"\b(?:update|progress|send|sent|provide|provided|return|email|e-mail|contact)\b", re.IGNORECASE
)
_RETURN_MONTHS = re.compile(
    r"\bwithin\s+(?P<n>\d{1,2}|[a-z\-]+)\s+months?\s+of\s+(?:the\s+)?(?:date\s+of\s+)?(?:the\s+)?publication",
    re.IGNORECASE,
)
_RETURN_MONTHS = re.compile(
    r"\bwithin\s+(?P<n>\d{1,2}|[a-z\-]+)\s+months?\s+of\s+(?:the\s+)?(?:date\s+of\s+)?(?:the\s+)?publication",
    re.IGNORECASE,
)
_BAD_TITLE = re.compile(r"microsoft|\.docx?$|\.pdf$|^untitled|^document\d*$", re.IGNORECASE)


@dataclass
class Extraction:
    definition: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "").replace("'", ""))
    return "-".join(words[:8])[:60].strip("-")


def _all_text(document: Document) -> str:
    return " ".join(
        collapse(p.render()) for block in document.blocks for cell in block.cells for p in paragraphs_of(cell)
    )


def _title(document: Document, warnings: list[str]) -> str | None:
    for block in document.blocks:
        if block.kind != "row" and block.cells:
            header = _RESPONSE_OF.match(collapse(block.cells[0]))
            if header is not None:
                title = extract_responses(document).report_title
                if title:
                    return title
    if document.title and not _BAD_TITLE.search(document.title):
        return collapse(document.title)
    for block in document.blocks:
        if block.kind in ("heading", "line", "paragraph") and block.cells and collapse(block.cells[0]):
            text = collapse(block.cells[0])
            if DATE_PATTERN.fullmatch(text) or len(text.split()) > 30:
                continue
            warnings.append(f"{block.location}: took {text!r} as the title: check it")
            return text
    return None


def _return_address(text: str) -> str | None:
    """The email address the text asks updates or returns to be sent to."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        for email in _EMAIL.findall(sentence):
            if _RETURN_WORDS.search(sentence):
                return str(email).rstrip(".")
    return None


def _return_months(text: str) -> int | None:
    """N from "update ... on progress ... within N months of (the date of) publication"."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        match = _RETURN_MONTHS.search(sentence)
        if match and re.search(r"\b(?:updates?|returns?)\b", sentence, re.IGNORECASE):
            raw = match.group("n").lower()
            return int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)
    return None


def _recommendation(
    item: Item,
    *,
    aliases: Mapping[str, str],
    resolve: Resolver,
    warnings: list[str],
) -> dict[str, Any] | None:
    where = f"{item.location}: {item.label}"
    if not item.text:
        warnings.append(f"{where} has no text: left out")
        return None
    entry: dict[str, Any] = {"number": item.number, "kind": item.kind}
    if item.addressee is None:
        warnings.append(f"{where}: no addressee line and no subject to take one from: add addressee by hand")
    else:
        entry["addressee"] = item.addressee
        groups, problem = resolve_groups(item.addressee, aliases, resolve)
        if groups is None:
            warnings.append(f"{where}: {problem}")
        else:
            entry["groups"] = groups
    entry["text"] = item.text
    warnings.extend(f"{where}: {doubt}" for doubt in item.doubts)
    if item.confidence != "high":
        warnings.append(f"{where}: found by {item.method}; {item.confidence} confidence: check it")
    if item.due_text is not None:
        if item.due_on is not None:
            entry["due_on"] = item.due_on
        entry["due_text"] = item.due_text
    return entry


def extract_report(
    document: Document,
    *,
    aliases: Mapping[str, str],
    resolve: Resolver = resolve_addressee,
    published_on: date | None = None,
    convention: DayCount = DayCount.AFTER,
    fallback_id: str | None = None,
) -> Extraction:
    """The report definition a document holds, and a warning for everything not settled.

    Raises ExtractionError when the document holds no recommendations at all (the line says what was looked for
    and what the document held).
    """
    reading = read(document, published=published_on, convention=convention)
    warnings: list[str] = list(reading.warnings)
    if not reading.items:
        raise ExtractionError(reading.nothing_found())
    importable = [i for i in reading.items if i.kind in ("recommendation", "action") and i.number]
    for item in reading.items:
        if item not in importable:
            why = "no number" if not item.number else f"a {item.label.rsplit(' ', 1)[0]} is not imported"
            warnings.append(f"{item.location}: {item.label} ({why}): left out of the definition: {item.text[:80]!r}")
    if not importable:
        raise ExtractionError(
            f"{document.name}: found {len(reading.items)} item(s) ({', '.join(i.label for i in reading.items)}) "
            "but no numbered recommendation or action to import"
        )
    for unplaced in reading.leftovers:
        warnings.append(unplaced.describe())
    text = _all_text(document)
    title = _title(document, warnings)
    published_on = reading.published_on
    if published_on is None:
        warnings.append('no publication date found ("Published 17 December 2020"): add published_on by hand')
    definition: dict[str, Any] = {}
    short = re.split(r"[?:–—]|\s-\s", title)[0] if title else ""
    definition["id"] = slug(short) or slug(fallback_id or document.name.rsplit(".", 1)[0]) or "report"
    if title:
        definition["title"] = title
    else:
        warnings.append(f"{document.name}: no title found: add title by hand")
    definition["publisher"] = "HMICFRS"
    if published_on is not None:
        definition["published_on"] = published_on
    address = _return_address(text)
    if address:
        definition["return_address"] = address
    months = _return_months(text)
    if months:
        definition["return_months"] = months
    items = [_recommendation(i, aliases=aliases, resolve=resolve, warnings=warnings) for i in importable]
    definition["recommendations"] = [item for item in items if item is not None]
    if not definition["recommendations"]:
        raise ExtractionError(f"{document.name}: recommendation headings found but none has any text")
    return Extraction(definition, warnings)
