"""The words real documents use around a recommendation: states, response markers, ids, owners, page furniture.

Each pattern was taken from a published document in the corpus (tests/extraction/real/); a docstring names where.
"""

import re

from models.extraction.markup import short_title

_STATUS = re.compile(
    r"^(?:completed?|closed|open|opened|in progress|on track|off track|superseded|not accepted|accepted|"
    r"partially accepted|accepted in principle|rejected|agreed|not agreed|partially agreed|ongoing|not started|"
    r"awaiting allocation|pending sign[- ]?off|delayed|overdue|green|amber|red|achieved|not achieved|"
    r"open\s*[-–]\s*actions? on ?going (?:on|off) track)\.?$",
    re.IGNORECASE,
)


def status_of(text: str) -> str | None:
    """The state a short line names ("Completed", "Partially Accepted", "Open - Actions on going off track"), else
    None.
    """
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".") if _STATUS.match(text) else None


_STATUS_LINE = re.compile(
    r"^(?:action|status|progress|rag(?: status)?|current status)\s*:\s*(?P<status>.+)$", re.IGNORECASE
)


def status_line(text: str) -> str | None:
    """ "Action: Completed", "Status: In progress" (Derbyshire's and Royal Berkshire's progress pages)."""
    match = _STATUS_LINE.match(text.strip())
    return status_of(match.group("status")) if match else None


def is_status_heading(text: str) -> bool:
    """ "Status" on its own line, the state on the next (Staffordshire's progress page)."""
    return text.strip().rstrip(":").lower() in ("status", "current status", "rag status")


_RESPONSE_ALONE = re.compile(
    r"^(?:action we have taken|actions? taken|response|our response|(?:the\s+)?(?:force|service|agency)(?:['’]s)?"
    r"\s+response|update|progress update|management response)\s*:?$",
    re.IGNORECASE,
)
_RESPONSE_COLON = re.compile(
    r"^(?:(?:[A-Z][A-Za-z&]{1,12}\s+)?(?i:action)|(?i:response|our response|update|summary|review|progress update))"
    r"\s*:\s*(?P<rest>.*)$"
)


def response_marker(text: str) -> tuple[str, str] | None:
    """(marker, text after it) when a line opens the agency's response: "DFRS action:", "RBFRS action: Various ...",
    "Action we have taken", "Response", "Summary: HFRS ..."; else None.
    """
    text = text.strip()
    if _RESPONSE_ALONE.match(text):
        return text.rstrip(":"), ""
    match = _RESPONSE_COLON.match(text)
    if match is None:
        return None
    rest = match.group("rest").strip()
    return text[: match.start("rest")].strip().rstrip(":"), rest


_ONLY_REFERENCE = re.compile(
    r"^(?:(?:recommendation|rec|action|afi|coc|cfc|r|t)\.?\s*)?\d{1,3}(?:\.\d{1,3})*[a-z]?[.):]?$|^\d{1,3}\s*%?$|"
    r"^(?:yes|no|y|n|n/a|-|–)$",
    re.IGNORECASE,
)


def only_a_reference(text: str) -> bool:
    """A cell that is only a number or a reference ("7.1", "AFI 3", "68", "Y"): never a response."""
    return _ONLY_REFERENCE.match(re.sub(r"\s+", " ", text).strip()) is not None


_ID = re.compile(
    r"^(?P<prefix>AFI|CoC|CfC|Rec\.?|Recommendation|Action|R|T)?\s?(?P<number>\d{1,3}(?:\.\d{1,3})*[a-z]?)"
    r"(?=$|[\s.:)\-–])[.:)]?\s*(?:[-–:]\s*)?",
)
_KIND_OF_PREFIX = {
    "afi": "area_for_improvement",
    "coc": "cause_of_concern",
    "cfc": "cause_of_concern",
    "action": "action",
}


def leading_id(text: str) -> tuple[str, str, str] | None:
    """(kind, number, rest) for a cell that starts with an id: "AFI 1 - The service should ...", "R7.1 ...", "T1",
    "CoC 2", "1. Improving ...". A prefix of T keeps the id whole ("T1"): it names no kind.
    """
    match = _ID.match(text.strip())
    if match is None:
        return None
    prefix = (match.group("prefix") or "").rstrip(".").lower()
    number = match.group("number")
    if prefix == "t":
        number = "T" + number
    kind = _KIND_OF_PREFIX.get(prefix, "recommendation")
    return kind, number, text.strip()[match.end() :].strip()


_AGENCY_WORDS = re.compile(
    r"\b(?:police|constabulary|service|services|office|council|commissioner|college|npcc|iopc|hmicfrs|authority|"
    r"agency|sector|team|directorate|unit|department|board|chiefs?|ministry|association|apcc|government)\b",
    re.IGNORECASE,
)


def owner_like(text: str) -> bool:
    """A short line naming a body ("West Mercia Police", "Corporate Services Sector"): an owner, not a sentence."""
    return short_title(text, words=7, closing=".;:!?") and _AGENCY_WORDS.search(text) is not None


_FURNITURE = re.compile(
    r"^(?:skip to (?:main )?content\b.*|link to search|print this document|open menu|close menu|menu|search|"
    r"text size:.*|dark|light|dark mode|light mode|back to top|share this page|share|youtube|facebook|twitter|"
    r"for emergencies|publication|[/|>]+|your browser is unsupported\b.*|quickly exit this site\b.*|leave this site|"
    r"sorry, there was a technical problem\. please try again\.|this site is a beta\b.*)$",
    re.IGNORECASE,
)
_COOKIES = re.compile(r"\bcookies?\b", re.IGNORECASE)
_SHORTCODE = re.compile(r"\[/?(?:on|off|comment|caption|embed)\]", re.IGNORECASE)


def is_furniture(text: str) -> bool:
    """Web-page furniture saved with the text: skip links, menus, cookie banners, "Print this document"."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return False
    if _FURNITURE.match(text):
        return True
    return _COOKIES.search(text) is not None and len(text.split()) <= 60 and "recommend" not in text.lower()


def strip_shortcodes(text: str) -> str:
    """ "[on]4th September 2014" -> "4th September 2014": the register's editing shortcodes saved with its text."""
    return _SHORTCODE.sub(" ", text).strip()
