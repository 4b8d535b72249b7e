"""Blocks -> recommendations: the running text of a report and tables of recommendation | response.

Pure: blocks in, recommendations and warnings out. Text that sits in a recommendations section or table but belongs
to no recommendation is returned as ``unplaced`` with its location, never dropped.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from models.extraction.addressees import addressee_is_open, clean_addressee, is_addressee_line
from models.extraction.document import Block
from models.extraction.headings import (
    Heading,
    Kind,
    is_contents_line,
    is_section_heading,
    is_terminator,
    looks_like_heading,
    numbered_item,
    recommendation_heading,
)
from models.extraction.markup import TextBuilder, ends_sentence, paragraphs_of


@dataclass
class Found:
    """A recommendation as read: its text still being assembled."""

    kind: Kind
    number: str
    location: str
    addressee: str | None = None
    addressee_open: bool = False
    text: TextBuilder = field(default_factory=TextBuilder)
    response: TextBuilder | None = None
    order: int = 0

    @property
    def has_text(self) -> bool:
        return bool(self.text.paras)


@dataclass(frozen=True)
class Unplaced:
    location: str
    text: str

    def describe(self, what: str = "not part of any recommendation") -> str:
        snippet = self.text if len(self.text) <= 100 else self.text[:97] + "..."
        return f"{self.location}: {what}: {snippet!r}"


@dataclass
class Parsed:
    found: list[Found] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _start(heading: Heading, location: str, order: int, *, wrapped: bool) -> Found:
    found = Found(heading.kind, heading.number, location, order=order)
    _take(found, heading.rest, wrapped=wrapped)
    return found


def _take(found: Found, text: str, *, wrapped: bool) -> None:
    """Text after a heading: the addressee line while none is set and no text has started, else recommendation text."""
    text = text.strip()
    if not text:
        return
    if found.addressee_open:
        found.addressee = f"{found.addressee} {text}"
        found.addressee_open = addressee_is_open(text)
        return
    if found.addressee is None and not found.has_text and is_addressee_line(text):
        found.addressee = clean_addressee(text)
        found.addressee_open = wrapped and addressee_is_open(text)
        return
    if wrapped:
        found.text.add_line(text)
    else:
        found.text.add_paragraph(text)


def _next_content(blocks: Sequence[Block], index: int) -> Block | None:
    for block in blocks[index + 1 :]:
        if block.kind not in ("blank", "page_break"):
            return block
    return None


def _standalone(blocks: Sequence[Block], index: int) -> bool:
    """A line with a blank (or nothing) before and after it: how headings look in plain text."""
    before = blocks[index - 1].kind if index > 0 else "blank"
    after = blocks[index + 1].kind if index + 1 < len(blocks) else "blank"
    return before in ("blank", "page_break") and after in ("blank", "page_break")


def parse_running_text(blocks: Sequence[Block]) -> Parsed:
    """Recommendations written as headings and paragraphs (rows are left to parse_table_rows).

    A recommendation starts at "Recommendation N" / "Action N", or at a numbered paragraph ("1.", "7.1") inside a
    "Recommendations" section or under recommendation 7; it ends at the next one, at a heading, at a row, or at a
    known section heading ("Areas for improvement", "Annex A").
    """
    parsed = Parsed()
    current: Found | None = None
    in_section = False

    def close() -> None:
        nonlocal current
        if current is not None:
            parsed.found.append(current)
        current = None

    for index, block in enumerate(blocks):
        if block.kind == "row":
            close()
            continue
        if block.kind == "blank":
            if current is not None:
                current.text.paragraph_break()
                current.addressee_open = False
            continue
        if block.kind == "page_break":
            if current is not None:
                current.text.page_break()
            continue
        text = block.cells[0].strip()
        if not text or is_contents_line(text):
            continue
        heading = recommendation_heading(text)
        if heading is None and (in_section or current is not None):
            item = numbered_item(text)
            if item is not None and not (in_section or _is_sub(item.number, current)):
                item = None
            if item is None and current is not None:
                item = numbered_item(text, sub=True)
                item = item if item is not None and _is_sub(item.number, current) else None
            heading = item
        if heading is not None:
            close()
            current = _start(heading, block.location, index, wrapped=block.kind == "line")
            continue
        if is_section_heading(text):
            close()
            in_section = True
            continue
        if _ends_section(blocks, index, current):
            close()
            in_section = False
            continue
        if current is not None:
            _take(current, text, wrapped=block.kind == "line")
        elif in_section:
            parsed.unplaced.append(Unplaced(block.location, text))
    close()
    return parsed


def _is_sub(number: str, current: Found | None) -> bool:
    """ "7.1" under recommendation 7 (or after 7.1)."""
    if current is None:
        return False
    parent = current.number.split(".")[0]
    return "." in number and number.split(".", maxsplit=1)[0] == parent


def _ends_section(blocks: Sequence[Block], index: int, current: Found | None) -> bool:
    block = blocks[index]
    text = block.cells[0].strip()
    if block.kind == "heading":
        return not (
            current is not None and current.addressee is None and not current.has_text and is_addressee_line(text)
        )
    if is_terminator(text):
        return True
    if current is None or not current.has_text:
        return False
    last = current.text.paras[-1].lines[-1]
    return (
        looks_like_heading(text)
        and _standalone(blocks, index)
        and ends_sentence(last)
        and _next_content(blocks, index) is not None
    )


_NUMBER_ONLY = re.compile(r"^(?:Recommendation\s+|Action\s+)?\d{1,3}(?:\.\d{1,3})*[a-z]?[.):]?$", re.IGNORECASE)


def parse_table_rows(blocks: Sequence[Block]) -> Parsed:
    """Recommendations in tables: "Recommendation 1. To chief constables ... | response" rows, or "1 | text" rows.

    A row whose first cell does not start a recommendation continues the one before when it directly follows it
    (only blank lines or page breaks between): the page cut the row, so its text joins the recommendation's text and
    its response the response. Any other row (a header, a preamble) is unplaced.
    """
    parsed = Parsed()
    current: Found | None = None
    for index, block in enumerate(blocks):
        if block.kind in ("blank", "page_break"):
            continue
        if block.kind != "row":
            if current is not None:
                parsed.found.append(current)
                current = None
            continue
        cells = list(block.cells)
        while len(cells) > 1 and not cells[-1].strip():
            cells.pop()
        first = paragraphs_of(cells[0]) if cells else []
        heading = _row_heading(first[0].render() if first else "")
        if heading is not None:
            if current is not None:
                parsed.found.append(current)
            current = Found(heading.kind, heading.number, block.location, order=index)
            _take(current, heading.rest, wrapped=False)
            for para in first[1:]:
                _take(current, para.render(), wrapped=False)
            rest = cells[1:]
            if not current.has_text and rest:
                _take(current, rest[0], wrapped=False)
                rest = rest[1:]
            current.response = TextBuilder()
            _respond(current, rest, block, parsed)
        elif current is not None and any(cell.strip() for cell in cells):
            current.text.page_break()
            current.text.add_paragraph(cells[0])
            assert current.response is not None
            current.response.page_break()
            _respond(current, cells[1:], block, parsed)
        elif any(cell.strip() for cell in cells):
            text = " | ".join(p.render() for cell in cells for p in paragraphs_of(cell))
            parsed.unplaced.append(Unplaced(block.location, text))
    if current is not None:
        parsed.found.append(current)
    return parsed


def _row_heading(text: str) -> Heading | None:
    """A first cell that starts a recommendation: a heading, a numbered paragraph, or just its number ("1", "7.1.")."""
    heading = recommendation_heading(text)
    if heading is not None:
        return heading
    if _NUMBER_ONLY.match(text.strip()):
        number = re.search(r"\d{1,3}(?:\.\d{1,3})*[a-z]?", text)
        assert number is not None
        kind: Kind = "action" if text.strip().lower().startswith("action") else "recommendation"
        return Heading(kind, number.group(0), "")
    return numbered_item(text)


def _respond(found: Found, cells: list[str], block: Block, parsed: Parsed) -> None:
    assert found.response is not None
    if cells and cells[0].strip():
        found.response.add_paragraph(cells[0])
    for extra in cells[1:]:
        if extra.strip():
            parsed.unplaced.append(Unplaced(block.location, extra.strip()))
            parsed.warnings.append(
                Unplaced(block.location, extra.strip()).describe(f"an extra column beside {found.kind} {found.number}")
            )
