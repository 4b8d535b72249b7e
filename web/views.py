"""What the pages show: an action with its recommendation, report, history and evidence; an agency's actions."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from models.rules.errors import ActionedError, ConflictError
from models.rules.rag import action_rag
from models.rules.transitions import allowed_moves, can_reassign
from models.rules.vocabulary import Actor, ContactRole, Status, label_of
from models.store import evidence, item_links
from models.store.action_page import ActionSetting
from models.store.actions import action_setting, events_for, list_actions
from models.store.national import NationalAnswer, national_answers
from models.store.register import contacts_of
from models.store.tables import Action, Agency, Event, Evidence, Recommendation, Report
from notifications import allocation
from web import forms


def status_label(value: str | None) -> str:
    return label_of(Status, value)


@dataclass(frozen=True)
class StatusChoice:
    value: str
    label: str
    hint: str


OWNER_CHOICES = (
    StatusChoice(Status.IN_PROGRESS, Status.IN_PROGRESS.label, "Work has started."),
    StatusChoice(
        Status.COMPLETE, Status.COMPLETE.label, "The work is done: it goes to your portfolio lead to sign off."
    ),
    StatusChoice(
        Status.NOT_ACCEPTED, Status.NOT_ACCEPTED.label, "The recommendation will not be implemented: give the reason."
    ),
    StatusChoice(Status.SUPERSEDED, Status.SUPERSEDED.label, "Other work has replaced it: say what superseded it."),
)


def owner_choices(current: str) -> list[StatusChoice]:
    """The statuses the transition rule lets an owner choose from ``current``."""
    allowed = allowed_moves(Status(current), Actor.OWNER)
    return [choice for choice in OWNER_CHOICES if Status(choice.value) in allowed]


@dataclass(frozen=True)
class ActionView:
    action: Action
    recommendation: Recommendation
    report: Report
    agency: Agency
    events: list[Event]
    evidence: list[Evidence]
    status_label: str
    days_left: int | None
    rag: str
    links: tuple[str, ...] = ()
    """The finding's links across reports, as it reads them ("Recurs in ...", "Superseded by ...")."""
    covered_by: NationalAnswer | None = None
    """The national response the action points to, if a national body answers on the agency's behalf."""


def covering(session: Session, action: Action) -> NationalAnswer | None:
    """The national response ``action`` points to, if any."""
    if action.national_response_id is None:
        return None
    found = national_answers(session, report_id=action.report_id)
    return next((a for a in found if a.id == action.national_response_id), None)


def action_view(session: Session, action: Action, today: date, *, setting: ActionSetting | None = None) -> ActionView:
    """The action's page's content; ``setting``: its recommendation, report and agency when already read."""
    assert action.id is not None
    if setting is not None:
        rec, report, agency = setting.recommendation, setting.report, setting.agency
    else:
        rec, report, agency = action_setting(session, action)
    return ActionView(
        action=action,
        recommendation=rec,
        report=report,
        agency=agency,
        events=list(reversed(events_for(session, action_id=action.id))),
        evidence=evidence.evidence_for(session, action_id=action.id),
        status_label=status_label(action.status),
        days_left=(action.due_on - today).days if action.due_on else None,
        rag=action_rag(action, today).value,
        covered_by=covering(session, action),
        links=tuple(item_links.links_of(session, [rec.id or 0]).get(rec.id or 0, [])),
    )


@dataclass(frozen=True)
class AgencyRow:
    action: Action
    number: str
    text: str
    status_label: str
    rag: str
    reassignable: bool
    covered_by: NationalAnswer | None = None
    """The national response the action points to (a national body answering on the agency's behalf)."""


def agency_rows(session: Session, *, agency_id: str, report_id: str, today: date) -> list[AgencyRow]:
    rows = list_actions(session, report_id=report_id, agency_id=agency_id)
    covered = any(r.action.national_response_id is not None for r in rows)
    # the report's national responses are read only when one of these actions points to one (most never do)
    answers = {a.id: a for a in national_answers(session, report_id=report_id)} if covered else {}
    return [
        AgencyRow(
            action=r.action,
            number=r.number,
            text=r.text,
            status_label=status_label(r.action.status),
            rag=action_rag(r.action, today).value,
            reassignable=can_reassign(Status(r.action.status)),
            covered_by=answers.get(r.action.national_response_id or 0),
        )
        for r in rows
    ]


def actor_for(session: Session, *, agency_id: str, role: ContactRole, fallback: str) -> str:
    """Who a signer or liaison officer is, for the event trail: the first contact on record in that role."""
    contacts = contacts_of(session, agency_id=agency_id, role=role)
    return contacts[0].email if contacts else fallback


def liaison_actor(session: Session, *, agency_id: str) -> str:
    """Who acted through the agency's liaison link, for the event trail: its liaison officer on record."""
    return actor_for(session, agency_id=agency_id, role=ContactRole.LIAISON_OFFICER, fallback=f"liaison:{agency_id}")


def reassign(
    session: Session, *, agency_id: str, report_id: str, values: dict[str, str], by: str
) -> tuple[dict[str, str], list[str]]:
    """Give one of the agency's actions for the report to a new owner (as ``actioned action assign`` does), from a
    form's ``action``, ``owner_email`` and ``owner_name``: the errors by field (none when it was done) and the keys of
    the new owner's message, to send once the caller has committed (``notifications.allocation.send``).
    """
    errors: dict[str, str] = {}
    action_id = forms.row_id(values["action"])
    action = session.get(Action, action_id) if action_id is not None else None
    if action is None or action.agency_id != agency_id or action.report_id != report_id or action.id is None:
        errors["action"] = "Choose the action to reassign"
    if not values["owner_email"]:
        errors["owner_email"] = "Enter the new owner's email address"
    if errors or action is None or action.id is None:
        return errors, []
    try:
        _, keys = allocation.assign(
            session,
            action_id=action.id,
            owner_email=values["owner_email"],
            owner_name=values["owner_name"] or None,
            by=by,
        )
    except (ActionedError, ConflictError) as exc:
        field, message = forms.field_error(exc, default="action", rename={"owner": "owner_email"})
        errors[field if field in ("action", "owner_email") else "action"] = message
        return errors, []
    return errors, keys
