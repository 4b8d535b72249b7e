"""A force's response document (like the seed): recommendation | response pairs, comments and the liaison officer.

Shape: a dated header "RESPONSE OF <AGENCY> TO THE HMICFRS REPORT", the report title, "Chief Officer comments",
"Portfolio lead comments", a table of recommendation | response (possibly flattened to TAB-separated text with
markup fragments left in), "Police and Crime Commissioner's comments", then the liaison officer's name, role and
agency. Pure: blocks in, a ResponseDocument out.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from models.extraction.dates_text import whole_date
from models.extraction.document import Block, Document
from models.extraction.headings import Kind
from models.extraction.markup import TextBuilder, collapse
from models.extraction.recommendations import Unplaced, parse_table_rows

_RESPONSE_OF = re.compile(
    r"^(?:the\s+)?response\s+(?:of|from|by)\s+(?P<agency>.+?)\s+to\s+(?:the\s+)?(?:hmicfrs|hmic|his majesty['’]s"
    r"|her majesty['’]s|inspectorate)\b.*?\breport\b[\s:–\-]*(?P<title>.*)$",
    re.IGNORECASE,
)
_SECTIONS: list[tuple[str, re.Pattern[str]]] = [
    ("chief_officer", re.compile(r"^chief\s+(?:officer|constable)['’]?s?\s+comments?\s*:?$", re.IGNORECASE)),
    ("portfolio_lead", re.compile(r"^portfolio\s+lead['’]?s?\s+comments?\s*:?$", re.IGNORECASE)),
    (
        "pcc",
        re.compile(
            r"^(?:(?:the\s+)?police,?\s+(?:fire\s+)?and\s+crime\s+commissioner|p\.?f?\.?c\.?c\.?|mayor|"
            r"deputy\s+mayor|local\s+policing\s+body)['’]?s?\s+comments?\s*:?$",
            re.IGNORECASE,
        ),
    ),
]
_LIAISON_ROLE = re.compile(r"\bliaison\s+(?:officer|lead|manager|officers)\b", re.IGNORECASE)
_SIGNATURE_WORDS = 8


@dataclass(frozen=True)
class LiaisonOfficer:
    name: str
    role: str
    agency: str | None
    location: str


@dataclass(frozen=True)
class ResponsePair:
    number: str
    kind: Kind
    addressee: str | None
    text: str
    response: str
    location: str


@dataclass
class ResponseDocument:
    name: str
    agency_name: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    report_title: str | None = None
    chief_officer_comments: str | None = None
    portfolio_lead_comments: str | None = None
    pcc_comments: str | None = None
    liaison_officer: LiaisonOfficer | None = None
    responses: list[ResponsePair] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def agency_name(shouted: str) -> str:
    """ "WILTSHIRE POLICE" -> "Wiltshire Police"; "AVON AND SOMERSET CONSTABULARY" -> "Avon and Somerset
    Constabulary". A name already in mixed case is kept as written.
    """
    shouted = collapse(shouted)
    if not shouted.isupper():
        return shouted
    small = {"and", "of", "the", "for", "on", "upon", "in"}
    words = shouted.lower().split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _text(block: Block) -> str:
    return collapse(block.cells[0]) if block.cells else ""


def _section(text: str) -> str | None:
    for name, pattern in _SECTIONS:
        if pattern.match(text):
            return name
    return None


def _signature(blocks: Sequence[Block]) -> tuple[LiaisonOfficer | None, set[int]]:
    """The liaison officer who signs the return: name, role ("HMICFRS Liaison Officer") and agency on short lines."""
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if block.kind not in ("line", "paragraph", "heading"):
            continue
        text = _text(block)
        if not _LIAISON_ROLE.search(text) or len(text.split()) > _SIGNATURE_WORDS:
            continue
        used = {index}
        name = None
        for before in range(index - 1, max(index - 3, -1), -1):
            if blocks[before].kind in ("line", "paragraph", "heading") and _text(blocks[before]):
                candidate = _text(blocks[before]).rstrip(",")
                if len(candidate.split()) <= 5 and _section(candidate) is None:
                    name = candidate
                    used.add(before)
                break
        agency = None
        for after in range(index + 1, min(index + 3, len(blocks))):
            if blocks[after].kind in ("line", "paragraph", "heading") and _text(blocks[after]):
                candidate = _text(blocks[after]).rstrip(",.")
                if len(candidate.split()) <= _SIGNATURE_WORDS:
                    agency = candidate
                    used.add(after)
                break
        if name is None:
            return None, set()
        return LiaisonOfficer(name, text.rstrip(",."), agency, block.location), used
    return None, set()


def extract_responses(document: Document) -> ResponseDocument:
    """Each recommendation in the document's table with the agency's response, and the return's other parts.

    Text outside the known parts (header, title, date, comments sections, table, signature) is unplaced, with its
    location, and named in a warning.
    """
    blocks = document.blocks
    result = ResponseDocument(name=document.name)
    liaison, signature = _signature(blocks)
    result.liaison_officer = liaison
    sections: dict[str, TextBuilder] = {}
    current: str | None = None
    awaiting_title = False
    for index, block in enumerate(blocks):
        if block.kind == "row":
            current = None
            continue
        if index in signature:
            continue
        if block.kind in ("blank", "page_break"):
            if current is not None:
                sections[current].paragraph_break()
            continue
        text = _text(block)
        if not text:
            continue
        header = _RESPONSE_OF.match(text)
        if header is not None and result.agency_name is None:
            result.agency_name = agency_name(header.group("agency"))
            if header.group("title").strip():
                result.report_title = collapse(header.group("title"))
            else:
                awaiting_title = True
            continue
        if result.date is None and current is None and whole_date(text) is not None:
            result.date, result.date_text = whole_date(text), text
            continue
        name = _section(text)
        if name is not None:
            current = name
            sections.setdefault(name, TextBuilder())
            awaiting_title = False
            continue
        if awaiting_title and current is None:
            result.report_title = text
            awaiting_title = False
            continue
        if current is not None:
            if block.kind == "line":
                sections[current].add_line(text)
            else:
                sections[current].add_paragraph(block.cells[0])
            continue
        result.unplaced.append(Unplaced(block.location, text))
    for name, builder in sections.items():
        rendered = builder.render() or None
        setattr(result, f"{name}_comments", rendered)
    table = parse_table_rows(blocks)
    result.warnings.extend(table.warnings)
    for found in table.found:
        response = found.response.render() if found.response is not None else ""
        if not response:
            result.warnings.append(f"{found.location}: {found.kind} {found.number} has no response")
        result.responses.append(
            ResponsePair(found.number, found.kind, found.addressee, found.text.render(), response, found.location)
        )
    result.unplaced.extend(table.unplaced)
    for item in result.unplaced:
        result.warnings.append(item.describe())
    if result.agency_name is None:
        result.warnings.append(f"{document.name}: no 'Response of <agency> to the HMICFRS report' line: agency unknown")
    if liaison is None:
        result.warnings.append(f"{document.name}: no liaison officer found")
    return result
