"""Checking a report draft against the register before a person confirms it, and importing it when they do.

The same path as ``actioned report extract`` then ``actioned report import`` then ``actioned assign``: the
addressee placed in the register as the extraction places it, the definition validated by ``ReportDefinition``,
then ``import_report`` and ``fan_out``. Every problem is reported on the page's field at fault.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError
from sqlmodel import Session, select

from models.definitions import ReportDefinition
from models.extraction.addressees import place_addressee
from models.extraction.dates_text import whole_date
from models.import_draft import Draft, definition_data
from models.rules.deadlines import action_due, return_due
from models.rules.errors import ActionedError
from models.rules.recipients import ALL_RECIPIENTS, expand, resolve_addressee
from models.store.fanout import fan_out
from models.store.register import agency_names, alias_table, group_members
from models.store.reports import import_report, list_recommendations, own_due_on, resolve_groups
from models.store.tables import Action, Group, Report

FIELD_OF = {"id": "report_id", "title": "title", "published_on": "published_on", "return_address": "return_address"}
REC_FIELDS = ("number", "addressee", "text", "due_on", "due_text")
MESSAGES = {
    "report_id": "Enter the report's id: lowercase letters, digits and dashes, like safe-to-share",
    "title": "Enter the report's title",
    "published_on": "Enter the date the report was published, like 17 December 2020",
    "return_address": "Enter the email address progress returns go to, like returns@hmicfrs.example.gov.uk",
    "number": "Enter the recommendation's number, like 3 or 4.1",
    "addressee": "Enter who the recommendation is addressed to, like Chief constables",
    "text": "Enter the recommendation's text",
    "due_on": "Enter the deadline as a date, like 30 September 2023, or leave it empty",
}


@dataclass(frozen=True)
class Placed:
    """Whom a recommendation's addressee line reaches: the groups or agencies it names, and the agencies."""

    targets: list[str]
    agencies: list[str]
    everyone: bool = False


@dataclass
class Checked:
    errors: dict[str, str] = field(default_factory=dict)
    placed: dict[int, Placed] = field(default_factory=dict)
    definition: ReportDefinition | None = None
    existing: bool = False
    """A report with this id is already registered: importing updates it (nothing is duplicated)."""
    report_due: date | None = None
    """When the progress returns are due (the document's "within N months of publication"), if it says."""
    due: dict[int, date | None] = field(default_factory=dict)
    """When each kept recommendation's actions will be due (its own deadline, else the report's return date)."""


def typed_date(value: str) -> date | None:
    """A date as a person types it: 2020-12-17, 17 December 2020, 17/12/2020; None when it is not one."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    return whole_date(value)


def _rec_field(place: int, name: str) -> str:
    return f"rec_{place}_{name}"


def _place(session: Session, draft: Draft, checked: Checked) -> dict[int, list[str]]:
    aliases = alias_table(session)
    members = group_members(session)
    named = agency_names(session)
    names = dict(session.exec(select(Group.id, Group.name)).all()) | named
    groups: dict[int, list[str]] = {}
    for place, item in draft.kept:
        if not item.addressee.strip():
            continue
        targets, problem = place_addressee(item.addressee, aliases, resolve_addressee)
        if targets is None:
            checked.errors[_rec_field(place, "addressee")] = (
                f"{problem or 'the addressee names no group or agency'}: name a group (like Chief constables) or "
                "an agency in the register"
            )
            continue
        groups[place] = targets
        everyone = ALL_RECIPIENTS in targets
        reached = expand([t for t in targets if t != ALL_RECIPIENTS], members, named)
        checked.placed[place] = Placed(
            targets=[names.get(t, "Everyone the report's other recommendations address") for t in targets],
            agencies=sorted(named[a] for a in reached),
            everyone=everyone,
        )
    return groups


def _dates(draft: Draft, checked: Checked) -> Draft:
    """The draft with its dates in ISO form, or errors on the fields whose dates are not dates."""
    published = typed_date(draft.published_on) if draft.published_on.strip() else None
    if published is None:
        checked.errors["published_on"] = MESSAGES["published_on"]
    items = []
    for place, item in enumerate(draft.items, start=1):
        due = item.due_on.strip()
        parsed = typed_date(due) if due else None
        if due and parsed is None and not item.left_out:
            checked.errors[_rec_field(place, "due_on")] = MESSAGES["due_on"]
        items.append(item.model_copy(update={"due_on": parsed.isoformat() if parsed else ""}))
    return draft.model_copy(
        update={"published_on": published.isoformat() if published else "2000-01-01", "items": items}
    )


def _duplicates(draft: Draft, checked: Checked) -> None:
    seen: set[tuple[str, str]] = set()
    for place, item in draft.kept:
        key = (item.kind, item.number.strip())
        if item.number.strip() and key in seen:
            word = item.kind_label.lower()
            checked.errors[_rec_field(place, "number")] = (
                f"the number {item.number} is given twice: give each {word} its own number"
            )
        seen.add(key)


def _validation_errors(error: ValidationError, draft: Draft, checked: Checked) -> None:
    kept = [place for place, _ in draft.kept]
    for problem in error.errors():
        loc = problem["loc"]
        if len(loc) >= 3 and loc[0] == "recommendations" and isinstance(loc[1], int) and loc[2] in REC_FIELDS:
            name = _rec_field(kept[loc[1]], str(loc[2]))
            message = MESSAGES.get(str(loc[2]), problem["msg"].removeprefix("Value error, "))
        elif loc and loc[0] in FIELD_OF:
            name = FIELD_OF[str(loc[0])]
            message = MESSAGES[name]
        elif loc == ("recommendations",):
            name, message = "recommendations", "Keep at least one recommendation to import"
        else:
            continue  # a rule the page already reported on its field (a number twice)
        checked.errors.setdefault(name, message)


def check(session: Session, draft: Draft) -> Checked:
    """The draft as ``report import`` would take it, or the errors keyed by the page's fields (in page order)."""
    checked = Checked()
    if not draft.kept:
        checked.errors["recommendations"] = "Keep at least one recommendation to import"
    dated = _dates(draft, checked)
    _duplicates(dated, checked)
    groups = _place(session, dated, checked)
    try:
        definition = ReportDefinition.model_validate(definition_data(dated, groups))
    except ValidationError as error:
        _validation_errors(error, dated, checked)
        definition = None
    if definition is not None and not checked.errors:
        try:
            resolve_groups(session, definition=definition, source=draft.document)
        except ActionedError as error:
            checked.errors["recommendations"] = error.message[:1].upper() + error.message[1:]
        else:
            checked.definition = definition
            report_due = return_due(definition.published_on, months=definition.return_months)
            checked.report_due = report_due
            for (place, _), rec in zip(dated.kept, definition.recommendations, strict=True):
                own = own_due_on(rec, published_on=definition.published_on)
                checked.due[place] = action_due(own_due_on=own, report_due_on=report_due)
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", draft.report_id):
        checked.existing = session.get(Report, draft.report_id) is not None
    _name_items(draft, checked)
    order = ["title", "report_id", "published_on", "return_address", "recommendations"]
    order += [_rec_field(place, name) for place in range(1, len(draft.items) + 1) for name in REC_FIELDS]
    rank = {name: i for i, name in enumerate(order)}
    checked.errors = dict(sorted(checked.errors.items(), key=lambda item: rank.get(item[0], len(rank))))
    return checked


def _name_items(draft: Draft, checked: Checked) -> None:
    """A recommendation's error says which one it is about (the error summary lists them all together)."""
    for name, message in list(checked.errors.items()):
        match = re.fullmatch(r"rec_(\d+)_[a-z_]+", name)
        if match is None:
            continue
        item = draft.items[int(match.group(1)) - 1]
        label = (
            f"{item.kind_label} {item.number}" if item.number else f"The {item.kind_label.lower()} at {item.location}"
        )
        checked.errors[name] = f"{label}: {message[:1].lower()}{message[1:]}"


@dataclass(frozen=True)
class Imported:
    report_id: str
    created: bool
    recommendations: int
    actions_created: int


def import_checked(session: Session, *, definition: ReportDefinition, source: str) -> Imported:
    """``report import`` then the fan-out, in the caller's transaction (the page commits once, after both)."""
    summary = import_report(session, definition=definition, source=source)
    fanned = fan_out(session, report_id=definition.id)
    return Imported(
        report_id=definition.id,
        created=summary.created,
        recommendations=len(definition.recommendations),
        actions_created=fanned.created,
    )


def imported_counts(session: Session, *, report_id: str) -> tuple[int, int] | None:
    """(recommendations, actions) of a registered report; None when it is not registered."""
    report = session.get(Report, report_id)
    if report is None:
        return None
    recommendations = len(list_recommendations(session, report_id=report_id))
    actions = len(session.exec(select(Action.id).where(Action.report_id == report_id)).all())
    return recommendations, actions
