"""Files -> Documents (blocks with locations), one maintained library per format.

Plain text (the standard library), DOCX (python-docx, tables included), HTML (BeautifulSoup with the standard
"html.parser"), PDF with a text layer (pypdf). Every failure is an ExtractionError that names the file.
"""

import itertools
import re
from pathlib import Path

from models.extraction.document import Block, Document, document_from_text, remove_page_furniture
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
    from bs4 import BeautifulSoup
    from bs4.element import Comment, NavigableString, Tag

    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title")
    heading = soup.find("h1")
    title_tag = heading if isinstance(heading, Tag) else title_tag
    title = title_tag.get_text(" ", strip=True) if isinstance(title_tag, Tag) else None
    root = soup.find("main") or soup.find("body") or soup
    blocks: list[Block] = []
    buffer: list[str] = []
    counts = {"paragraph": 0, "table": 0}

    def flush() -> None:
        content = re.sub(r"[ \t\r\n\f\v]+", " ", "".join(buffer)).strip()
        buffer.clear()
        if content:
            counts["paragraph"] += 1
            blocks.append(Block("paragraph", (content,), f"{name} paragraph {counts['paragraph']}"))

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            tag = child.name.lower()
            if tag in _SKIP:
                continue
            if tag in _HEADINGS:
                flush()
                counts["paragraph"] += 1
                blocks.append(
                    Block("heading", (child.get_text(" ", strip=True),), f"{name} heading {counts['paragraph']}")
                )
            elif tag == "table":
                flush()
                counts["table"] += 1
                rows = [r for r in child.find_all("tr") if r.find_parent("table") is child]
                for number, row in enumerate(rows, start=1):
                    cells = tuple(c.decode_contents() for c in row.find_all(["td", "th"], recursive=False))
                    blocks.append(Block("row", cells, f"{name} table {counts['table']} row {number}"))
            elif tag in ("ul", "ol"):
                flush()
                start = str(child.get("start", "1"))
                number = int(start) if start.isdigit() else 1
                for item in child.find_all("li", recursive=False):
                    marker = f"{number}. " if tag == "ol" else "• "
                    number += 1
                    content = re.sub(r"\s+", " ", item.get_text(" ", strip=True))
                    counts["paragraph"] += 1
                    blocks.append(Block("paragraph", (marker + content,), f"{name} paragraph {counts['paragraph']}"))
            elif tag == "br":
                flush()
            elif tag == "hr":
                flush()
                blocks.append(Block("blank", (), f"{name} paragraph {counts['paragraph']}"))
            elif tag in _CONTAINERS or tag == "li":
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    if isinstance(root, Tag):
        walk(root)
    flush()
    if not blocks:
        raise ExtractionError(f"{name}: no text in the page")
    return Document(name=name, blocks=tuple(blocks), title=title)


# --- PDF --------------------------------------------------------------------------------------------------------

_GAP = 1.6
"""A vertical gap this many times the usual line spacing separates paragraphs."""


def read_pdf(data: bytes, name: str) -> Document:
    """Lines of each page (in reading order, from pypdf), paragraph breaks from vertical gaps, page breaks between
    pages; running headers, footers and page numbers removed.
    """
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip().startswith(b"%PDF-"):
        raise ExtractionError(f"{name}: not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [_pdf_page_lines(page) for page in reader.pages]
        metadata_title = reader.metadata.title if reader.metadata is not None else None
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise ExtractionError(f"{name}: not a readable PDF ({error})") from None
    if not any(line for page in pages for line, _ in page):
        raise ExtractionError(f"{name}: no text layer: is it a scanned image? run OCR first")
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        if number > 1:
            blocks.append(Block("page_break", (), f"{name} page {number}"))
        spacings = sorted(b - a for (_, a), (_, b) in itertools.pairwise(lines) if b - a > 0)
        usual = spacings[len(spacings) // 2] if spacings else 0.0
        previous_y: float | None = None
        for index, (text, y) in enumerate(lines, start=1):
            if previous_y is not None and usual and y - previous_y > usual * _GAP:
                blocks.append(Block("blank", (), f"{name} page {number} line {index}"))
            previous_y = y
            blocks.append(Block("line", (text,), f"{name} page {number} line {index}"))
    empty = [n for n, lines in enumerate(pages, start=1) if not lines]
    warnings = (f"{name} pages {', '.join(map(str, empty))}: no text (images only?)",) if empty else ()
    title = str(metadata_title) if metadata_title else None
    return Document(name=name, blocks=tuple(remove_page_furniture(blocks)), title=title, warnings=warnings)


def _pdf_page_lines(page: object) -> list[tuple[str, float]]:
    """(text, distance from the top) for each line of a page, top to bottom, from pypdf's text visitor."""
    pieces: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            pieces.append((y, x, text))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    pieces.sort(key=lambda p: (-round(p[0], 0), p[1]))
    lines: list[tuple[str, float]] = []
    current_y: float | None = None
    parts: list[str] = []
    for y, _x, text in pieces:
        if current_y is None or abs(y - current_y) > 2:
            if parts:
                lines.append((re.sub(r"\s+", " ", "".join(parts)).strip(), -(current_y or 0.0)))
            parts = []
            current_y = y
        parts.append(text)
    if parts:
        lines.append((re.sub(r"\s+", " ", "".join(parts)).strip(), -(current_y or 0.0)))
    return [(text, y) for text, y in lines if text]
