"""Allocation: unowned actions get their agency's default owner as soon as it has one; an owner can say "not mine".

Forces' boards report "awaiting allocation" as a state to clear, not to keep: when an agency gains a default owner
(contacts imported after the fan-out, a contact added on a page or at the command line) every action of the agency
still awaiting allocation is given to that owner at once, each with its events. An owner who says "not mine" gives
a reason; the action goes back to awaiting allocation, for the liaison officer to give to the right person, and the
default owner is not handed it again.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from models.rules.errors import ActionedError, TransitionError
from models.rules.transitions import can_decline
from models.rules.vocabulary import ContactRole, EventKind, Status
from models.store.actions import SYSTEM, assign_owner, get_action, write_action
from models.store.register import contacts_of, default_owners
from models.store.tables import Action, Event


@dataclass
class Allocated:
    """Who was given what: owner email -> the ids of the actions they now own (each at its new assignment)."""

    by_owner: dict[str, list[int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.by_owner.values())


def _declined_by(session: Session, action_ids: list[int]) -> set[tuple[int, str]]:
    """(action, email) pairs where that person said "not mine": they are not handed the action again."""
    if not action_ids:
        return set()
    rows = session.exec(
        select(Event.action_id, Event.from_value).where(
            col(Event.action_id).in_(action_ids), Event.kind == EventKind.DECLINED.value
        )
    ).all()
    return {(action_id, email) for action_id, email in rows if email}


def allocate_unowned(
    session: Session, *, agency_ids: list[str] | None = None, by: str = SYSTEM, now: datetime | None = None
) -> Allocated:
    """Give every action awaiting allocation (of ``agency_ids``, or of every agency) its agency's default owner.

    Each allocation is an ordinary assignment (events "owner" and "status", the action opens, a new assignment); an
    action its default owner declined before stays with the liaison officer.
    """
    now = now or datetime.now(UTC)
    owners = default_owners(session)
    query = select(Action.id, Action.agency_id).where(Action.status == Status.AWAITING_ALLOCATION.value)
    if agency_ids is not None:
        query = query.where(col(Action.agency_id).in_(agency_ids))
    waiting = [(i, a) for i, a in session.exec(query.order_by(col(Action.id))).all() if a in owners and i is not None]
    declined = _declined_by(session, [i for i, _ in waiting])
    result = Allocated()
    for action_id, agency_id in waiting:
        email, name = owners[agency_id]
        if (action_id, email) in declined:
            continue
        assign_owner(session, action_id=action_id, owner_email=email, owner_name=name, by=by, now=now)
        result.by_owner.setdefault(email, []).append(action_id)
    return result


def decline(
    session: Session,
    *,
    action_id: int,
    reason: str | None,
    by: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Action:
    """The owner says "not mine": the action goes back to awaiting allocation, with the reason, for the liaison
    officer to give to someone else (a new assignment, so the old owner's links die and their ladder stops).
    """
    now = now or datetime.now(UTC)
    action = get_action(session, action_id=action_id)
    about = f"action {action_id}"
    if not (reason and reason.strip()):
        raise ActionedError(
            "say why the action is not yours; the liaison officer will read it", field="reason", about=about
        )
    if not can_decline(Status(action.status)):
        raise TransitionError(f"a {action.status} action cannot be handed back", field="status", about=about)
    declined = Event(
        action_id=action_id, actor=by, kind=EventKind.DECLINED, from_value=action.owner_email, note=reason.strip()
    )
    return unallocate(session, action=action, why=declined, expected_version=expected_version, now=now)


def unallocate(
    session: Session, *, action: Action, why: Event, expected_version: int | None = None, now: datetime
) -> Action:
    """Take the action from its owner: awaiting allocation again, a new assignment (their links die, their ladder
    stops), with ``why`` (the owner's "not mine", a contact removed) and the status change in its history.
    """
    values: dict[str, object] = {
        "owner_email": None,
        "owner_name": None,
        "assignment": action.assignment + 1,
        "status": Status.AWAITING_ALLOCATION.value,
    }
    moved = Event(
        action_id=why.action_id,
        actor=why.actor,
        kind=EventKind.STATUS,
        from_value=action.status,
        to_value=Status.AWAITING_ALLOCATION,
    )
    return write_action(
        session, action=action, values=values, events=[why, moved], expected_version=expected_version, now=now
    )


def liaison_officers(session: Session, *, agency_id: str) -> list[tuple[str, str]]:
    """(email, name) of the agency's liaison officers, who allocate what owners hand back."""
    return [(c.email, c.name) for c in contacts_of(session, agency_id=agency_id, role=ContactRole.LIAISON_OFFICER)]
