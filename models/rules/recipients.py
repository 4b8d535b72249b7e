"""Recipient resolution: from an addressee line as written to groups, and from groups to agencies.

Pure: the alias table and the group membership come in as parameters (they are data, in the register).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from models.rules.errors import UnknownAddressee

ALL_RECIPIENTS = "all-recipients"
"""The target of "To all recipients of recommendations from this investigation"."""

_ALL_RECIPIENTS_RE = re.compile(r"\ball (?:the )?recipients\b")
_EQUIVALENTS_RE = re.compile(r"\(?\s*or (?:their )?equivalents?\s*\)?")
_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

_CONNECTORS = frozenset({"to", "and", "the", "all", "each", "every", "or", "of", "their", "for", "&"})
"""Words that join the bodies in an addressee line and name none of them."""


@dataclass(frozen=True)
class Resolution:
    """What an addressee line names: group or agency ids, or every recipient of the report."""

    targets: tuple[str, ...]
    all_recipients: bool = False


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def normalise_addressee(line: str) -> str:
    """The addressee line as written, without surrounding space and the trailing separator (; : . ,)."""
    return re.sub(r"\s+", " ", line).strip().rstrip(";:.,").strip()


def build_alias_table(
    groups: Iterable[Mapping[str, object]], agencies: Iterable[Mapping[str, object]]
) -> dict[str, str]:
    """Lower-case phrase -> group or agency id, from the register's ids, names and aliases.

    An alias that would name two different things is an error: resolution must never guess.
    """
    table: dict[str, str] = {}
    for item in [*groups, *agencies]:
        target = str(item["id"])
        raw_aliases = item.get("aliases") or []
        assert isinstance(raw_aliases, list | tuple)
        phrases = [target.replace("-", " "), str(item.get("name", "")), *(str(a) for a in raw_aliases)]
        for phrase in phrases:
            key = " ".join(_words(phrase))
            if not key:
                continue
            if table.get(key, target) != target:
                raise ValueError(f"alias {phrase!r} names both {table[key]!r} and {target!r}")
            table[key] = target
    return table


def resolve_addressee(line: str, aliases: Mapping[str, str], groups: Iterable[str] | None = None) -> Resolution:
    """The groups or agencies an addressee line names, longest known phrase first.

    "To chief constables and police and crime commissioners (or equivalents)" -> chief-constables,
    local-policing-bodies. Every word must be placed: a word that is neither part of a known phrase nor a connector
    ("and", "to", "the"...) raises UnknownAddressee naming it, so a typo never becomes a silently smaller fan-out.
    """
    text = normalise_addressee(line).lower()
    if _ALL_RECIPIENTS_RE.search(text):
        return Resolution(targets=(), all_recipients=True)
    words = _words(_EQUIVALENTS_RE.sub(" ", text))
    by_length = sorted({len(k.split()) for k in aliases}, reverse=True)
    targets: list[str] = []
    unplaced: list[str] = []
    i = 0
    while i < len(words):
        for n in by_length:
            target = aliases.get(" ".join(words[i : i + n])) if i + n <= len(words) else None
            if target is not None:
                if target not in targets:
                    targets.append(target)
                i += n
                break
        else:
            if words[i] not in _CONNECTORS:
                unplaced.append(words[i])
            i += 1
    if unplaced or not targets:
        known = sorted(set(groups) if groups is not None else set(aliases.values()))
        raise UnknownAddressee(normalise_addressee(line), " ".join(unplaced) or line, known)
    return Resolution(targets=tuple(targets))


def expand(targets: Iterable[str], members: Mapping[str, Iterable[str]], agency_ids: Iterable[str]) -> set[str]:
    """The agencies that a set of group or agency ids stands for."""
    known_agencies = set(agency_ids)
    agencies: set[str] = set()
    for target in targets:
        if target in members:
            agencies.update(members[target])
        elif target in known_agencies:
            agencies.add(target)
        else:
            raise ValueError(f"groups: {target!r} is neither a known group nor an agency")
    return agencies


def recipients_by_recommendation(
    targets: Mapping[str, Iterable[str]],
    members: Mapping[str, Iterable[str]],
    agency_ids: Iterable[str],
) -> dict[str, set[str]]:
    """Recommendation number -> agency ids, with "all recipients" as the union of the other recommendations.

    ``targets`` maps each recommendation's number to the group or agency ids it resolved to; ALL_RECIPIENTS among them
    stands for everyone the report's other recommendations address.
    """
    ids = list(agency_ids)
    direct = {
        number: expand([t for t in group_ids if t != ALL_RECIPIENTS], members, ids)
        for number, group_ids in targets.items()
    }
    everyone = set().union(*direct.values()) if direct else set()
    return {
        number: (everyone if ALL_RECIPIENTS in group_ids else direct[number]) for number, group_ids in targets.items()
    }


_BODY_WORDS = re.compile(
    r"\b(?:commissioners?|pccs?|pfccs?|local policing bod(?:y|ies)|mayor(?:'s)?|police authority|mopac)\b",
    re.IGNORECASE,
)


def one_force_targets(addressee: str, *, force_id: str, body_id: str | None) -> list[str]:
    """Who an item of a report about one force (a PEEL inspection) addresses: that force, and its local policing body
    as well where the addressee line names commissioners or local policing bodies. Never any other agency: a finding
    about one force is that force's business, whatever group its addressee line names.
    """
    if body_id is not None and _BODY_WORDS.search(addressee):
        return [force_id, body_id]
    return [force_id]
