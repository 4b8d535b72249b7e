"""Who a recommendation is addressed to: an addressee line ("To chief constables"), else the subject of its sentence.

Real reports write both forms: super-complaint reports put "To chief constables" under the heading; inspection
reports write "By 31 March 2025, chief constables should ..." and leave the addressee inside the sentence.
"""

import re
from collections.abc import Callable, Mapping
from typing import Protocol

from models.rules.errors import ActionedError

ALL_RECIPIENTS = "all-recipients"

_ADDRESSEE_LINE = re.compile(r"^(?:addressed\s+)?to\s+(?:all\s+|the\s+|each\s+|every\s+)?[A-Za-z(]", re.IGNORECASE)
_VERBS = r"(?:should|must|shall|will|need to|needs to|are to|is to|are asked to|is asked to)"
_RECOMMEND_THAT = re.compile(
    r"^(?:(?:we|hmic|hmicfrs|the inspectorate)\s+)?(?:recommends?|proposes?)\s+that\s+", re.IGNORECASE
)
_LEAD_IN = re.compile(
    r"^(?:and\s+|but\s+)?(?:by|before|within|immediately|with reference|in consultation|in collaboration|pending|as\b|"
    r"where|when|if|working|together|following|from|subject to|to support|in\s+the\s+next|no later than|"
    r"as a matter of|in order|at the|on|for|after|during|until|in)\b",
    re.IGNORECASE,
)
_MAX_SUBJECT_WORDS = 16
_DATED_LEAD_IN = re.compile(
    r"^(?:by|before|not later than|no later than|on or before)\s+(?:the\s+end\s+of\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"[A-Z][a-z]+\.?\s+\d{4},?\s+(?=[a-z])",
    re.IGNORECASE,
)


class ResolutionLike(Protocol):
    @property
    def targets(self) -> tuple[str, ...]: ...

    @property
    def all_recipients(self) -> bool: ...


Resolver = Callable[[str, Mapping[str, str]], ResolutionLike]


def clean_addressee(line: str) -> str:
    """The addressee line as written, trailing ; : . , removed and spaces collapsed."""
    return re.sub(r"\s+", " ", line).strip().rstrip(";:.,").strip()


def is_addressee_line(text: str) -> bool:
    """ "To chief constables", "To the Home Office", "To PCCs, MoJ and Chief Constables": short, starting "To"."""
    text = text.strip()
    return bool(_ADDRESSEE_LINE.match(text)) and len(text.split()) <= 25 and not re.search(r"[.!?]\s+\S", text)


def addressee_is_open(line: str) -> bool:
    """An addressee line cut by wrapping: an unclosed bracket or a trailing "and", "or", comma."""
    stripped = line.rstrip()
    return stripped.count("(") > stripped.count(")") or bool(re.search(r"(?:,|\band|\bor|&)$", stripped))


def subject_of(text: str) -> str | None:
    """The subject of a recommendation's first sentence: "By 31 March 2025, chief constables should" -> "chief
    constables".

    Introductory clauses ("By ...,", "Within six months,", "With reference to recommendation 1, and in consultation
    with ...,") are dropped one comma at a time; what stands before the modal verb is the subject, when short.
    """
    sentence = re.split(r"(?<=[.;:])\s", text.strip(), maxsplit=1)[0]
    sentence = _RECOMMEND_THAT.sub("", sentence)
    sentence = _DATED_LEAD_IN.sub("", sentence)
    while _LEAD_IN.match(sentence) and "," in sentence:
        sentence = sentence.split(",", 1)[1].strip()
        sentence = _RECOMMEND_THAT.sub("", sentence)
    match = re.match(rf"^(?P<subject>.+?)\s+{_VERBS}\b", sentence)
    if match is None:
        return None
    subject = match.group("subject").strip(" ,")
    if len(subject.split()) > _MAX_SUBJECT_WORDS or _LEAD_IN.match(subject) or subject.lower() in ("we", "they", "it"):
        return None
    return subject


def resolve_groups(
    addressee: str, aliases: Mapping[str, str], resolve: Resolver
) -> tuple[list[str] | None, str | None]:
    """The group or agency ids an addressee names, or (None, why not).

    "all chief constables" is tried again without its leading "all"/"the" when the resolver does not place it.
    """
    candidates = [addressee]
    shorter = re.sub(r"^(?:to\s+)?(?:all|the|each|every)\s+", "", addressee, flags=re.IGNORECASE)
    if shorter != addressee:
        candidates.append(shorter)
    problem = None
    for candidate in candidates:
        try:
            resolution = resolve(candidate, aliases)
        except ActionedError as error:
            unplaced = getattr(error, "unplaced", None)
            reason = f"{unplaced!r} names no known group or agency" if unplaced else str(error)
            problem = problem or f"addressee {addressee!r} not resolved: {reason}"
            continue
        if resolution.all_recipients:
            return [ALL_RECIPIENTS], None
        if resolution.targets:
            return list(resolution.targets), None
    return None, problem or f"addressee {addressee!r} names no known group or agency"
