"""A force's response document (like the seed): recommendation | response pairs, comments and the liaison officer.

Shape: a dated header "RESPONSE OF <AGENCY> TO THE HMICFRS REPORT", the report title, "Chief Officer comments",
"Portfolio lead comments", a table of recommendation | response (possibly flattened to TAB-separated text with
markup fragments left in), "Police and Crime Commissioner's comments", then the liaison officer's name, role and
agency. Pure: blocks in, a ResponseDocument out.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from models.extraction.dates_text import whole_date
from models.extraction.document import Block, Document
from models.extraction.headings import Kind
from models.extraction.markup import TextBuilder, collapse
from models.extraction.reading import Reading, read
from models.extraction.recommendations import Unplaced
from models.extraction.signatures import Signatory, SignOff, signature_locations

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
_LIAISON = re.compile(r"\bliaison\s+(?:officer|lead|manager|officers)\b", re.IGNORECASE)

LiaisonOfficer = Signatory
"""The liaison officer who signs a return (name, role, agency, location): a signatory whose role says so."""


@dataclass(frozen=True)
class ResponsePair:
    number: str
    kind: Kind
    addressee: str | None
    text: str
    response: str
    location: str
    status: str | None = None
    method: str = ""
    confidence: str = "high"
    response_from: str | None = None
    response_sure: bool = True
    """Only a response the reader is sure of is recorded by ``--responses``; the others are listed to confirm."""
    doubts: tuple[str, ...] = ()


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
    signatory: Signatory | None = None
    sign_off: SignOff | None = None
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


def extract_responses(document: Document, reading: Reading | None = None) -> ResponseDocument:
    """Each recommendation in the document (tables or running text) with the agency's response, how sure the reader
    is of it, and the return's other parts: comments, the signatory and the sign-off line.

    Text outside the known parts (header, title, date, comments sections, items, signature) is unplaced, with its
    location, and named in a warning.
    """
    blocks = document.blocks
    reading = reading if reading is not None else read(document)
    result = ResponseDocument(name=document.name)
    result.signatory, result.sign_off = reading.signatory, reading.sign_off
    liaison = reading.signatory if reading.signatory and _LIAISON.search(reading.signatory.role) else None
    result.liaison_officer = liaison
    signature = signature_locations(blocks, reading.signatory)
    sections: dict[str, TextBuilder] = {}
    current: str | None = None
    awaiting_title = False
    for index, block in enumerate(blocks):
        if block.kind == "row":
            current = None
            continue
        if index in signature or block.location in reading.used:
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
    result.warnings.extend(w for w in reading.warnings if "appears again" in w or "column" in w)
    for item in reading.items:
        if not item.response:
            why = f" ({'; '.join(item.doubts)})" if item.doubts else ""
            result.warnings.append(f"{item.location}: {item.label} has no response{why}")
        elif not item.response_sure:
            result.warnings.append(f"{item.location}: {item.label}: unsure of the response ({'; '.join(item.doubts)})")
        result.responses.append(
            ResponsePair(
                item.number or "",
                item.kind,  # type: ignore[arg-type]
                item.addressee if item.addressee_from != "the subject of its first sentence" else None,
                item.text,
                item.response or "",
                item.location,
                status=item.status,
                method=item.method,
                confidence=item.confidence,
                response_from=item.response_from,
                response_sure=item.response_sure and item.confidence == "high",
                doubts=item.doubts,
            )
        )
    seen = {u.location for u in result.unplaced}
    result.unplaced.extend(u for u in reading.leftovers if u.location not in seen)
    result.warnings.extend(unplaced.describe() for unplaced in result.unplaced)
    if result.agency_name is None:
        result.warnings.append(f"{document.name}: no 'Response of <agency> to the HMICFRS report' line: agency unknown")
    if liaison is None:
        result.warnings.append(f"{document.name}: no liaison officer found")
    return result
