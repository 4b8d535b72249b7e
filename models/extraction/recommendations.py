"""Blocks -> recommendations: the running text of a report and tables of recommendation | response.

Pure: blocks in, recommendations and warnings out. Text that sits in a recommendations section or table but belongs
to no recommendation is returned as ``unplaced`` with its location, never dropped. Every item says how it was found
(``method``) and what the reader doubts about it (``doubts``).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from models.extraction.addressees import addressee_is_open, is_addressee_line
from models.extraction.document import Block
from models.extraction.headings import (
    Heading,
    Kind,
    findings_section,
    is_contents_line,
    is_number_line,
    is_section_heading,
    is_terminator,
    lead_in_list,
    looks_like_heading,
    numbered_item,
    opens_a_list,
    recommendation_heading,
    register_entry,
    titled_number,
    unnumbered_heading,
)
from models.extraction.markers import (
    is_status_heading,
    only_a_reference,
    owner_like,
    response_marker,
    status_line,
    status_of,
)
from models.extraction.markup import Para, TextBuilder, ends_sentence, paragraphs_of
from models.rules.recipients import normalise_addressee

_NUMBER_LINE = "a number on a line of its own"
_MODAL = re.compile(r"\b(?:should|must|shall|will need to|needs to|is asked to|are asked to)\b", re.IGNORECASE)


@dataclass
class Found:
    """A recommendation as read: its text still being assembled."""

    kind: Kind
    number: str
    """"" for an item with no number (matched by its text)."""
    location: str
    addressee: str | None = None
    addressee_open: bool = False
    addressee_from: str | None = None
    text: TextBuilder = field(default_factory=TextBuilder)
    response: TextBuilder | None = None
    response_from: str | None = None
    response_sure: bool = True
    status: str | None = None
    order: int = 0
    method: str = "a 'Recommendation N' heading"
    doubts: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    """Other columns of the item's row, by header ("Sub actions": "4", "Overall %": "68")."""
    due_cell: str | None = None
    responding: bool = False
    awaiting_status: bool = False
    single_paragraph: bool = False
    sub_responses: bool = False
    may_be_cut: bool = True
    """Whether a text without closing punctuation at the end of the document may be cut (a table cell's may not)."""

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
    used: set[str] = field(default_factory=set)
    """The locations of the blocks that went into an item (so a caller does not report them again)."""


def _start(heading: Heading, location: str, order: int, *, wrapped: bool, method: str | None = None) -> Found:
    found = Found(heading.kind, heading.number, location, order=order)
    if method is not None:
        found.method = method
    elif heading.kind == "action":
        found.method = "an 'Action N' heading"
    _take(found, heading.rest, wrapped=wrapped)
    return found


def _take(found: Found, text: str, *, wrapped: bool) -> None:
    """Text after a heading: the addressee line while none is set and no text has started, then the recommendation's
    text; after a response marker ("DFRS action:", "Response") the agency's response; a state line sets the state.
    """
    text = _take_marker(found, text.strip())
    if not text:
        return
    if found.responding:
        found.response = found.response or TextBuilder()  # "1.1 Accepted" set the state and began no text
        if wrapped:
            found.response.add_line(text)
        else:
            found.response.add_paragraph(text)
        return
    if found.addressee_open:
        found.addressee = f"{found.addressee} {text}"
        found.addressee_open = addressee_is_open(text)
        return
    if found.addressee is None and not found.has_text and is_addressee_line(text):
        found.addressee = normalise_addressee(text)
        found.addressee_from = "the addressee line"
        found.addressee_open = wrapped and addressee_is_open(text)
        return
    if wrapped:
        found.text.add_line(text)
    else:
        found.text.add_paragraph(text)


def _take_marker(found: Found, text: str) -> str:
    """What is left of a line once a state or a response marker in it is taken ("" when the line was only that)."""
    if not text:
        return ""
    if found.awaiting_status:
        found.awaiting_status = False
        state = status_of(text)
        if state is not None:
            found.status = state
            return ""
    if not (found.has_text or found.responding):
        return text
    state = status_line(text)
    if state is not None or is_status_heading(text):
        found.status = state or found.status
        found.awaiting_status = state is None  # "Status" alone: the state is on the next line
        return ""
    marker = response_marker(text)
    if marker is not None and found.has_text:
        found.responding = True
        found.response = found.response or TextBuilder()
        found.response_from = found.response_from or f"the text after {marker[0]!r}"
        return marker[1]
    return text


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


def _heading_like(blocks: Sequence[Block], index: int) -> bool:
    return blocks[index].kind == "heading" or _standalone(blocks, index)


def _finish(found: Found) -> Found:
    """Settle what only the whole item shows: an owner line under a number-line item; a response with no marker
    under a titled heading (taken, but marked unsure).
    """
    paras = found.text.paras
    if found.method == _NUMBER_LINE and len(paras) > 1 and found.addressee is None:
        last = paras[-1]
        if last.kind == "text" and len(last.lines) == 1 and owner_like(last.lines[0]):
            found.addressee = last.lines[0]
            found.addressee_from = "the owner line under the text"
            paras.pop()
    if found.method == "a numbered title heading" and len(paras) == 1 and paras[0].kind == "bullets":
        lines = paras[0].lines
        paras[:] = [Para("text", [lines[0]]), *(Para("text", [line]) for line in lines[1:])]
    if found.method == "a numbered title heading" and found.response is None and len(paras) > 1:
        first = _first_modal(paras)
        if first is not None and first + 1 < len(paras):
            response = TextBuilder()
            response.paras = paras[first + 1 :]
            del paras[first + 1 :]
            found.response = response
            found.response_from = "the text after the recommendation (no response marker)"
            found.response_sure = False
            found.doubts.append("no response marker: the text after the recommendation was taken as the response")
    return found


def _first_modal(paras: list[Para]) -> int | None:
    for index, para in enumerate(paras):
        if _MODAL.search(para.render()):
            return index
    return None


def parse_running_text(blocks: Sequence[Block]) -> Parsed:
    """Recommendations written as headings and paragraphs (rows are left to the table parsers).

    A recommendation starts at "Recommendation N" / "Action N", at a numbered paragraph ("1.", "7.1") inside a
    "Recommendations" section, after a lead-in ("The Home Office should:") or under recommendation 7, at a number on
    a line of its own, at "01: Title", at a "Recommendation" heading with no number, at a register entry's text, or at
    a "should" paragraph under "Areas for improvement"; it ends at the next one, at a heading, at a row, or at a known
    section heading ("Annex A").
    """
    return _RunningText(blocks).read()


@dataclass(frozen=True)
class _Line:
    """A block of text being read (a line, a paragraph or a heading), where it stands, and its text stripped."""

    index: int
    block: Block
    text: str

    @property
    def wrapped(self) -> bool:
        """One hard-wrapped line of a paragraph (plain text, PDF), not a whole paragraph."""
        return self.block.kind == "line"


class _RunningText:
    """The running-text reader as a state machine: one method per kind of block or line, tried in turn.

    Between blocks it holds the item being assembled (``current``), whether it is inside a "Recommendations" section
    (``in_section``: a numbered paragraph there starts an item), the findings section it is under ("Areas for
    improvement": a "should" paragraph there is an item), the addressee of a lead-in ("The Home Office should:") and
    the register entry it is under.
    """

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks
        self.parsed = Parsed()
        self.current: Found | None = None
        self.in_section = False
        self.findings: Kind | None = None
        self.lead_in: str | None = None
        self.register: str | None = None

    def read(self) -> Parsed:
        for index, block in enumerate(self.blocks):
            if block.kind == "row":
                self.close()
            elif block.kind == "blank":
                self.blank()
            elif block.kind == "page_break":
                if self.current is not None:
                    self.current.text.page_break()
            else:
                self.line(_Line(index, block, block.cells[0].strip()))
        self.close()
        return self.parsed

    def close(self) -> None:
        if self.current is not None:
            self.parsed.found.append(_finish(self.current))
        self.current = None

    def blank(self) -> None:
        """A paragraph break: it ends an addressee that ran on over lines, and an item one paragraph long."""
        current = self.current
        if current is None:
            return
        current.text.paragraph_break()
        if current.response is not None:
            current.response.paragraph_break()
        current.addressee_open = False
        if current.single_paragraph and current.has_text:
            self.close()

    def line(self, line: _Line) -> None:
        """A line or paragraph: a heading that starts an item first, then each other kind of line in turn, and
        what is none of them is the current item's text (or, inside a section, unplaced).
        """
        if not line.text or is_contents_line(line.text):
            return
        heading, method = self._numbered(line)
        if heading is not None and self._sub_response(heading, line):
            return
        if heading is None:
            heading, method = self._unnumbered(line)
        if heading is not None:
            self._heading(heading, method, line)
            return
        steps = (
            self._marker,
            self._findings_heading,
            self._finding,
            self._register_entry,
            self._register_text,
            self._lead_in,
            self._section_bound,
            self._owner,
        )
        if not any(step(line) for step in steps):
            self._body(line)

    def _numbered(self, line: _Line) -> tuple[Heading | None, str | None]:
        """ "Recommendation 3" anywhere; a numbered paragraph ("1.") inside a section, or a part ("7.1") of the
        current item.
        """
        heading = recommendation_heading(line.text)
        if heading is not None or not (self.in_section or self.current is not None):
            return heading, None
        item = numbered_item(line.text)
        if item is not None and not (self.in_section or _is_sub(item.number, self.current)):
            item = None
        if item is None and self.current is not None:
            item = numbered_item(line.text, sub=True)
            item = item if item is not None and _is_sub(item.number, self.current) else None
        if item is None:
            return None, None
        return item, "a numbered paragraph after a lead-in" if self.lead_in else "a numbered paragraph"

    def _sub_response(self, heading: Heading, line: _Line) -> bool:
        """ "1.1 Partially Accepted", "1.2 We will continue ...": the agency's numbered answer to recommendation 1,
        not its parts (the first gives the state; once answering, every numbered paragraph is the response).
        """
        current = self.current
        if current is None or not _is_sub(heading.number, current):
            return False
        state = status_of(heading.rest)
        if state is None and not current.sub_responses:
            return False
        if state is not None and current.status is None:
            current.status = state
        else:
            current.response = current.response or TextBuilder()
            current.response.add_paragraph(heading.rest)
        current.sub_responses = current.responding = True
        self.parsed.used.add(line.block.location)
        current.response_from = current.response_from or (
            f"the numbered paragraphs after it ({current.number}.1 gives the state)"
        )
        return True

    def _unnumbered(self, line: _Line) -> tuple[Heading | None, str | None]:
        """ "01: Title" or "Recommendation" with no number, standing as a heading; a number on a line of its own
        inside a section or an item.
        """
        if _heading_like(self.blocks, line.index):
            titled = titled_number(line.text)
            if titled is not None:
                return titled, "a numbered title heading"
            bare = unnumbered_heading(line.text)
            if bare is not None:
                return bare, "a heading with no number (matched by its text)"
        if is_number_line(line.text) and (self.in_section or self.current is not None):
            return Heading("recommendation", line.text.strip(), ""), _NUMBER_LINE
        return None, None

    def _heading(self, heading: Heading, method: str | None, line: _Line) -> None:
        """A heading starts the next item (a heading that repeats the current one's number does not)."""
        if _repeats(heading, self.current):
            self._repeat(heading, line)
            return
        self.close()
        current = _start(heading, line.block.location, line.index, wrapped=line.wrapped, method=method)
        self.current = current
        self.parsed.used.add(line.block.location)
        if not heading.number:
            current.doubts.append("no number: matched by its text")
        if self.lead_in and current.addressee is None:
            current.addressee, current.addressee_from = self.lead_in, "the lead-in before the list"
        if method == _NUMBER_LINE:
            next_block = _next_content(self.blocks, line.index)
            if next_block is not None and next_block.kind != "row" and status_of(next_block.cells[0]):
                current.awaiting_status = True

    def _repeat(self, heading: Heading, line: _Line) -> None:
        """The page's own heading "Recommendation 26", then "Recommendation 26:" before the text: one item, whose
        text starts again (what came between is unplaced).
        """
        current = self.current
        assert current is not None
        if current.has_text:
            self.parsed.unplaced.append(Unplaced(current.location, current.text.render()))
        current.text = TextBuilder()
        _take(current, heading.rest, wrapped=line.wrapped)
        self.parsed.used.add(line.block.location)

    def _marker(self, line: _Line) -> bool:
        """A state line, "Status", or a response marker inside an item that has begun."""
        if not _marks_the_item(self.current, line.text):
            return False
        self._add(line)
        return True

    def _findings_heading(self, line: _Line) -> bool:
        """ "Areas for improvement" standing as a heading: the "should" paragraphs under it are items."""
        kind = findings_section(line.text) if _heading_like(self.blocks, line.index) else None
        if kind is None:
            return False
        self.close()
        self.findings, self.in_section, self.lead_in = kind, False, None
        return True

    def _finding(self, line: _Line) -> bool:
        """A "should" paragraph under a findings heading is an item; anything else ends the findings."""
        if self.findings is None or self.current is not None:
            return False
        if line.block.kind != "heading" and _MODAL.search(line.text):
            what = "Cause of concern" if self.findings == "cause_of_concern" else "Areas for improvement"
            self._start_by_text(self.findings, f"a 'should' paragraph under '{what}'", line)
            return True
        self.findings = None
        return False

    def _register_entry(self, line: _Line) -> bool:
        """A register entry's heading, outside any item: the "should" paragraphs under it are items."""
        entry = register_entry(line.text) if self.current is None else None
        if entry is None:
            return False
        self.register = entry
        return True

    def _register_text(self, line: _Line) -> bool:
        if self.register is None or self.current is not None or not _MODAL.search(line.text):
            return False
        self._start_by_text("recommendation", "a register entry with no number (matched by its text)", line)
        return True

    def _start_by_text(self, kind: Kind, method: str, line: _Line) -> None:
        """An item with no number, found by its "should": one paragraph long (a whole paragraph ends it at once)."""
        self.current = Found(kind, "", line.block.location, order=line.index, single_paragraph=True, method=method)
        self.current.doubts.append("no number: matched by its text")
        self._add(line)
        if not line.wrapped:
            self.close()

    def _lead_in(self, line: _Line) -> bool:
        """ "The Home Office should:" (or a line that opens a list) outside any item: the numbered paragraphs after
        it are items, addressed to whoever the lead-in names.
        """
        if self.current is not None:
            return False
        who = lead_in_list(line.text)
        if who is None and not (opens_a_list(line.text) and not self.in_section):
            return False
        self.in_section, self.lead_in = True, who or self.lead_in
        self.parsed.used.add(line.block.location)
        return True

    def _section_bound(self, line: _Line) -> bool:
        """ "Recommendations" starts a section (the numbered paragraphs after it are items); a heading, a known
        section heading ("Annex A") or a heading-like line after a finished sentence ends one. Either ends the item.
        """
        if is_section_heading(line.text):
            inside = True
        elif _ends_section(self.blocks, line.index, self.current):
            inside = False
        else:
            return False
        self.close()
        self.in_section, self.lead_in = inside, None
        return True

    def _owner(self, line: _Line) -> bool:
        if not _owner_line(self.blocks, line.index, self.current):
            return False
        assert self.current is not None
        self.current.addressee, self.current.addressee_from = line.text, "the owner line under the text"
        self.parsed.used.add(line.block.location)
        return True

    def _body(self, line: _Line) -> None:
        """The current item's text (an item one paragraph long ends with its paragraph); outside any item, text in a
        section or under a register entry is unplaced.
        """
        current = self.current
        if current is not None:
            self._add(line)
            if current.single_paragraph and not line.wrapped:
                self.close()
        elif self.in_section or self.register is not None:
            self.parsed.unplaced.append(Unplaced(line.block.location, line.text))

    def _add(self, line: _Line) -> None:
        assert self.current is not None
        _take(self.current, line.text, wrapped=line.wrapped)
        self.parsed.used.add(line.block.location)


def _owner_line(blocks: Sequence[Block], index: int, current: Found | None) -> bool:
    """ "West Mercia Police" as the last line of a number-line item (the next content is the next number)."""
    if current is None or current.method != _NUMBER_LINE or current.addressee is not None:
        return False
    following = _next_content(blocks, index)
    return (
        current.has_text
        and owner_like(blocks[index].cells[0])
        and (following is None or (following.kind != "row" and is_number_line(following.cells[0])))
    )


def _marks_the_item(current: Found | None, text: str) -> bool:
    """A state line, "Status", or a response marker inside an item that has begun."""
    if current is None or not (current.responding or current.has_text or current.awaiting_status):
        return False
    return current.awaiting_status or bool(status_line(text) or is_status_heading(text) or response_marker(text))


def _repeats(heading: Heading, current: Found | None) -> bool:
    return (
        current is not None
        and bool(heading.number)
        and (heading.kind, heading.number) == (current.kind, current.number)
        and not current.responding
        and not any(_MODAL.search(p.render()) for p in current.text.paras)
    )


def _is_sub(number: str, current: Found | None) -> bool:
    """ "7.1" under recommendation 7 (or after 7.1)."""
    if current is None or not current.number:
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
        if block.kind == "row":
            current = _table_row(block, index, current, parsed)
        elif current is not None:
            parsed.found.append(current)
            current = None
    if current is not None:
        parsed.found.append(current)
    return parsed


def _table_row(block: Block, index: int, current: Found | None, parsed: Parsed) -> Found | None:
    """One row: it starts an item, continues the one before, or is unplaced. Gives the item a next row may
    continue.
    """
    cells = list(block.cells)
    while len(cells) > 1 and not cells[-1].strip():
        cells.pop()
    first = paragraphs_of(cells[0]) if cells else []
    heading = _row_heading(first[0].render() if first else "")
    if heading is not None:
        if current is not None:
            parsed.found.append(current)
        return _row_item(heading, first, cells, block, index, parsed)
    if not any(cell.strip() for cell in cells):
        return current
    if current is None:
        text = " | ".join(p.render() for cell in cells for p in paragraphs_of(cell))
        parsed.unplaced.append(Unplaced(block.location, text))
        return None
    _cut_row(current, cells, block, parsed)
    return current


def _row_item(
    heading: Heading, first: list[Para], cells: list[str], block: Block, index: int, parsed: Parsed
) -> Found | None:
    """The item a row starts: its text from the first cell (or, when that holds only the number, the second), its
    response from the cell after.
    """
    rest = cells[1:]
    if _links_row(heading, first, rest):
        # "Recommendation 1 | Recommendation 21": a table of links to recommendations, not one of them
        parsed.unplaced.append(Unplaced(block.location, " | ".join(_plain(c) for c in cells)))
        return None
    found = Found(heading.kind, heading.number, block.location, order=index)
    found.method = "a table row (recommendation | response)"
    _take(found, heading.rest, wrapped=False)
    for para in first[1:]:
        _take(found, para.render(), wrapped=False)
    if not found.has_text and rest and not only_a_reference(_plain(rest[0])):
        _take(found, rest[0], wrapped=False)
        rest = rest[1:]
    sub = numbered_item(_plain(rest[0]), sub=True) if rest else None
    if sub is not None and _is_sub(sub.number, found):
        return _sub_cell(found, sub, rest, block, parsed)
    found.response = TextBuilder()
    _respond(found, rest, block, parsed)
    return found


def _links_row(heading: Heading, first: list[Para], rest: list[str]) -> bool:
    """A first cell that is only a heading, beside a second that is only another."""
    if not rest or first[1:] or heading.rest:
        return False
    beside = _row_heading(_plain(rest[0]))
    return beside is not None and not beside.rest


def _sub_cell(parent: Found, sub: Heading, cells: list[str], block: Block, parsed: Parsed) -> Found:
    """ "7 | The Home Office should: | 7.1 publish ...": a sub-recommendation's cell, never the response. The parent
    is done; the sub-recommendation is the item a next row may continue.
    """
    child = Found(parent.kind, sub.number, block.location, order=parent.order, method=parent.method)
    child.text.add_paragraph(sub.rest)
    child.response = TextBuilder()
    child.response_sure = False
    child.doubts.append("a sub-recommendation in its own cell: the cells after it are not read")
    parent.doubts.append(f"the cell beside the text starts {sub.number}: read as a sub-recommendation")
    parent.response_sure = False
    parsed.found.append(parent)
    for extra in cells[1:]:
        if extra.strip():
            parsed.unplaced.append(Unplaced(block.location, _plain(extra)))
    return child


def _cut_row(current: Found, cells: list[str], block: Block, parsed: Parsed) -> None:
    """The rest of a row the page cut: its first cell continues the text, the others the response."""
    current.text.page_break()
    current.text.add_paragraph(cells[0])
    assert current.response is not None
    current.response.page_break()
    _respond(current, cells[1:], block, parsed)


def _plain(cell: str) -> str:
    return " ".join(p.render() for p in paragraphs_of(cell)).strip()


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
    """The row's second text cell is the response, unless it is only a number or a reference ("7.1"): then the row
    has no response the reader is sure of, and every cell after the text is left for a person.
    """
    assert found.response is not None
    if cells and cells[0].strip() and only_a_reference(_plain(cells[0])):
        found.doubts.append(f"the cell beside the text holds only {_plain(cells[0])!r}: not taken as a response")
        found.response_sure = False
        extras = cells
    else:
        if cells and cells[0].strip():
            found.response.add_paragraph(cells[0])
            found.response_from = found.response_from or "the column beside the recommendation"
        extras = cells[1:]
    if len(cells) > 1:
        found.response_sure = False
        found.doubts.append("the row has more columns than recommendation | response and no header to name them")
    for extra in extras:
        if extra.strip():
            parsed.unplaced.append(Unplaced(block.location, extra.strip()))
            parsed.warnings.append(
                Unplaced(block.location, extra.strip()).describe(f"an extra column beside {found.kind} {found.number}")
            )
