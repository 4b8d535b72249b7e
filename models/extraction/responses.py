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
from models.extraction.reading import Item, Reading, read
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
    reading = reading if reading is not None else read(document)
    result = ResponseDocument(name=document.name)
    result.signatory, result.sign_off = reading.signatory, reading.sign_off
    liaison = reading.signatory if reading.signatory and _LIAISON.search(reading.signatory.role) else None
    result.liaison_officer = liaison
    _Parts(result).read(document.blocks, reading)
    result.warnings.extend(w for w in reading.warnings if "appears again" in w or "column" in w)
    for item in reading.items:
        if not item.response:
            why = f" ({'; '.join(item.doubts)})" if item.doubts else ""
            result.warnings.append(f"{item.location}: {item.label} has no response{why}")
        elif not item.response_sure:
            result.warnings.append(f"{item.location}: {item.label}: unsure of the response ({'; '.join(item.doubts)})")
        result.responses.append(_pair(item))
    seen = {u.location for u in result.unplaced}
    result.unplaced.extend(u for u in reading.leftovers if u.location not in seen)
    result.warnings.extend(unplaced.describe() for unplaced in result.unplaced)
    if result.agency_name is None:
        result.warnings.append(f"{document.name}: no 'Response of <agency> to the HMICFRS report' line: agency unknown")
    if liaison is None:
        result.warnings.append(f"{document.name}: no liaison officer found")
    return result


def _pair(item: Item) -> ResponsePair:
    """An item as a recommendation | response pair: an addressee guessed from the text's subject is not kept, and
    only a response given with high confidence is sure.
    """
    return ResponsePair(
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


class _Parts:
    """The parts of a response document outside its items, read block by block: the "Response of <agency> to the
    HMICFRS report" line (the report's title after it or on the next line), the date, and the comments sections,
    each running until the next section or a table. Blocks the items or the signature used are skipped.
    """

    def __init__(self, result: ResponseDocument) -> None:
        self.result = result
        self.sections: dict[str, TextBuilder] = {}
        self.current: str | None = None
        self.awaiting_title = False

    def read(self, blocks: tuple[Block, ...], reading: Reading) -> None:
        signature = signature_locations(blocks, reading.signatory)
        for index, block in enumerate(blocks):
            if block.kind == "row":
                self.current = None
            elif index in signature or block.location in reading.used:
                continue
            elif block.kind in ("blank", "page_break"):
                if self.current is not None:
                    self.sections[self.current].paragraph_break()
            elif text := _text(block):
                self._line(block, text)
        for name, builder in self.sections.items():
            rendered = builder.render() or None
            setattr(self.result, f"{name}_comments", rendered)

    def _line(self, block: Block, text: str) -> None:
        if self._header(text) or self._date(text) or self._section(text) or self._title(text):
            return
        if self.current is None:
            self.result.unplaced.append(Unplaced(block.location, text))
        elif block.kind == "line":
            self.sections[self.current].add_line(text)
        else:
            self.sections[self.current].add_paragraph(block.cells[0])

    def _header(self, text: str) -> bool:
        header = _RESPONSE_OF.match(text)
        if header is None or self.result.agency_name is not None:
            return False
        self.result.agency_name = agency_name(header.group("agency"))
        if header.group("title").strip():
            self.result.report_title = collapse(header.group("title"))
        else:
            self.awaiting_title = True
        return True

    def _date(self, text: str) -> bool:
        """The first whole date outside the comments is the document's."""
        if self.result.date is not None or self.current is not None or whole_date(text) is None:
            return False
        self.result.date, self.result.date_text = whole_date(text), text
        return True

    def _section(self, text: str) -> bool:
        name = _section(text)
        if name is None:
            return False
        self.current = name
        self.sections.setdefault(name, TextBuilder())
        self.awaiting_title = False
        return True

    def _title(self, text: str) -> bool:
        """The line after a header that gave no title is the report's title."""
        if not (self.awaiting_title and self.current is None):
            return False
        self.result.report_title = text
        self.awaiting_title = False
        return True
