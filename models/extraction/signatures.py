"""Who signs a response: the signatory ("Michelle Francis, HMICFRS Liaison Officer, Wiltshire Police", "Gavin
Stephens, Chief Constable of Surrey Police") and the sign-off line ("Agreed and signed off by Supt Mant, portfolio
lead"). Pure: blocks in.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.extraction.document import Block
from models.extraction.markup import collapse, paragraphs_of

_ROLE = re.compile(
    r"\b(?:liaison\s+(?:officer|lead|manager|officers)|chief\s+constable|deputy\s+chief\s+constable|"
    r"(?:deputy\s+)?police,?\s+(?:fire\s+)?and\s+crime\s+commissioner|chief\s+executive|chief\s+fire\s+officer|"
    r"deputy\s+mayor|commissioner|portfolio\s+lead|head\s+of\s+[a-z ]+)\b",
    re.IGNORECASE,
)
_LIAISON = re.compile(r"\bliaison\s+(?:officer|lead|manager|officers)\b", re.IGNORECASE)
_NAME = re.compile(
    r"^(?:(?:Supt|Ch\.? Supt|DCC|ACC|Dr|Mr|Mrs|Ms|Miss|Sir|Dame)\.?\s+)?[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+){1,3}$"
)
_SIGNATURE_WORDS = 8
_SECTION = re.compile(r"\bcomments?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str
    agency: str | None
    location: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "agency": self.agency, "location": self.location}

    def line(self) -> str:
        return ", ".join(part for part in (self.name, self.role, self.agency) if part)


@dataclass(frozen=True)
class SignOff:
    who: str
    role: str | None
    line: str
    location: str

    def as_dict(self) -> dict[str, Any]:
        return {"who": self.who, "role": self.role, "line": self.line, "location": self.location}


def _text(block: Block) -> str:
    return collapse(block.cells[0]) if block.cells else ""


def _texty(block: Block) -> bool:
    return block.kind in ("line", "paragraph", "heading") and bool(_text(block))


def find_signatory(blocks: Sequence[Block]) -> Signatory | None:
    """The last signature in the document: a name line, a role line and an agency line (a liaison officer's), or one
    line "Name, Role" ("Gavin Stephens, Chief Constable of Surrey Police").
    """
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if not _texty(block):
            continue
        text = _text(block)
        one_line = _one_line(text, block.location)
        if one_line is not None:
            return one_line
        if not _LIAISON.search(text) or len(text.split()) > _SIGNATURE_WORDS:
            continue
        name = None
        for before in range(index - 1, max(index - 3, -1), -1):
            if _texty(blocks[before]):
                candidate = _text(blocks[before]).rstrip(",")
                if len(candidate.split()) <= 5 and not _SECTION.search(candidate):
                    name = candidate
                break
        agency = None
        for after in range(index + 1, min(index + 3, len(blocks))):
            if _texty(blocks[after]):
                candidate = _text(blocks[after]).rstrip(",.")
                if len(candidate.split()) <= _SIGNATURE_WORDS:
                    agency = candidate
                break
        if name is None:
            return None
        return Signatory(name, text.rstrip(",."), agency, block.location)
    return None


def signature_locations(blocks: Sequence[Block], signatory: Signatory | None) -> set[int]:
    """The indexes of the blocks a signature occupies (the name, role and agency lines)."""
    if signatory is None:
        return set()
    for index, block in enumerate(blocks):
        if block.location == signatory.location:
            used = {index}
            for other in (index - 1, index - 2, index + 1, index + 2):
                if 0 <= other < len(blocks) and _texty(blocks[other]):
                    value = _text(blocks[other]).rstrip(",.")
                    if value in (signatory.name, signatory.agency):
                        used.add(other)
            return used
    return set()


def _one_line(text: str, location: str) -> Signatory | None:
    if "," not in text or len(text.split()) > 14:
        return None
    name, role = (part.strip() for part in text.split(",", 1))
    if not _NAME.match(name) or not _ROLE.match(role) or re.search(r"[.;:]$", role):
        return None
    agency = None
    parts = [p.strip() for p in role.split(",")]
    if len(parts) > 1:
        role, agency = parts[0], ", ".join(parts[1:])
    return Signatory(name, role, agency, location)


_SIGN_OFF = re.compile(
    r"(?P<line>(?:agreed\s+and\s+)?signed[\s-]+off\s+by\s+(?P<who>[^,.;]+?)(?:,\s*(?P<role>[^.;,]+))?)(?=[.;]|$)",
    re.IGNORECASE,
)


def find_sign_off(blocks: Sequence[Block]) -> SignOff | None:
    """ "Agreed and signed off by Supt Mant, portfolio lead": wherever it stands (the seed has it in the table's
    header row).
    """
    for block in blocks:
        for cell in block.cells:
            for para in paragraphs_of(cell):
                text = collapse(para.render())
                match = _SIGN_OFF.search(text)
                if match is not None:
                    role = match.group("role")
                    return SignOff(
                        collapse(match.group("who")),
                        collapse(role) if role else None,
                        collapse(match.group("line")),
                        block.location,
                    )
    return None
