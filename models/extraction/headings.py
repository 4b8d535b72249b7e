"""Recognising the lines that structure a report: recommendation headings, section headings, contents lines."""

import re
from dataclasses import dataclass
from typing import Literal

from models.extraction.markup import short_title

Kind = Literal["recommendation", "action", "area_for_improvement", "cause_of_concern"]

_NUMBER = r"(?P<number>\d{1,3}(?:\.\d{1,3})*[a-z]?)"
_HEADING = re.compile(
    r"^(?P<word>Recommendation|RECOMMENDATION|Action|ACTION)\s+(?:[Nn]o\.?\s*)?" + _NUMBER + r"(?P<rest>.*)$"
)
_AFTER_NUMBER = re.compile(r"^(?:\s*[:.)\-–—]\s*|\s*$|\s+(?=[A-Z(“\"‘']))")
_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)])\s+(?P<rest>[A-Z(“\"‘'].*)$")
_SECTION = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:summary of |list of |our |the |key |main )?"
    r"(?:recommendations|recommendations and actions|actions for (?:the )?inspectorates?)\s*:?$",
    re.IGNORECASE,
)
_TERMINATOR = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:areas? for improvement|causes? of concern|annex|appendix|chapter\s+\d+|conclusions?|"
    r"next steps|summary|introduction|background|findings|contents|glossary|about (?:this|the|us)\b|methodology|"
    r"(?:innovative|promising|good|notable) practice|our (?:findings|conclusions|inspection)|terms of reference|"
    r"references|acknowledgements|foreword|executive summary|the super-complaint|part\s+\d+|section\s+\d+|"
    r"what we found|how we inspected|our approach)\b",
    re.IGNORECASE,
)
_CONTENTS_LINE = re.compile(r"(?:\.{4,}|…{2,}|\s{3,})\s*\d{1,4}\s*$")


@dataclass(frozen=True)
class Heading:
    kind: Kind
    number: str
    rest: str
    """What follows the number on the same line: an addressee, the start of the text, or nothing."""


def recommendation_heading(text: str) -> Heading | None:
    """ "Recommendation 1", "Recommendation 7.1: To the Home Office", "Action 1 – HMICFRS will ...", "RECOMMENDATION 3".

    The word must be capitalised and what follows the number must be punctuation, the end of the line or a capital:
    "recommendation 4 (on ...)" and "Recommendation 2 is addressed to ..." are references in running text.
    """
    match = _HEADING.match(text.strip())
    if match is None:
        return None
    rest = match.group("rest")
    separator = _AFTER_NUMBER.match(rest)
    if separator is None:
        return None
    kind: Kind = "action" if match.group("word").lower() == "action" else "recommendation"
    return Heading(kind, match.group("number"), rest[separator.end() :].strip())


_SUB_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})+\.?|\(?[a-z]\))\s+(?P<rest>\S.*)$")


def numbered_item(text: str, *, sub: bool = False) -> Heading | None:
    """ "1. By 31 March 2025, chief constables should ...", "7.1 To the Home Office": a numbered paragraph.

    With ``sub`` (inside recommendation 7), "7.1 publish ..." may start in lower case, as the lead-in's continuation.
    """
    match = (_SUB_NUMBERED if sub else _NUMBERED).match(text.strip())
    if match is None:
        return None
    return Heading("recommendation", match.group("number").rstrip(".)"), match.group("rest").strip())


def is_section_heading(text: str) -> bool:
    """ "Recommendations", "Summary of recommendations", "Our recommendations:": the section recommendations are in."""
    return _SECTION.match(text.strip()) is not None


def is_terminator(text: str) -> bool:
    """A heading that ends the recommendations: "Areas for improvement", "Annex A", "Next steps"..."""
    text = text.strip()
    return len(text.split()) <= 10 and not re.search(r"[.;,]$", text) and _TERMINATOR.match(text) is not None


def is_contents_line(text: str) -> bool:
    """A table-of-contents entry: "Recommendations ........ 12"."""
    return _CONTENTS_LINE.search(text) is not None


def looks_like_heading(text: str) -> bool:
    """A short standalone line without closing punctuation that starts with a capital: "What happens next"."""
    return short_title(text, words=8, closing=".;:,!?") and not text.strip().lower().startswith(
        ("to ", "by ", "within ")
    )


_UNNUMBERED = re.compile(
    r"^(?P<word>Recommendation|Area for improvement|Cause of concern|Cause for concern)(?:\s*:\s*(?P<rest>\S.*))?\s*:?$"
)
_KINDS: dict[str, Kind] = {
    "recommendation": "recommendation",
    "area for improvement": "area_for_improvement",
    "cause of concern": "cause_of_concern",
    "cause for concern": "cause_of_concern",
}


def unnumbered_heading(text: str) -> Heading | None:
    """ "Recommendation" alone, or "Recommendation: Chief Fire Officers should ...": an item with no number (progress
    pages that list the recommendations by their text). Only for a heading or a line standing on its own.
    """
    match = _UNNUMBERED.match(text.strip())
    if match is None:
        return None
    return Heading(_KINDS[match.group("word").lower()], "", (match.group("rest") or "").strip())


_AFI_SECTION = re.compile(r"^(?:areas? for improvement|causes? (?:of|for) concern)\s*:?$", re.IGNORECASE)


def findings_section(text: str) -> Kind | None:
    """ "Areas for improvement" / "Cause of concern" as a heading: the kind of the unnumbered items under it."""
    text = text.strip()
    if not _AFI_SECTION.match(text):
        return None
    return "area_for_improvement" if text.lower().startswith("area") else "cause_of_concern"


_TITLED = re.compile(r"^0?(?P<number>\d{1,2}):\s+(?P<title>[A-Z].{0,80})$")


def titled_number(text: str) -> Heading | None:
    """ "01: Confidential reporting": a recommendation's number and short title as a heading (Devon and Somerset's
    progress page); its text follows.
    """
    match = _TITLED.match(text.strip())
    if match is None:
        return None
    return Heading("recommendation", match.group("number"), "")


_NUMBER_LINE = re.compile(r"^\d{1,3}$")


def is_number_line(text: str) -> bool:
    """A number alone on a line: the next lines hold a state or owner and the text (registers saved as text)."""
    return _NUMBER_LINE.match(text.strip()) is not None


_LEAD_IN_LIST = re.compile(
    r"^(?:(?:hmicfrs|hmic|we)\s+recommends?\s+that\s+)?(?P<who>[A-Z][^.:;]{1,80}?)\s+"
    r"(?:should|must|is asked to|are asked to)\s*:$"
)


def lead_in_list(text: str) -> str | None:
    """ "The Home Office should:" before a numbered list: the list's addressee."""
    match = _LEAD_IN_LIST.match(text.strip())
    return match.group("who").strip() if match else None


def opens_a_list(text: str) -> bool:
    """A sentence that ends with a colon and announces recommendations ("The Home Office response to the
    recommendations:").
    """
    text = text.strip()
    return text.endswith(":") and re.search(r"\brecommendations?\b", text, re.IGNORECASE) is not None


_REGISTER_ENTRY = re.compile(r"^(?P<report>\S.{8,200}?)\s*\((?P<ref>\d{3,6})\)$")


def register_entry(text: str) -> str | None:
    """ "Core Business: an inspection into ... (4822)": the inspectorate's register names the report, then the
    recommendation's text with no number.
    """
    match = _REGISTER_ENTRY.match(text.strip())
    return match.group("report") if match else None
