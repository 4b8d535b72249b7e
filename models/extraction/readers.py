"""Files -> Documents (blocks with locations), one maintained library per format.

Plain text (the standard library), DOCX (python-docx, tables included), HTML (BeautifulSoup with the standard
"html.parser"), PDF with a text layer by its layout (pdfplumber). Every failure is an ExtractionError that names the file.
"""

import itertools
import re
from pathlib import Path
from typing import Literal

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag

from models.extraction.document import Block, Document, document_from_text, remove_page_furniture
from models.extraction.markers import is_furniture
from models.rules.errors import ExtractionError

SUPPORTED = (".txt", ".text", ".md", ".docx", ".html", ".htm", ".pdf")
_SIGNATURES = {
    b"%PDF-": "a PDF",
    b"PK\x03\x04": "a ZIP archive (a Word or other Office file?)",
    b"\xd0\xcf\x11\xe0": "an old-style Office file",
}


def read_document(path: Path) -> Document:
    """The blocks of a report or response document; the reader is chosen by the file's extension."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ExtractionError(
            f"{name}: unsupported file type {suffix or '(no extension)'!r} (expected .txt, .docx, .html or .pdf)"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractionError(f"{name}: cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise ExtractionError(f"{name}: the file is empty")
    if suffix == ".docx":
        return read_docx(data, name)
    if suffix == ".pdf":
        return read_pdf(data, name)
    text = _decode_text(data, name)
    if suffix in (".html", ".htm"):
        return read_html(text, name)
    return document_from_text(text, name)


def _decode_text(data: bytes, name: str) -> str:
    for signature, what in _SIGNATURES.items():
        if data.startswith(signature):
            raise ExtractionError(f"{name}: this is {what}, not text: give it its proper extension")
    if b"\x00" in data[:4096]:
        raise ExtractionError(f"{name}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > len(text) // 100 + 1:
            raise ExtractionError(f"{name}: not readable as text (neither UTF-8 nor Windows-1252)") from None
        return text


# --- DOCX -------------------------------------------------------------------------------------------------------


def read_docx(data: bytes, name: str) -> Document:
    """Body paragraphs and tables in order; heading styles become headings, list paragraphs bullets or numbers."""
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if not data.startswith(b"PK\x03\x04"):
        raise ExtractionError(f"{name}: not a Word (.docx) document")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractionError(f"{name}: not a readable Word (.docx) document ({error})") from None
    blocks: list[Block] = []
    counters: dict[str, int] = {}
    tables = 0
    paragraphs = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraphs += 1
            location = f"{name} paragraph {paragraphs}"
            text = _docx_paragraph_text(item, counters)
            if not text.strip():
                blocks.append(Block("blank", (), location))
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style.startswith(("Heading", "Title")):
                blocks.append(Block("heading", (text,), location))
            else:
                blocks.append(Block("paragraph", (text,), location))
        elif isinstance(item, Table):
            tables += 1
            for number, row in enumerate(item.rows, start=1):
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats; read it once
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_docx_cell_text(cell.paragraphs, counters))
                blocks.append(Block("row", tuple(cells), f"{name} table {tables} row {number}"))
            counters.clear()
    title = document.core_properties.title or None
    return Document(name=name, blocks=tuple(blocks), title=title)


def _docx_list_kind(paragraph: object) -> str | None:
    """ "bullet" or "number" for a list paragraph (by its style, or its numbering properties), else None."""
    style_obj = getattr(paragraph, "style", None)
    style = (getattr(style_obj, "name", "") or "").lower()
    if "list number" in style:
        return "number"
    if "list bullet" in style:
        return "bullet"
    p = getattr(paragraph, "_p", None)
    ppr = getattr(p, "pPr", None)
    if ppr is not None and getattr(ppr, "numPr", None) is not None:
        return "bullet"
    return "bullet" if style.startswith("list") else None


def _docx_paragraph_text(paragraph: object, counters: dict[str, int]) -> str:
    text = str(getattr(paragraph, "text", "")).strip()
    kind = _docx_list_kind(paragraph)
    if not text or kind is None:
        return text
    if kind == "number":
        counters["number"] = counters.get("number", 0) + 1
        return f"{counters['number']}. {text}"
    return f"• {text}"


def _docx_cell_text(paragraphs: list[object], counters: dict[str, int]) -> str:
    """A cell's paragraphs: separated by a blank line, consecutive list items by a line break."""
    out = ""
    previous_list = False
    for paragraph in paragraphs:
        text = _docx_paragraph_text(paragraph, counters)
        if not text:
            previous_list = False
            continue
        is_list = _docx_list_kind(paragraph) is not None
        separator = "\n" if (is_list and previous_list) else "\n\n"
        out = f"{out}{separator}{text}" if out else text
        previous_list = is_list
    return out


# --- HTML -------------------------------------------------------------------------------------------------------

_SKIP = ("script", "style", "nav", "header", "footer", "noscript", "form", "aside", "template", "svg")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CONTAINERS = (
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "body",
    "html",
    "dl",
    "dd",
    "dt",
    "figure",
    "pre",
    "address",
    "details",
    "summary",
    "center",
)


def read_html(text: str, name: str) -> Document:
    """The page's main content (or body) as headings, paragraphs, list items and table rows, in order."""
    soup = BeautifulSoup(text, "html.parser")
    for marker in soup.find_all("sup"):
        if isinstance(marker, Tag) and re.fullmatch(r"\s*\[?\d{1,3}\]?\s*", marker.get_text()):
            marker.decompose()  # a footnote marker ("policy.12"): never part of the text
    for banner in soup.find_all(class_=re.compile("cookie", re.IGNORECASE)):
        if isinstance(banner, Tag):
            banner.decompose()
    title_tag = soup.find("title")
    heading = soup.find("h1")
    title_tag = heading if isinstance(heading, Tag) else title_tag
    title = title_tag.get_text(" ", strip=True) if isinstance(title_tag, Tag) else None
    root = soup.find("main") or soup.find("body") or soup
    page = _HtmlBlocks(name)
    if isinstance(root, Tag):
        page.walk(root)
    page.flush()
    if not page.blocks:
        raise ExtractionError(f"{name}: no text in the page")
    return Document(name=name, blocks=tuple(page.blocks), title=title)


class _HtmlBlocks:
    """The blocks of a page as its elements are walked in order: text gathers until an element that breaks the
    flow (a heading, a list, a table, a paragraph or other container) ends it as a paragraph. Headings, paragraphs
    and list items share one count for their locations ("paragraph 12", "heading 13").
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def flush(self) -> None:
        content = re.sub(r"[ \t\r\n\f\v]+", " ", "".join(self.buffer)).strip()
        self.buffer.clear()
        if content and not is_furniture(content):
            self._add("paragraph", content)

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, element: Tag) -> None:
        tag = element.name.lower()
        if tag in _SKIP:
            return
        if tag in _HEADINGS:
            self.flush()
            self._heading(element)
        elif tag == "table":
            self.flush()
            self._table(element)
        elif tag in ("ul", "ol"):
            self.flush()
            self._list(element, numbered=tag == "ol")
        elif tag == "br":
            self.flush()
        elif tag == "hr":
            self.flush()
            self.blocks.append(Block("blank", (), f"{self.name} paragraph {self.paragraphs}"))
        elif tag in _CONTAINERS or tag == "li":
            self.flush()
            self.walk(element)
            self.flush()
        else:
            self.walk(element)

    def _add(self, kind: Literal["heading", "paragraph"], text: str) -> None:
        self.paragraphs += 1
        self.blocks.append(Block(kind, (text,), f"{self.name} {kind} {self.paragraphs}"))

    def _heading(self, element: Tag) -> None:
        text = element.get_text(" ", strip=True)
        if text and not is_furniture(text):
            self._add("heading", text)

    def _table(self, element: Tag) -> None:
        """Each row of the table (not of a table inside it) as a row of its cells' markup."""
        self.tables += 1
        rows = [r for r in element.find_all("tr") if r.find_parent("table") is element]
        for number, row in enumerate(rows, start=1):
            cells = tuple(c.decode_contents() for c in row.find_all(["td", "th"], recursive=False))
            self.blocks.append(Block("row", cells, f"{self.name} table {self.tables} row {number}"))

    def _list(self, element: Tag, *, numbered: bool) -> None:
        """Each item a paragraph, marked "• " or with its number (an ordered list may start at another number)."""
        start = str(element.get("start", "1"))
        number = int(start) if start.isdigit() else 1
        for item in element.find_all("li", recursive=False):
            marker = f"{number}. " if numbered else "• "
            number += 1
            content = re.sub(r"\s+", " ", item.get_text(" ", strip=True))
            if content and not is_furniture(content):
                self._add("paragraph", marker + content)


# --- PDF --------------------------------------------------------------------------------------------------------

_GAP = 1.6
"""A vertical gap this many times the usual line spacing separates paragraphs."""
_BAND = 0.07
"""Lines within this share of the page's height from its top or bottom are headers or footers when they repeat."""
_SMALL = 0.75
"""Digits set this much smaller than the page's usual size are footnote markers."""


def read_pdf(data: bytes, name: str) -> Document:
    """A PDF as published, read by layout (pdfplumber): ruled tables as rows, two columns one after the other, lines
    in reading order with paragraph breaks from vertical gaps, footnote markers dropped by their size, running
    headers, footers and page numbers dropped by their position and repetition.
    """
    import io

    import pdfplumber
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    if not data.lstrip().startswith(b"%PDF-"):
        raise ExtractionError(f"{name}: not a PDF file")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_pdf_page(page) for page in pdf.pages]
            metadata_title = (pdf.metadata or {}).get("Title")
    except (PdfminerException, MalformedPDFException, ValueError, KeyError, TypeError) as error:
        raise ExtractionError(f"{name}: not a readable PDF ({error})") from None
    if not any(entries for entries in pages):
        raise ExtractionError(f"{name}: no text layer: is it a scanned image? run OCR first")
    furniture = _pdf_furniture(pages)
    blocks: list[Block] = []
    for number, entries in enumerate(pages, start=1):
        if number > 1:
            blocks.append(Block("page_break", (), f"{name} page {number}"))
        lines = [e for e in entries if e.kind == "line" and e.key not in furniture]
        spacings = sorted(b.top - a.top for a, b in itertools.pairwise(lines) if b.top - a.top > 0)
        usual = spacings[len(spacings) // 2] if spacings else 0.0
        previous: _PdfEntry | None = None
        line_number = table_number = 0
        for entry in entries:
            if entry.kind == "row":
                table_number += entry.first_row
                blocks.append(Block("row", entry.cells, f"{name} page {number} table {table_number} row {entry.row}"))
                previous = None
                continue
            if entry.key in furniture:
                continue
            line_number += 1
            location = f"{name} page {number} line {line_number}"
            if (
                previous is not None
                and usual
                and (entry.top - previous.top > usual * _GAP or entry.column != previous.column)
            ):
                blocks.append(Block("blank", (), location))
            previous = entry
            blocks.append(Block("line", entry.cells, location))
    empty = [n for n, entries in enumerate(pages, start=1) if not entries]
    warnings = (f"{name} pages {', '.join(map(str, empty))}: no text (images only?)",) if empty else ()
    title = str(metadata_title) if metadata_title else None
    return Document(name=name, blocks=tuple(remove_page_furniture(blocks)), title=title, warnings=warnings)


class _PdfEntry:
    """A line (or a table row) of a page, with where it stands."""

    def __init__(self, kind: str, cells: tuple[str, ...], top: float, *, edge: bool = False, column: int = 0) -> None:
        self.kind = kind
        self.cells = cells
        self.top = top
        self.edge = edge
        self.column = column
        self.row = 0
        self.first_row = 0

    @property
    def key(self) -> str | None:
        """How a header or footer is recognised on another page: its text with the digits blurred."""
        return re.sub(r"\d+", "#", self.cells[0].lower()) if self.edge and self.kind == "line" else None


def _pdf_furniture(pages: list[list[_PdfEntry]]) -> set[str]:
    """The header and footer lines (by position) that repeat on two or more pages, and page numbers."""
    counts: dict[str, int] = {}
    for entries in pages:
        for key in {e.key for e in entries if e.key}:
            counts[key] = counts.get(key, 0) + 1
    return {
        key
        for key, count in counts.items()
        if count >= 2 or re.fullmatch(r"(?:page\s+)?#(?:\s+of\s+#)?|[-–]\s*#\s*[-–]", key)
    }


def _pdf_page(page: object) -> list[_PdfEntry]:
    height = float(getattr(page, "height", 842))
    width = float(getattr(page, "width", 595))
    tables = page.find_tables()  # type: ignore[attr-defined]
    boxes = [t.bbox for t in tables]

    def inside(word: dict[str, object]) -> bool:
        x, top = _f(word, "x0"), _f(word, "top")
        return any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= top <= b[3] + 1 for b in boxes)

    every_word = page.extract_words(extra_attrs=["size"])  # type: ignore[attr-defined]
    words = [w for w in every_word if not inside(w)]
    sizes = sorted(_f(w, "size") for w in words)
    usual = sizes[len(sizes) // 2] if sizes else 0.0
    words = [w for w in words if not (str(w["text"]).isdigit() and usual and _f(w, "size") < usual * _SMALL)]
    gutter = _gutter(words, width)
    entries: list[_PdfEntry] = []
    for column, column_words in enumerate(_split_columns(words, gutter)):
        entries.extend(_lines(column_words, height, column))
    for table in tables:
        for index, table_row in enumerate(table.rows, start=1):
            cells = tuple(_pdf_cell(every_word, box) for box in table_row.cells)
            if not any(cells):
                continue
            entry = _PdfEntry("row", cells, float(table.bbox[1]) + index / 1000)
            entry.row, entry.first_row = index, 1 if index == 1 else 0
            entries.append(entry)
    if gutter is None:
        entries.sort(key=lambda e: e.top)
    else:
        entries.sort(key=lambda e: (e.edge and e.top > height / 2, e.kind == "row" and False, e.column, e.top))
    return entries


def _f(word: dict[str, object], key: str) -> float:
    """A word's coordinate or size (pdfplumber gives them as numbers in a dict of objects)."""
    value = word[key]
    return float(value) if isinstance(value, int | float | str) else 0.0


def _pdf_cell(words: list[dict[str, object]], box: tuple[float, float, float, float] | None) -> str:
    """A table cell's text: its lines joined, a blank line where the vertical gap shows a new paragraph."""
    if box is None:
        return ""
    x0, top, x1, bottom = box
    inside = [
        w
        for w in words
        if x0 - 1 <= _f(w, "x0") and _f(w, "x1") <= x1 + 1 and top - 1 <= _f(w, "top") and _f(w, "bottom") <= bottom + 1
    ]
    lines = _lines(inside, 1e9, 0)
    steps = sorted(b.top - a.top for a, b in itertools.pairwise(lines) if b.top - a.top > 0)
    usual = steps[0] if steps else 0.0
    out = lines[0].cells[0] if lines else ""
    for previous, line in itertools.pairwise(lines):
        out += ("\n\n" if usual and line.top - previous.top > usual * 1.4 else "\n") + line.cells[0]
    return out


def _gutter(words: list[dict[str, object]], width: float) -> float | None:
    """The x of the white band between two columns, when the page has two: no word crosses it, and most lines
    (at least five) have words on both sides of it.
    """
    if len(words) < 20:
        return None
    rows: dict[int, list[dict[str, object]]] = {}
    for word in words:
        rows.setdefault(round(_f(word, "top") / 3), []).append(word)
    for x in range(int(width * 0.35), int(width * 0.65), 4):
        if any(_f(w, "x0") < x < _f(w, "x1") for w in words):
            continue
        both = sum(any(_f(w, "x1") < x for w in row) and any(_f(w, "x0") > x for w in row) for row in rows.values())
        if both >= max(5, len(rows) * 0.5):
            return float(x)
    return None


def _split_columns(words: list[dict[str, object]], gutter: float | None) -> list[list[dict[str, object]]]:
    if gutter is None:
        return [words]
    return [
        [w for w in words if _f(w, "x1") <= gutter],
        [w for w in words if _f(w, "x0") >= gutter],
    ]


def _lines(words: list[dict[str, object]], height: float, column: int) -> list[_PdfEntry]:
    ordered = sorted(words, key=lambda w: (round(_f(w, "top"), 0), _f(w, "x0")))
    lines: list[list[dict[str, object]]] = []
    for word in ordered:
        if lines and abs(_f(word, "top") - _f(lines[-1][0], "top")) <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    entries: list[_PdfEntry] = []
    for line in lines:
        line.sort(key=lambda w: _f(w, "x0"))
        text = " ".join(str(w["text"]) for w in line)
        top = _f(line[0], "top")
        bottom = max(_f(w, "bottom") for w in line)
        edge = top < height * _BAND or bottom > height * (1 - _BAND)
        entries.append(_PdfEntry("line", (text,), top, edge=edge, column=column))
    return entries
