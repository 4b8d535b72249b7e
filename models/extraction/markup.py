"""Text as paragraphs and bullet lists, built from lines, whole paragraphs or markup fragments.

A recommendation's canonical text: paragraphs separated by one blank line; a bullet list is one paragraph whose lines
each start "• "; whitespace runs collapsed; HTML entities decoded; a paragraph cut by a page break joined again with
one space.
"""

import re
from dataclasses import dataclass, field
from typing import Literal

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag

BULLET = "• "
_LINE_BREAK = "\u2028"
_PARA_BREAK = "\u2029"
_BULLET_CHARS = "•●▪◦‣∙"
_INLINE_BULLET = re.compile(rf"\s*[{_BULLET_CHARS}]\s*")
_LINE_BULLET = re.compile(rf"^\s*(?:[{_BULLET_CHARS}]|[-–*](?=\s))\s*")
_MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
_TERMINAL = re.compile(r"[.!?:;][\"'’”)\]]*$")
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr", "section"})


def collapse(text: str) -> str:
    """Whitespace runs (including non-breaking spaces) as one space, trimmed."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def has_markup(text: str) -> bool:
    return _MARKUP.search(text) is not None


def ends_sentence(text: str) -> bool:
    return _TERMINAL.search(text.rstrip()) is not None


def short_title(text: str, *, words: int, closing: str) -> bool:
    """One to ``words`` words, starting with a capital and not ending in one of ``closing``: how a heading or a name
    looks on a line of its own, not a sentence.
    """
    text = text.strip()
    return 0 < len(text.split()) <= words and text[:1].isupper() and text[-1:] not in closing


@dataclass
class Para:
    kind: Literal["text", "bullets"]
    lines: list[str] = field(default_factory=list)

    def render(self) -> str:
        if self.kind == "bullets":
            return "\n".join(BULLET + line for line in self.lines)
        return "\n".join(self.lines)


def _join_words(left: str, right: str) -> str:
    """Join a wrapped line to the next: one space, none after a hyphen that ends a line ("self-" + "assessment")."""
    if not left:
        return right
    if left.endswith("-") and not left.endswith(" -") and right[:1].islower():
        return left + right
    return f"{left} {right}"


class TextBuilder:
    """Accumulates a text from the pieces a reader gives, applying the joining rules in one place."""

    def __init__(self) -> None:
        self.paras: list[Para] = []
        self._open = False
        self._after_page_break = False

    def paragraph_break(self) -> None:
        self._open = False
        self._after_page_break = False

    def page_break(self) -> None:
        """The next piece may continue the last paragraph (see continue_or_start)."""
        if self.paras:
            self._after_page_break = True

    def add_line(self, text: str) -> None:
        """A hard-wrapped line: joins the open paragraph (or bullet) unless it starts a bullet."""
        self._add(text, wrapped=True)

    def add_paragraph(self, text: str) -> None:
        """A whole paragraph (or several, in a cell's text or a markup fragment)."""
        for index, para in enumerate(paragraphs_of(text)):
            if index == 0 and self._after_page_break and self._continue(para):
                continue
            self._after_page_break = False
            self._append(para)
        self._open = False

    def _add(self, text: str, *, wrapped: bool) -> None:
        for index, line in enumerate(_split_bullets(text)):
            bullet, body = line
            if not body:
                continue
            para = Para("bullets" if bullet else "text", [body])
            if self._after_page_break:
                self._after_page_break = False
                if self._continue(para):
                    self._open = True
                    continue
                self._open = False
            last = self.paras[-1] if self.paras else None
            if last is not None and self._open and wrapped and not bullet and (index == 0):
                last.lines[-1] = _join_words(last.lines[-1], body)
            elif last is not None and bullet and last.kind == "bullets" and self._open:
                last.lines.append(body)
            else:
                self._append(para)
            self._open = True

    def _continue(self, para: Para) -> bool:
        """Join the first piece after a page break to the last paragraph when the page cut it.

        A bullet continues a bullet list; text continues the last paragraph or bullet when that did not end a
        sentence. Anything else starts a new paragraph.
        """
        last = self.paras[-1] if self.paras else None
        if last is None:
            return False
        if para.kind == "bullets" and last.kind == "bullets":
            last.lines.extend(para.lines)
            return True
        if para.kind == "text" and not ends_sentence(last.lines[-1]):
            last.lines[-1] = _join_words(last.lines[-1], para.lines[0])
            if len(para.lines) > 1:
                self._append(Para("text", para.lines[1:]))
            return True
        return False

    def _append(self, para: Para) -> None:
        last = self.paras[-1] if self.paras else None
        if last is not None and last.kind == para.kind == "bullets":
            last.lines.extend(para.lines)
        else:
            self.paras.append(Para(para.kind, list(para.lines)))

    def render(self) -> str:
        return "\n\n".join(p.render() for p in self.paras if p.lines)


def _split_bullets(text: str) -> list[tuple[bool, str]]:
    """A line as (is_bullet, text) pieces: a leading bullet mark, and "•" inside the line starting another bullet."""
    bullet = False
    match = _LINE_BULLET.match(text)
    if match:
        bullet = True
        text = text[match.end() :]
    pieces: list[tuple[bool, str]] = []
    for index, piece in enumerate(_INLINE_BULLET.split(text)):
        body = collapse(piece)
        if body:
            pieces.append((bullet or index > 0, body))
    return pieces


def paragraphs_of(text: str) -> list[Para]:
    """Paragraphs of a cell's or paragraph's text: markup fragments decoded, blank lines between paragraphs, bullets.

    Inside one paragraph a line without a bullet mark continues the line before it (text wrapped in a cell).
    """
    if has_markup(text):
        text = _markup_to_text(text)
    else:
        text = text.replace("\r\n", "\n")
        text = re.sub(r"\n[ \t]*\n\s*", _PARA_BREAK, text).replace("\n", _LINE_BREAK)
    paras: list[Para] = []
    for chunk in text.split(_PARA_BREAK):
        current: list[Para] = []
        for raw_line in chunk.split(_LINE_BREAK):
            for index, (bullet, body) in enumerate(_split_bullets(raw_line)):
                last = current[-1] if current else None
                if bullet:
                    if last is not None and last.kind == "bullets":
                        last.lines.append(body)
                    else:
                        current.append(Para("bullets", [body]))
                elif last is not None and index == 0 and not _starts_item(body):
                    last.lines[-1] = _join_words(last.lines[-1], body)
                elif last is not None and last.kind == "text":
                    last.lines.append(body)
                else:
                    current.append(Para("text", [body]))
        paras.extend(current)
    return paras


_ITEM = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s")


def _starts_item(text: str) -> bool:
    """A lettered or numbered item ("(a) ...", "ii) ...") keeps its own line."""
    return _ITEM.match(text) is not None


def _markup_to_text(fragment: str) -> str:
    """A markup fragment (possibly cut mid-element, with stray closing tags) as text with paragraph/line markers.

    BeautifulSoup's html.parser tolerates the broken fragments flattened tables leave behind; entities are decoded.
    """
    soup = BeautifulSoup(fragment, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(name=True):
        if not isinstance(tag, Tag):
            continue
        name = tag.name.lower()
        if name in ("script", "style"):
            tag.decompose()
        elif name in _BLOCK_TAGS or name in ("ul", "ol"):
            tag.insert_before(NavigableString(_PARA_BREAK))
            tag.insert_after(NavigableString(_PARA_BREAK))
        elif name == "li":
            parent = tag.parent
            if isinstance(parent, Tag) and parent.name == "ol":
                items = [c for c in parent.children if isinstance(c, Tag) and c.name == "li"]
                start = int(str(parent.get("start", "1"))) if str(parent.get("start", "1")).isdigit() else 1
                marker = f"{start + items.index(tag)}. "
            else:
                marker = "• "
            tag.insert_before(NavigableString(_LINE_BREAK + marker))
            tag.insert_after(NavigableString(_LINE_BREAK))
        elif name == "br":
            tag.replace_with(NavigableString(_LINE_BREAK))
        elif name in ("td", "th"):
            tag.insert_after(NavigableString(" "))
    text = soup.get_text("")
    return re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", text)
