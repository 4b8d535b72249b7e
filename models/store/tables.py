"""The tables: one module, one naming scheme (class name singular, table name plural snake case).

Deadlines are calendar dates (``date``); instants are aware UTC datetimes. Table models do not validate their input:
everything reaches them through the validated definitions in ``models.definitions`` or the repository functions.
No ``from __future__ import annotations`` here (it breaks SQLModel relationships).
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Report(SQLModel, table=True):
    __tablename__ = "reports"

    id: str = Field(primary_key=True, max_length=120)
    title: str
    publisher: str = "HMICFRS"
    published_on: date
    return_address: str | None = None
    return_months: int | None = None
    return_due_on: date | None = Field(default=None, description="An explicit return date; wins over return_months.")
    early_returns: bool = Field(default=False, description="Whether a return may go before its due date.")
    comments_required: bool = Field(default=False, description="Do local policing bodies owe s.55 comments?")
    comments_convention: str = "day_one"
    comments_recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    comments_bodies: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False),
        description="A national report's bodies that owe s.55 comments (ids, or 'all'); empty: those it addresses.",
    )
    source_url: str | None = None
    about: str | None = Field(default=None, max_length=120, description="The one force a report (PEEL) is about.")
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Recommendation(SQLModel, table=True):
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("report_id", "kind", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(foreign_key="reports.id", index=True, max_length=120)
    number: str = Field(max_length=20)
    kind: str = Field(default="recommendation", max_length=20)
    position: int = 0
    addressee: str
    groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    text: str
    due_on: date | None = None
    due_text: str | None = None


class Group(SQLModel, table=True):
    __tablename__ = "groups"

    id: str = Field(primary_key=True, max_length=120)
    name: str
    description: str = ""
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Agency(SQLModel, table=True):
    __tablename__ = "agencies"

    id: str = Field(primary_key=True, max_length=120)
    name: str
    kind: str = Field(max_length=40)
    oversees: str | None = Field(default=None, max_length=120)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    apprise_urls: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False),
        description="Extra Apprise URLs (Teams, Slack) that receive escalations.",
    )


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_members"

    group_id: str = Field(foreign_key="groups.id", primary_key=True, max_length=120)
    agency_id: str = Field(foreign_key="agencies.id", primary_key=True, max_length=120)


class Contact(SQLModel, table=True):
    """A person at an agency in one role: owner, portfolio_lead, chief_officer, liaison_officer, pcc_contact."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("agency_id", "role", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: str = Field(foreign_key="agencies.id", index=True, max_length=120)
    role: str = Field(max_length=40)
    name: str
    email: str
    title: str = ""


class Action(SQLModel, table=True):
    """One recommendation as it lands on one agency: the unit that is owned, chased and reported on."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "agency_id"),
        Index("ix_actions_status_due_on", "status", "due_on"),
        # An agency's actions by report, and all the staff home counts of them (status, due date, last update), from
        # the index alone: reading the table's rows was half the home's query. It serves lookups by agency too.
        Index("ix_actions_agency_report", "agency_id", "report_id", "status", "due_on", "last_event_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendations.id", index=True)
    report_id: str = Field(foreign_key="reports.id", index=True, max_length=120)
    agency_id: str = Field(foreign_key="agencies.id", max_length=120)  # indexed first in ix_actions_agency_report
    owner_email: str | None = None
    owner_name: str | None = None
    assignment: int = Field(default=0, description="Bumped on every (re)assignment: restarts the ladder, kills links.")
    due_on: date | None = None
    status: str = Field(default="awaiting_allocation", max_length=40)
    response: str | None = None
    version: int = Field(default=1, description="Optimistic locking: every update checks and bumps it.")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    last_event_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    links_revoked_at: datetime | None = Field(
        default=None, description="Links to this action signed before this instant are refused (explicit revocation)."
    )
    national_response_id: int | None = Field(
        default=None, foreign_key="national_responses.id", description="A national body's response that covers it."
    )
    closing: str | None = Field(default=None, max_length=40, description="The closing a pending sign-off asks for.")
    original_due_on: date | None = Field(default=None, description="The date the report gave, before any change.")
    due_changes: int = Field(default=0, description="Approved changes of the due date (a report limits them).")
    due_round: int = Field(default=0, description="Bumped when the due date moves: the ladder starts again from it.")


class Event(SQLModel, table=True):
    """The append-only audit trail: one row for every change to an action."""

    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="actions.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str
    kind: str = Field(max_length=40)
    from_value: str | None = None
    to_value: str | None = None
    note: str | None = None


class DueDateChange(SQLModel, table=True):
    """A request to move one action's due date: asked with a reason, then approved or refused by the signer."""

    __tablename__ = "due_date_changes"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="actions.id", index=True)
    from_on: date | None = None
    to_on: date
    reason: str
    requested_by: str
    requested_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="requested", max_length=20)
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None


class Task(SQLModel, table=True):
    """One part of an action split into tasks: its own owner, due date, status and notes."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("action_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="actions.id", index=True)
    position: int = 1
    title: str
    owner_email: str
    owner_name: str | None = None
    due_on: date | None = None
    status: str = Field(default="open", max_length=20)
    note: str | None = None
    round: int = Field(default=0, description="Bumped when the owner or due date changes: the ladder starts again.")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ItemLink(SQLModel, table=True):
    """A finding linked to one in another report: "recurs in", "superseded by"."""

    __tablename__ = "item_links"
    __table_args__ = (UniqueConstraint("from_id", "relation", "to_id"),)

    id: int | None = Field(default=None, primary_key=True)
    from_id: int = Field(foreign_key="recommendations.id", index=True)
    relation: str = Field(max_length=40)
    to_id: int = Field(foreign_key="recommendations.id", index=True)


class Evidence(SQLModel, table=True):
    """A file or a link that backs an action's response."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="actions.id", index=True)
    filename: str | None = None
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    path: str | None = Field(default=None, description="Where the file is kept, relative to the data folder.")
    url: str | None = None
    added_by: str
    added_at: datetime = Field(default_factory=utcnow)


class Delivery(SQLModel, table=True):
    """One message the system decided to send, written before it is sent and updated after.

    The key is unique (action + stage, or return + round): a second decision for the same key cannot be made, so a
    rerun after a crash sends what is missing and nothing twice.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_status_next", "status", "next_attempt_at"),
        # the agency's delivery log: its filters (state, kind, and whether the row is a message) are in the index too,
        # so counting and paging read the index only (``models.store.delivery_log``)
        Index("ix_deliveries_agency", "agency_id", "id", "status", "kind", "channel", "batch"),
        Index("ix_deliveries_agency_report", "agency_id", "report_id", "id", "status", "kind", "channel", "batch"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=255)
    kind: str = Field(max_length=40)
    stage: str | None = Field(default=None, max_length=40)
    action_id: int | None = Field(default=None, foreign_key="actions.id", index=True)
    return_id: int | None = Field(default=None, foreign_key="returns.id", index=True)
    agency_id: str | None = Field(
        default=None, max_length=120, description="The agency the message is about: the agency's delivery log."
    )
    report_id: str | None = Field(default=None, max_length=120, description="The report it is about, if one.")
    recipient: str
    cc: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    channel: str = Field(default="email", max_length=40)
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    last_error: str | None = None
    message_id: str | None = None
    batch: str | None = Field(
        default=None, max_length=255, index=True, description="The message (digest) this row went in."
    )
    subject: str | None = None
    message: dict[str, Any] | None = Field(
        default=None,
        sa_column=Column(JSON(none_as_null=True), nullable=True),
        description="The rendered message (text, HTML, attachments, extra channels), kept so a rerun can send it.",
    )
    outcomes: dict[str, Any] | None = Field(
        default=None,
        sa_column=Column(JSON(none_as_null=True), nullable=True),
        description="Per recipient: accepted, deferred or refused, with the server's reply (none before a try).",
    )
    created_at: datetime = Field(default_factory=utcnow)
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = Field(default=None, description="When the main recipient (To) accepted it.")
    claimed_at: datetime | None = None


class ReturnComments(SQLModel, table=True):
    """What an agency says around its responses in a return, per report."""

    __tablename__ = "return_comments"

    report_id: str = Field(foreign_key="reports.id", primary_key=True, max_length=120)
    agency_id: str = Field(foreign_key="agencies.id", primary_key=True, max_length=120)
    chief_officer: str | None = None
    portfolio_lead: str | None = None
    pcc: str | None = None
    lpb_comments: str | None = Field(default=None, description="The local policing body's own s.55 comments.")
    signatory: str | None = Field(default=None, description="Who signed the response document, as read from it.")
    sign_off: str | None = Field(default=None, description="Its sign-off line ('Agreed and signed off by ...').")
    updated_by: str | None = None
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=0, description="Optimistic locking: a save names the version it was made from.")


class Return(SQLModel, table=True):
    """One compiled return: (report, agency, round, kind), its document and how it was sent."""

    __tablename__ = "returns"
    __table_args__ = (UniqueConstraint("report_id", "agency_id", "kind", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(foreign_key="reports.id", index=True, max_length=120)
    agency_id: str = Field(foreign_key="agencies.id", index=True, max_length=120)
    kind: str = Field(default="progress", max_length=40)
    round: int = 1
    status: str = Field(default="draft", max_length=20)
    approved_by: str | None = None
    approved_at: datetime | None = None
    send_as_is_by: str | None = None
    send_as_is_at: datetime | None = None
    on_hold: bool = False
    held_by: str | None = None
    hold_reason: str | None = None
    document: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    sha256: str | None = None
    compiled_at: datetime | None = None
    submitted_at: datetime | None = None
    delivery_id: int | None = None
    queued_on: date | None = Field(
        default=None, description="The as-of day the round was decided to go: the day its lateness counts to."
    )


class NationalResponse(SQLModel, table=True):
    """A national body's answer to a recommendation on behalf of many agencies (the NPCC for all chief constables)."""

    __tablename__ = "national_responses"
    __table_args__ = (UniqueConstraint("recommendation_id", "agency_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(foreign_key="reports.id", index=True, max_length=120)
    recommendation_id: int = Field(foreign_key="recommendations.id", index=True)
    agency_id: str = Field(foreign_key="agencies.id", max_length=120, description="The national body answering.")
    response: str
    recorded_by: str
    recorded_at: datetime = Field(default_factory=utcnow)


class InspectorateDecision(SQLModel, table=True):
    """The inspectorate's decision on one agency's action: closed (with the evidence relied on) or further evidence
    needed. Append-only: the latest row is the action's standing with the inspectorate.
    """

    __tablename__ = "inspectorate_decisions"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="actions.id", index=True)
    decision: str = Field(max_length=40)
    note: str
    evidence: str = ""
    decided_by: str
    decided_at: datetime = Field(default_factory=utcnow)


class ReturnReply(SQLModel, table=True):
    """A reply to a sent return, read from the return address's mailbox and matched to the return by Message-ID."""

    __tablename__ = "return_replies"

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="returns.id", index=True)
    message_id: str = Field(unique=True, max_length=255)
    in_reply_to: str = Field(max_length=255, description="The Message-ID of the return it answers.")
    from_address: str
    subject: str = ""
    text: str = ""
    received_at: datetime = Field(default_factory=utcnow)


# --- issue 11: the comments' history and liaison links that can be revoked -----------------------------------------


class ReturnCommentsChange(SQLModel, table=True):
    """The append-only history of an agency's return comments: the text as it stood after each save."""

    __tablename__ = "return_comments_changes"

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(foreign_key="reports.id", index=True, max_length=120)
    agency_id: str = Field(foreign_key="agencies.id", index=True, max_length=120)
    version: int
    chief_officer: str | None = None
    portfolio_lead: str | None = None
    pcc: str | None = None
    lpb_comments: str | None = None
    changed_by: str
    changed_at: datetime = Field(default_factory=utcnow)


class LiaisonAccess(SQLModel, table=True):
    """Per (report, agency): liaison links signed before ``links_revoked_at`` are refused."""

    __tablename__ = "liaison_access"

    report_id: str = Field(foreign_key="reports.id", primary_key=True, max_length=120)
    agency_id: str = Field(foreign_key="agencies.id", primary_key=True, max_length=120)
    links_revoked_at: datetime | None = None
    revoked_by: str | None = None


class ChiefCommentsDate(SQLModel, table=True):
    """The date a local policing body sets for its force's chief officer's comments on a report (s.55: asked first)."""

    __tablename__ = "chief_comments_dates"

    report_id: str = Field(foreign_key="reports.id", primary_key=True, max_length=120)
    agency_id: str = Field(foreign_key="agencies.id", primary_key=True, max_length=120)
    due_on: date
    round: int = Field(default=1, description="Bumped each time the date is set: the chief officer's ladder restarts.")
    set_by: str
    set_at: datetime = Field(default_factory=utcnow)
