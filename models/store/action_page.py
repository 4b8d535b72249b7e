"""What an action's page reads, in as few queries as it can: the action with its recommendation, report and agency
in one joined query, and the contacts in any of several roles in one.

The owner's page is the page most people open; it read seven queries through the ORM (about 60 % of its time,
profiled), three of them a ``session.get`` each for what the action belongs to.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from models.store.tables import Action, Agency, Contact, Recommendation, Report


@dataclass(frozen=True)
class ActionSetting:
    """An action and what it belongs to (each one exists: the action's foreign keys)."""

    action: Action
    recommendation: Recommendation
    report: Report
    agency: Agency


_SETTING = (
    select(Action, Recommendation, Report, Agency)
    .join(Recommendation, col(Recommendation.id) == col(Action.recommendation_id))
    .join(Report, col(Report.id) == col(Action.report_id))
    .join(Agency, col(Agency.id) == col(Action.agency_id))
    .where(col(Action.id) == bindparam("action_id"))
)
"""Built once: building a statement (its expressions and cache key) cost as much as running it on every request."""

_CONTACTS = (
    select(Contact)
    .where(col(Contact.agency_id) == bindparam("agency_id"), col(Contact.role).in_(bindparam("roles", expanding=True)))
    .order_by(col(Contact.id))
)


def action_in_setting(session: Session, *, action_id: int) -> ActionSetting | None:
    """The action with its recommendation, report and agency, in one query; None when there is no such action."""
    row = session.exec(_SETTING, params={"action_id": action_id}).first()
    return None if row is None else ActionSetting(*row)


def contacts_in_first_role(session: Session, *, agency_id: str, roles: Sequence[str]) -> list[Contact]:
    """The agency's contacts in the first of ``roles`` it has anyone in (in the order they were added), one query."""
    found = list(session.exec(_CONTACTS, params={"agency_id": agency_id, "roles": list(roles)}))
    for role in roles:
        people = [c for c in found if c.role == role]
        if people:
            return people
    return []
