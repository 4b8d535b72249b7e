"""Changing an agency's contacts one at a time (the register page, ``actioned agencies add-contact``,
``replace-contact`` and ``remove-contact``), with the effect on its open actions worked out before anything is saved.

Why contacts move actions: the agency's first action-owner contact is its default owner (``default_owners``),
so adding the first one gives it every action awaiting allocation (``allocation.allocate_unowned``); replacing an
action owner (someone left, someone took their place) hands the new person the old one's open actions; removing one
takes their open actions from them, back to awaiting allocation, for the agency's next default owner if it has one,
or for the liaison officer to allocate. Actions pending sign-off keep their owner: the sign-off under way is theirs.

:func:`plan` reads and writes nothing; :func:`apply` makes the same change and returns what happened, which the page
and the command compare with the plan the person confirmed.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from models.definitions import ContactDefinition
from models.rules.errors import ActionedError, NotFound
from models.rules.vocabulary import ContactRole, EventKind, Status
from models.store import allocation
from models.store.actions import assign_owner, get_action
from models.store.register import contacts_of, get_agency, remove_contact
from models.store.tables import Action, Contact, Event

ChangeKind = Literal["add", "replace", "remove"]
HANDED_OVER = (Status.OPEN.value, Status.IN_PROGRESS.value, Status.PENDING_SIGNOFF.value)
"""A replaced owner's actions the new person takes over (everything not closed and not waiting for an owner)."""
RELEASED = (Status.OPEN.value, Status.IN_PROGRESS.value)
"""A removed owner's actions that go back to awaiting allocation (a pending sign-off keeps its owner)."""


@dataclass(frozen=True)
class ContactChange:
    """One change to one contact: ``add`` a person in ``role``; ``replace`` the contact ``contact_id`` by another
    person (same role); ``remove`` the contact ``contact_id``.
    """

    kind: ChangeKind
    agency_id: str
    role: str = ""
    name: str = ""
    email: str = ""
    title: str = ""
    contact_id: int | None = None


@dataclass
class Effect:
    """What a change does to the agency's actions, in the words the check-answers step shows."""

    change: ContactChange
    contact: Contact | None = None
    """The contact replaced or removed (None for an addition)."""
    gains: list[int] = field(default_factory=list)
    """Open actions that will get the new person as owner."""
    loses: list[int] = field(default_factory=list)
    """Open actions that lose their owner."""
    next_owner: str | None = None
    """Who the actions that lose their owner go to (the next default owner), or None: they await allocation."""
    keeps: list[int] = field(default_factory=list)
    """Actions pending sign-off that keep the removed person as owner until signed off."""
    notes: list[str] = field(default_factory=list)

    def lines(self, *, done: bool = False) -> list[str]:
        """The effect as sentences: "12 open actions will get this owner", "3 actions lose their owner and await
        allocation" (``done``: as it reads once saved, "now have", "lost").
        """
        out: list[str] = []
        if self.gains:
            have = "now have" if done else "will get"
            out.append(f"{_count(len(self.gains), 'open action')} {have} this owner")
        if self.loses:
            one = len(self.loses) == 1
            verb = "lost" if done else ("loses" if one else "lose")
            lose = f"{_count(len(self.loses), 'action')} {verb} {'its' if one else 'their'} owner"
            go = ("went" if done else "go") + f" to {self.next_owner}"
            out.append(f"{lose} and {go}" if self.next_owner else f"{lose} and await allocation")
        if self.keeps:
            out.append(
                f"{_count(len(self.keeps), 'action')} pending sign-off keep{'s' if len(self.keeps) == 1 else ''} "
                "their owner until signed off"
            )
        out += self.notes
        return out or ["No action changes owner"]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class InvalidContact(ActionedError):
    """A contact that cannot be recorded: every field at fault (``problems``, field -> message), the first as the
    error's own field and message (the command line prints that one line).
    """

    def __init__(self, problems: dict[str, str], *, about: str) -> None:
        self.problems = problems
        field, message = next(iter(problems.items()))
        super().__init__(message, field=field, about=about)


def _checked(change: ContactChange) -> ContactDefinition:
    try:
        return ContactDefinition.model_validate(
            {"role": change.role, "name": change.name, "email": change.email, "title": change.title}
        )
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for error in exc.errors():
            where = str(error["loc"][0]) if error["loc"] else "email"
            message = str(error["msg"]).removeprefix("Value error, ")
            if where == "role":
                message = f"choose a role ({', '.join(r.label for r in ContactRole)})"
            elif where == "name":
                message = "enter the person's name"
            problems.setdefault(where, message)
        raise InvalidContact(problems, about=change.agency_id) from None


def _contact(session: Session, change: ContactChange) -> Contact:
    found = session.get(Contact, change.contact_id) if change.contact_id is not None else None
    if found is None or found.agency_id != change.agency_id:
        raise NotFound(f"{change.agency_id} has no such contact", field="contact", about=change.agency_id)
    return found


def _owned(session: Session, *, agency_id: str, email: str, statuses: tuple[str, ...]) -> list[int]:
    rows = session.exec(
        select(Action.id).where(
            Action.agency_id == agency_id,
            func.lower(Action.owner_email) == email.lower(),
            col(Action.status).in_(statuses),
        )
    ).all()
    return sorted(i for i in rows if i is not None)


def _waiting(session: Session, *, agency_id: str, declined_by: str) -> list[int]:
    rows = session.exec(
        select(Action.id).where(Action.agency_id == agency_id, Action.status == Status.AWAITING_ALLOCATION.value)
    ).all()
    ids = sorted(i for i in rows if i is not None)
    declined = session.exec(
        select(Event.action_id).where(
            col(Event.action_id).in_(ids),
            Event.kind == EventKind.DECLINED.value,
            func.lower(Event.from_value) == declined_by.lower(),
        )
    ).all()
    return [i for i in ids if i not in set(declined)]


def _owner_contacts(session: Session, agency_id: str) -> list[Contact]:
    return contacts_of(session, agency_id=agency_id, role=ContactRole.OWNER)


def plan(session: Session, change: ContactChange) -> Effect:
    """What ``change`` would do, checked (a bad address or role is an error naming the field); nothing is written."""
    get_agency(session, agency_id=change.agency_id)
    if change.kind == "add":
        definition = _checked(change)
        effect = Effect(change=change)
        held = contacts_of(session, agency_id=change.agency_id, role=definition.role)
        if any(c.email.lower() == definition.email.lower() for c in held):
            raise ActionedError(
                f"{definition.email} is already the agency's {ContactRole(definition.role).label}",
                field="email",
                about=change.agency_id,
            )
        if definition.role == ContactRole.OWNER.value and not held:
            effect.gains = _waiting(session, agency_id=change.agency_id, declined_by=definition.email)
        elif definition.role == ContactRole.OWNER.value:
            effect.notes.append(f"The agency's default owner stays {held[0].email}")
        return effect
    contact = _contact(session, change)
    effect = Effect(change=change, contact=contact)
    if change.kind == "replace":
        definition = _checked(_as_addition(change, contact.role))
        others = contacts_of(session, agency_id=change.agency_id, role=contact.role)
        if any(c.email.lower() == definition.email.lower() and c.id != contact.id for c in others):
            raise ActionedError(
                f"{definition.email} is already the agency's {ContactRole(contact.role).label}",
                field="email",
                about=change.agency_id,
            )
        if contact.role == ContactRole.OWNER and definition.email.lower() != contact.email.lower():
            effect.gains = _owned(session, agency_id=change.agency_id, email=contact.email, statuses=HANDED_OVER)
        return effect
    if contact.role == ContactRole.OWNER:
        effect.loses = _owned(session, agency_id=change.agency_id, email=contact.email, statuses=RELEASED)
        effect.keeps = _owned(
            session, agency_id=change.agency_id, email=contact.email, statuses=(Status.PENDING_SIGNOFF.value,)
        )
        rest = [c for c in _owner_contacts(session, change.agency_id) if c.id != contact.id]
        effect.next_owner = rest[0].email if rest else None
    left = contacts_of(session, agency_id=change.agency_id, role=contact.role)
    if len(left) == 1 and contact.role == ContactRole.LIAISON_OFFICER:
        effect.notes.append(
            "The agency will have no liaison officer: actions handed back and undelivered messages go to nobody"
        )
    return effect


def _as_addition(change: ContactChange, role: str) -> ContactChange:
    """The new person of a replacement, checked as an addition in the replaced contact's role."""
    return ContactChange(
        kind="add", agency_id=change.agency_id, role=role, name=change.name, email=change.email, title=change.title
    )


def _release(session: Session, *, action_ids: list[int], by: str, now: datetime) -> None:
    """Take the actions from their removed owner: awaiting allocation again (``allocation.unallocate``)."""
    for action_id in action_ids:
        action = get_action(session, action_id=action_id)
        why = Event(
            action_id=action_id,
            actor=by,
            kind=EventKind.OWNER,
            from_value=action.owner_email,
            note="removed from the agency's contacts",
        )
        allocation.unallocate(session, action=action, why=why, now=now)


@dataclass
class Applied:
    effect: Effect
    allocated: allocation.Allocated
    """Actions given an owner by the change: owner email -> action ids (to tell them, after the commit)."""


def apply(session: Session, change: ContactChange, *, by: str, now: datetime | None = None) -> Applied:
    """Make the change (in the caller's transaction): the contact row, then the actions as :func:`plan` said."""
    now = now or datetime.now(UTC)
    effect = plan(session, change)
    given = allocation.Allocated()
    if change.kind == "add":
        definition = _checked(change)
        session.add(
            Contact(
                agency_id=change.agency_id,
                role=definition.role,
                name=definition.name,
                email=definition.email,
                title=definition.title,
            )
        )
        session.flush()
    elif change.kind == "replace":
        contact = effect.contact
        assert contact is not None
        definition = _checked(_as_addition(change, contact.role))
        contact.name, contact.email, contact.title = definition.name, definition.email, definition.title
        session.add(contact)
        session.flush()
        for action_id in effect.gains:
            assign_owner(
                session, action_id=action_id, owner_email=definition.email, owner_name=definition.name, by=by, now=now
            )
            given.by_owner.setdefault(definition.email, []).append(action_id)
    else:
        contact = effect.contact
        assert contact is not None
        remove_contact(session, agency_id=change.agency_id, email=contact.email, role=contact.role)
        _release(session, action_ids=effect.loses, by=by, now=now)
    allocated = allocation.allocate_unowned(session, agency_ids=[change.agency_id], by=by, now=now)
    for owner, ids in allocated.by_owner.items():
        given.by_owner.setdefault(owner, []).extend(ids)
    return Applied(effect=effect, allocated=given)


def matching(session: Session, *, agency_id: str, email: str, role: str | None = None) -> list[Contact]:
    """The agency's contacts with ``email`` (in ``role`` only, when given), for the commands that name a contact by
    address; none matching is the error ``remove_contact`` gives (it names the contacts held).
    """
    get_agency(session, agency_id=agency_id)
    wanted = email.strip().lower()
    found = [
        c
        for c in contacts_of(session, agency_id=agency_id)
        if c.email.lower() == wanted and (not role or c.role == role)
    ]
    if not found:  # nothing matches, so nothing is removed: the call only raises its error
        remove_contact(session, agency_id=agency_id, email=email, role=role)
    return found
