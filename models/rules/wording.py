"""How text reads in what people receive: a report's short title, a short extract, paragraphs and bullets kept.

Pure functions over strings (the renderer uses them as Jinja filters).
"""

import itertools
import re
from dataclasses import dataclass

BULLETS = "•‣◦▪●-–*"
"""Characters that start a bulleted line in recommendations as published (and as people type them)."""

_BULLET_LINE = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s+")
_INLINE_BULLET = re.compile(r"\s+•\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s")


@dataclass(frozen=True)
class Block:
    """A paragraph (``kind`` "p", one line) or a bulleted list (``kind`` "ul", one line per item)."""

    kind: str
    lines: tuple[str, ...]


def short_title(title: str, limit: int = 40) -> str:
    """A report's title as a subject line names it: the part before its subtitle.

    "Safe to share? Report on Liberty and ..." -> "Safe to share?"; "PEEL 2023: Wiltshire" -> "PEEL 2023"; a long
    title with neither is cut at a word before ``limit`` characters, with an ellipsis.
    """
    title = " ".join(title.split())
    for mark, keep in (("? ", 1), (": ", 0), (" - ", 0), (" – ", 0)):
        at = title.find(mark)
        if 0 < at <= limit:
            return title[: at + keep]
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def extract(text: str, limit: int = 160) -> str:
    """The start of a text, to recognise it by: its first sentence if short enough, else words up to ``limit``."""
    flat = " ".join(text.replace("•", " ").split())
    first = _SENTENCE_END.split(flat, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def blocks(text: str | None) -> list[Block]:
    """Paragraphs and bulleted lists as written: a blank line ends a paragraph; lines starting with a bullet (or
    items joined with " • " on one line, as text copied from a PDF has them) become one list, in order.
    """
    if not text:
        return []
    out: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        pieces: list[tuple[str, str]] = []  # ("p" or "li", text), in order
        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                continue
            bulleted = _BULLET_LINE.match(line) is not None
            parts = [p.strip() for p in _INLINE_BULLET.split(_BULLET_LINE.sub("", line))]
            lead, rest = ("", parts) if bulleted else (parts[0], parts[1:])
            if lead:
                pieces.append(("p", lead))
            pieces.extend(("li", p) for p in rest if p)
        for kind, group in itertools.groupby(pieces, key=lambda piece: piece[0]):
            lines = tuple(piece[1] for piece in group)
            out.append(Block("ul", lines) if kind == "li" else Block("p", (" ".join(lines),)))
    return out
