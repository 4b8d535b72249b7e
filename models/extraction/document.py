"""The reader's output: a document as an ordered list of blocks, each with a location a person can find.

Readers (file -> blocks) do the I/O; everything else in this package works on blocks and strings only.
"""

import re
from dataclasses import dataclass, field
from typing import Literal

from models.extraction.markers import is_furniture, strip_shortcodes

BlockKind = Literal["line", "paragraph", "heading", "row", "blank", "page_break"]
"""
- line: one hard-wrapped line of a paragraph (plain text, PDF): consecutive lines join with a space;
- paragraph: a whole paragraph (DOCX, HTML, unwrapped plain text);
- heading: a paragraph styled as a heading (DOCX, HTML): it ends the section before it;
- row: a table row, one string per cell (a cell's paragraphs separated by a blank line, bullets as "• " lines);
- blank: a paragraph break; page_break: a page break (text may continue across it mid-sentence).
"""


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    cells: tuple[str, ...]
    location: str

    @property
    def text(self) -> str:
        return "\t".join(self.cells)


@dataclass(frozen=True)
class Document:
    name: str
    blocks: tuple[Block, ...]
    title: str | None = None
    """The title the file's metadata gives (DOCX core properties, HTML <title>, PDF info), when any."""
    warnings: tuple[str, ...] = field(default=())


_WRAPPED_LINE_LIMIT = 150
"""Plain text whose lines never exceed this is hard-wrapped (each line part of a paragraph); text with longer lines
has one paragraph per line (saved from a word processor), and joining its lines would merge paragraphs."""


_PIPE_ROW = re.compile(r"^\s*\|?(?:[^|]*\|){2,}[^|]*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$")


def _pipe_cells(line: str) -> tuple[str, ...]:
    """ "a | b | c |" -> ("a", "b", "c"): a table saved as Markdown or as pipe-separated text."""
    cells = [cell.strip() for cell in line.strip().split("|")]
    if cells and not cells[0] and line.strip().startswith("|"):
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return tuple(cells)


def document_from_text(text: str, name: str) -> Document:
    """Blocks from plain text: TAB- or pipe-separated lines are table rows (a Markdown rule line is skipped), form
    feeds page breaks, blank lines paragraph breaks; web-page furniture and editing shortcodes are dropped.

    Whether a line is a whole paragraph or a wrapped piece of one is decided once for the file (see
    _WRAPPED_LINE_LIMIT). Pipes make rows only when the file has a rule line or at least two pipe rows.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    piped = any(_PIPE_RULE.match(line) for line in lines) or sum(bool(_PIPE_ROW.match(line)) for line in lines) >= 2
    wrapped = max((len(line) for line in lines if "\t" not in line), default=0) <= _WRAPPED_LINE_LIMIT
    blocks: list[Block] = []
    for number, raw in enumerate(lines, start=1):
        location = f"{name} line {number}"
        pages = raw.split("\f")
        for index, piece in enumerate(pages):
            if index:
                blocks.append(Block("page_break", (), location))
            line = strip_shortcodes(piece.rstrip(" \u00a0\v")) if "[" in piece else piece.rstrip(" \u00a0\v")
            if piped and _PIPE_RULE.match(line):
                continue
            if "\t" in line:
                blocks.append(Block("row", tuple(cell.strip() for cell in line.split("\t")), location))
            elif piped and _PIPE_ROW.match(line):
                blocks.append(Block("row", _pipe_cells(line), location))
            elif is_furniture(line):
                continue
            elif not line.strip():
                if index == 0 or piece:
                    blocks.append(Block("blank", (), location))
            else:
                blocks.append(Block("line" if wrapped else "paragraph", (line.strip(),), location))
    return Document(name=name, blocks=tuple(remove_page_furniture(blocks)))


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s+of\s+\d{1,4})?$", re.IGNORECASE)


def remove_page_furniture(blocks: list[Block]) -> list[Block]:
    """Drop page numbers and running headers/footers: the first and last lines of pages that repeat on 3+ pages.

    Only documents with page breaks have furniture; a bare number elsewhere may be a list number and is kept.
    """
    pages: list[list[int]] = [[]]
    for index, block in enumerate(blocks):
        if block.kind == "page_break":
            pages.append([])
        elif block.kind in ("line", "paragraph"):
            pages[-1].append(index)
    if len(pages) < 2:
        return blocks
    edges: list[int] = []
    for page in pages:
        edges.extend(page[:2] + page[-2:])
    counts: dict[str, int] = {}
    for index in set(edges):
        key = re.sub(r"\d+", "#", blocks[index].cells[0].lower())
        counts[key] = counts.get(key, 0) + 1
    drop: set[int] = set()
    for index in set(edges):
        text = blocks[index].cells[0]
        key = re.sub(r"\d+", "#", text.lower())
        if _PAGE_NUMBER.match(text) or counts[key] >= max(3, (len(pages) + 1) // 2):
            drop.add(index)
    return [block for index, block in enumerate(blocks) if index not in drop]
