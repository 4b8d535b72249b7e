"""The words Actioned uses, one place for each: the states of actions, deliveries and returns, the roles of contacts
and of the people who move an action, the kinds of agency, and the labels people read.

Tables store the values (``Status.IN_PROGRESS == "in_progress"``); rules, templates and pages compare and show the
members. A label is for reading only: never decide anything by comparing labels.
"""

from enum import StrEnum
from typing import TypeVar

from models.rules.errors import ActionedError


class Status(StrEnum):
    """An action's state, as forces report it to their boards, made precise (the CLI and JSON spell the values)."""

    AWAITING_ALLOCATION = "awaiting_allocation"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    PENDING_SIGNOFF = "pending_signoff"
    COMPLETE = "complete"
    NOT_ACCEPTED = "not_accepted"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        """ "In progress": the state as a sentence starts with it."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.AWAITING_ALLOCATION: "Awaiting allocation",
    Status.OPEN: "Open",
    Status.IN_PROGRESS: "In progress",
    Status.PENDING_SIGNOFF: "Pending sign-off",
    Status.COMPLETE: "Complete",
    Status.NOT_ACCEPTED: "Not accepted",
    Status.SUPERSEDED: "Superseded",
}

CLOSED: frozenset[Status] = frozenset({Status.COMPLETE, Status.NOT_ACCEPTED, Status.SUPERSEDED})
"""Closed actions get no reminders and count as done for a return."""

WORKING: frozenset[Status] = frozenset({Status.OPEN, Status.IN_PROGRESS})
"""An owner is working on these; "complete" from here asks the signer."""


class Actor(StrEnum):
    """Who asks for a move on an action: its owner (signed link), its signer (signed link) or an administrator."""

    OWNER = "owner"
    SIGNER = "signer"
    ADMIN = "admin"


class ContactRole(StrEnum):
    """The roles an agency's contacts are kept in."""

    OWNER = "owner"
    PORTFOLIO_LEAD = "portfolio_lead"
    CHIEF_OFFICER = "chief_officer"
    LIAISON_OFFICER = "liaison_officer"
    PCC_CONTACT = "pcc_contact"

    @property
    def label(self) -> str:
        """ "portfolio lead": the role as it reads inside a sentence."""
        return _CONTACT_ROLE_LABELS[self]


_CONTACT_ROLE_LABELS = {
    ContactRole.OWNER: "action owner",
    ContactRole.PORTFOLIO_LEAD: "portfolio lead",
    ContactRole.CHIEF_OFFICER: "chief officer",
    ContactRole.LIAISON_OFFICER: "liaison officer",
    ContactRole.PCC_CONTACT: "PCC contact",
}

SIGNERS: tuple[ContactRole, ...] = (ContactRole.PORTFOLIO_LEAD, ContactRole.CHIEF_OFFICER)
"""Who signs an action off, in the order asked: the portfolio lead, else the chief officer."""


class StaffRole(StrEnum):
    """What a signed-in member of staff may do (granted by the staff file an administrator edits, never by code): a
    liaison officer works for one or more agencies; the others see every agency.
    """

    LIAISON_OFFICER = "liaison_officer"
    ADMINISTRATOR = "administrator"
    INSPECTORATE = "inspectorate"
    NATIONAL_COORDINATOR = "national_coordinator"

    @property
    def label(self) -> str:
        return _STAFF_ROLE_LABELS[self]


_STAFF_ROLE_LABELS = {
    StaffRole.LIAISON_OFFICER: "Liaison officer",
    StaffRole.ADMINISTRATOR: "Administrator",
    StaffRole.INSPECTORATE: "Inspectorate",
    StaffRole.NATIONAL_COORDINATOR: "National coordinator",
}


class AgencyKind(StrEnum):
    FORCE = "force"
    LOCAL_POLICING_BODY = "local_policing_body"
    NATIONAL_BODY = "national_body"


class DeliveryStatus(StrEnum):
    """A delivery row's state: decided (pending), claimed by a sender (sending), then sent, failed or skipped."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    PARTLY_SENT = "partly_sent"
    """The main recipient (or some copies) accepted it; the others deferred and are retried."""

    @property
    def label(self) -> str:
        """ "Partly sent": the state as people read it."""
        return self.value.replace("_", " ").capitalize()

    FAILED = "failed"
    SKIPPED = "skipped"


UNFINISHED_DELIVERY: frozenset[DeliveryStatus] = frozenset(
    {DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED, DeliveryStatus.PARTLY_SENT}
)
"""Deliveries a run has not finished: a run that leaves any of these says so and exits non-zero."""


class ReturnStatus(StrEnum):
    """A compiled return's state: draft, compiled, queued for sending, submitted (the return address accepted it)."""

    DRAFT = "draft"
    COMPILED = "compiled"
    QUEUED = "queued"
    SUBMITTED = "submitted"


class ReturnKind(StrEnum):
    PROGRESS = "progress"
    COMMENTS = "comments"


class ReturnDecision(StrEnum):
    """What the daily cycle does with one return today."""

    NOT_DUE = "not_due"
    SENT = "sent"
    """The return address accepted it: the return is submitted."""
    SENDING = "sending"
    """Logged for sending, and the return address has not accepted it yet (a retry is to come)."""
    NOT_DELIVERED = "not_delivered"
    """The return address refused it for good; the liaison officer and chief officer were told."""
    HELD = "held"
    NO_LIAISON = "no_liaison"
    MISSING = "missing"
    SEND = "send"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        """ "Red (overdue)": the rating in words, so colour is never the only signal."""
        return _RAG_LABELS[self]


_RAG_LABELS = {Rag.RED: "Red (overdue)", Rag.AMBER: "Amber (due soon or no recent update)", Rag.GREEN: "Green"}


class EventKind(StrEnum):
    """What an event in an action's history records."""

    CREATED = "created"
    STATUS = "status"
    RESPONSE = "response"
    OWNER = "owner"
    NOTE = "note"
    EVIDENCE = "evidence"
    LINKS_REVOKED = "links_revoked"
    CLOSURE = "closure"
    NATIONAL_RESPONSE = "national_response"
    DECLINED = "declined"
    DUE_ON = "due_on"
    DUE_REQUEST = "due_request"
    TASK = "task"
    LINK = "link"

    @property
    def label(self) -> str:
        return _EVENT_LABELS[self]


_EVENT_LABELS = {
    EventKind.CREATED: "Created",
    EventKind.STATUS: "Status",
    EventKind.RESPONSE: "Response",
    EventKind.OWNER: "Owner",
    EventKind.NOTE: "Note",
    EventKind.EVIDENCE: "Evidence added",
    EventKind.LINKS_REVOKED: "Links revoked",
    EventKind.CLOSURE: "Inspectorate's decision",
    EventKind.NATIONAL_RESPONSE: "Covered by a national response",
    EventKind.DECLINED: "Not mine",
    EventKind.DUE_ON: "Due date",
    EventKind.DUE_REQUEST: "Due date change asked",
    EventKind.TASK: "Task",
    EventKind.LINK: "Linked finding",
}


class Closure(StrEnum):
    """The inspectorate's decision on an agency's action: a separate fact from the agency's own "complete"."""

    CLOSED = "closed"
    FURTHER_EVIDENCE = "further_evidence"

    @property
    def label(self) -> str:
        return _CLOSURE_LABELS[self]


_CLOSURE_LABELS = {Closure.CLOSED: "Closed by the inspectorate", Closure.FURTHER_EVIDENCE: "Further evidence needed"}


class ReturnProgress(StrEnum):
    """Where an agency's return stands, as the national view shows it (lateness is counted apart, in working days)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY = "ready"
    HELD = "held"
    SENT = "sent"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return _RETURN_PROGRESS_LABELS[self]


_RETURN_PROGRESS_LABELS = {
    ReturnProgress.NOT_STARTED: "Not started",
    ReturnProgress.IN_PROGRESS: "In progress",
    ReturnProgress.READY: "Ready to send",
    ReturnProgress.HELD: "Held",
    ReturnProgress.SENT: "Sent",
    ReturnProgress.ACCEPTED: "Accepted by the inspectorate's server",
}


class ItemKind(StrEnum):
    """The kinds of finding HMICFRS reports carry; each has its own default reminder ladder."""

    RECOMMENDATION = "recommendation"
    CAUSE_OF_CONCERN = "cause_of_concern"
    AREA_FOR_IMPROVEMENT = "area_for_improvement"
    ACTION = "action"

    @property
    def label(self) -> str:
        return _ITEM_KIND_LABELS[self]


def item_label(kind: str) -> str:
    """A finding's kind as a sentence names it: "recommendation", "area for improvement"."""
    return label_of(ItemKind, kind).lower()


_ITEM_KIND_LABELS = {
    ItemKind.RECOMMENDATION: "Recommendation",
    ItemKind.CAUSE_OF_CONCERN: "Cause of concern",
    ItemKind.AREA_FOR_IMPROVEMENT: "Area for improvement",
    ItemKind.ACTION: "Action",
}


class ItemRelation(StrEnum):
    """How a finding links to one in another report."""

    RECURS_IN = "recurs_in"
    SUPERSEDED_BY = "superseded_by"


class DueChangeStatus(StrEnum):
    """A due-date change request: asked, then approved (the date moves) or refused."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"


class TaskStatus(StrEnum):
    """A task's state: open, in progress, done. The action it belongs to is ready for sign-off when all are done."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


_E = TypeVar("_E", bound=StrEnum)


def member_named(kind: type[_E], value: str, *, what: str, field: str, error: type[ActionedError]) -> _E:
    """The member of ``kind`` that ``value`` names, as people write it ("In progress", "in-progress", "IN_PROGRESS");
    else ``error`` in one line: "'done!' is not <what> (expected one of: ...)", naming ``field``.
    """
    try:
        return kind(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise error(f"{value!r} is not {what} (expected one of: {known})", field=field) from None


def label_of(kind: type[_E], value: str | None) -> str:
    """The label of ``value`` read as a member of ``kind`` (a value from a table), or the value itself if unknown."""
    if value is None:
        return ""
    try:
        member = kind(value)
    except ValueError:
        return value
    label = getattr(member, "label", None)
    return label if isinstance(label, str) else value
