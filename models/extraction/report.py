"""A document's blocks -> a report definition (the YAML shape ``actioned report import`` takes) and warnings.

Pure: the caller reads the file (readers.read_document) and passes the register's alias table and resolver.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models.extraction.addressees import Resolver, resolve_groups, subject_of
from models.extraction.dates_text import DATE_PATTERN, parse_date_match
from models.extraction.deadlines_text import NUMBER_WORDS, choose_deadline, find_deadlines
from models.extraction.document import Document
from models.extraction.markup import collapse, paragraphs_of
from models.extraction.recommendations import Found, Parsed, parse_running_text, parse_table_rows
from models.extraction.responses import _RESPONSE_OF, extract_responses
from models.rules.deadlines import DayCount
from models.rules.errors import ExtractionError
from models.rules.recipients import resolve_addressee

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_RETURN_WORDS = re.compile(
    r"\b(?:update|progress|send|sent|provide|provided|return|email|e-mail|contact)\b", re.IGNORECASE
)
_PUBLISHED = re.compile(
    r"\b(?:first\s+)?(?:published|publication\s+date|date\s+of\s+publication)\b[\s:,on]*", re.IGNORECASE
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


def _published_on(text: str, warnings: list[str]) -> date | None:
    for marker in _PUBLISHED.finditer(text):
        match = DATE_PATTERN.match(text, marker.end())
        if match is not None:
            try:
                return parse_date_match(match)
            except ValueError:
                warnings.append(f"publication date {match.group(0)!r} is not a real date")
    warnings.append('no publication date found ("Published 17 December 2020"): add published_on by hand')
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


def _merge(running: Parsed, table: Parsed, warnings: list[str]) -> list[Found]:
    """Both parses in document order; a number seen again (a summary list and the chapter that repeats it) is kept
    once, the first time, with a warning that says whether the later text differs.
    """
    kept: dict[tuple[str, str], Found] = {}
    for found in sorted([*running.found, *table.found], key=lambda f: f.order):
        key = (found.kind, found.number)
        if key in kept:
            same = kept[key].text.render() == found.text.render()
            warnings.append(
                f"{found.location}: {found.kind} {found.number} appears again"
                f" ({'same text' if same else 'different text'}): kept the one at {kept[key].location}"
            )
            continue
        kept[key] = found
    return list(kept.values())


def _parents(found: list[Found], warnings: list[str]) -> list[Found]:
    """Recommendation 7 whose text is only a lead-in ("The Home Office should:") for 7.1 and 7.2: the parts inherit
    its addressee and the lead-in is reported rather than made a recommendation of its own.
    """
    result: list[Found] = []
    for item in found:
        children = [f for f in found if f.number.startswith(item.number + ".") and f.kind == item.kind]
        if children:
            text = item.text.render()
            addressee = item.addressee or (subject_of(text) if text else None)
            for child in children:
                if child.addressee is None and addressee:
                    child.addressee = addressee
            if not text or text.rstrip().endswith(":"):
                if text:
                    warnings.append(
                        f"{item.location}: {item.kind} {item.number}'s lead-in {text!r} belongs to "
                        f"{', '.join(c.number for c in children)}: not a recommendation of its own"
                    )
                continue
        result.append(item)
    return result


def _recommendation(
    found: Found,
    *,
    published_on: date | None,
    aliases: Mapping[str, str],
    resolve: Resolver,
    convention: DayCount,
    warnings: list[str],
) -> dict[str, Any] | None:
    where = f"{found.location}: {found.kind} {found.number}"
    text = found.text.render()
    if not text:
        warnings.append(f"{where} has no text: left out")
        return None
    item: dict[str, Any] = {"number": found.number, "kind": found.kind}
    addressee = found.addressee or subject_of(text)
    if addressee is None:
        warnings.append(f"{where}: no addressee line and no subject to take one from: add addressee by hand")
    else:
        item["addressee"] = addressee
        groups, problem = resolve_groups(addressee, aliases, resolve)
        if groups is None:
            warnings.append(f"{where}: {problem}")
        else:
            item["groups"] = groups
    item["text"] = text
    deadline, problems = choose_deadline(find_deadlines(text, published_on, convention))
    warnings.extend(f"{where}: {problem}" for problem in problems)
    if deadline is not None:
        if deadline.due_on is not None:
            item["due_on"] = deadline.due_on
        item["due_text"] = deadline.due_text
    return item


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

    Raises ExtractionError when the document holds no recommendations at all.
    """
    warnings: list[str] = list(document.warnings)
    running = parse_running_text(document.blocks)
    table = parse_table_rows(document.blocks)
    found = _parents(_merge(running, table, warnings), warnings)
    if not found:
        raise ExtractionError(
            f"{document.name}: no recommendations found (looked for 'Recommendation N' and 'Action N' headings, "
            "numbered paragraphs under a 'Recommendations' heading, and tables of recommendations)"
        )
    for unplaced in [*running.unplaced, *table.unplaced]:
        warnings.append(unplaced.describe())
    warnings.extend(table.warnings)
    text = _all_text(document)
    title = _title(document, warnings)
    if published_on is None:
        published_on = _published_on(text, warnings)
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
    items = [
        _recommendation(
            f, published_on=published_on, aliases=aliases, resolve=resolve, convention=convention, warnings=warnings
        )
        for f in found
    ]
    definition["recommendations"] = [item for item in items if item is not None]
    if not definition["recommendations"]:
        raise ExtractionError(f"{document.name}: recommendation headings found but none has any text")
    return Extraction(definition, warnings)
