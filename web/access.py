"""What a link opens: checks a verified claim against the database. Any failure is the same InvalidLink.

A link is refused (and the page says no more than "this link is no longer valid") when its signature is wrong, it has
expired, it is for another role's page, the action does not exist, was reassigned since (its assignment moved on), is
closed, or had its links revoked after the link was issued.
"""

from dataclasses import dataclass

from sqlmodel import Session

from models import links
from models.links import InvalidLink, LinkClaim
from models.rules.vocabulary import CLOSED, Status
from models.store.action_page import ActionSetting, action_in_setting
from models.store.liaison_links import liaison_link_revoked
from models.store.tables import Action, Agency, Report


def claim_for(secret_key: str, token: str, role: str) -> LinkClaim:
    claim = links.verify(secret_key, token, max_age_days=links.max_age_days())
    if claim.role != role:
        raise InvalidLink("wrong role")
    return claim


def action_for(session: Session, claim: LinkClaim) -> Action:
    """The action an owner's or signer's link opens, while the link is still good."""
    _action_id(claim)
    return _still_good(claim, session.get(Action, claim.action_id))


def action_setting_for(session: Session, claim: LinkClaim) -> ActionSetting:
    """``action_for`` with the action's recommendation, report and agency, read in the same query (for its page)."""
    setting = action_in_setting(session, action_id=_action_id(claim))
    _still_good(claim, setting.action if setting else None)
    assert setting is not None
    return setting


def _action_id(claim: LinkClaim) -> int:
    if claim.role not in ("owner", "signer") or not isinstance(claim.action_id, int):
        raise InvalidLink("not an action link")
    return claim.action_id


def _still_good(claim: LinkClaim, action: Action | None) -> Action:
    if action is None or action.assignment != claim.assignment:
        raise InvalidLink("no such action, or reassigned")
    if Status(action.status) in CLOSED:
        raise InvalidLink("closed")
    if links.is_revoked(claim, action.links_revoked_at):
        raise InvalidLink("revoked")
    return action


@dataclass(frozen=True)
class AgencyReport:
    agency: Agency
    report: Report


def agency_report_for(session: Session, claim: LinkClaim) -> AgencyReport:
    """The agency and report a liaison officer's link opens."""
    if claim.role != "liaison" or not claim.agency_id or not claim.report_id:
        raise InvalidLink("not a liaison link")
    agency = session.get(Agency, claim.agency_id)
    report = session.get(Report, claim.report_id)
    if agency is None or report is None:
        raise InvalidLink("no such agency or report")
    if liaison_link_revoked(session, claim):
        raise InvalidLink("revoked")
    return AgencyReport(agency, report)
