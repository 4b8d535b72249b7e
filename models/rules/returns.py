"""Return assembly and the rules of sending. Pure: the standard library and the other rule modules only; "today" and
every date come in as parameters.

A return is one agency's update to the inspectorate on one report: its own recommendations, in report order, each with
the agency's response, between the chief officer's and portfolio lead's comments and the PCC's. The same machinery
builds the statutory comments of a local policing body (Police Act 1996 s.55).
"""

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from models.rules.deadlines import DayCount, statutory_comments_due
from models.rules.national import covered_response
from models.rules.vocabulary import CLOSED, ReturnDecision, ReturnKind, Status
from models.rules.working_days import is_working_day

MISSING_RESPONSE = "No response recorded."
"""What stands in a return's table where an agency has not recorded a response: plain, never blank."""

PCC_SEPARATELY = "PCC's comments may be returned separately or added to this content post this return."
"""The seed's own words, used when no PCC comments are recorded."""

DEFAULT_LIAISON_ROLE = "HMICFRS Liaison Officer"

COMMENTS_REMINDER_DAYS: tuple[int, ...] = (14, 7, 1)
"""Days before the s.55 deadline on which a local policing body is reminded that its comments are due."""


@dataclass(frozen=True)
class RecommendationInput:
    """A recommendation as the rules need it; ``position`` is its place in the report."""

    number: str
    addressee: str
    text: str
    position: int


@dataclass(frozen=True)
class ActionInput:
    """An agency's action on one recommendation: its status and the response it will return."""

    number: str
    status: Status
    response: str | None
    covered_by: str | None = None
    """The name of the national body whose response covers this action (the return says so instead)."""
    inspectorate: str | None = None
    """The inspectorate's latest decision on the action, in words."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    email: str = ""


@dataclass(frozen=True)
class Row:
    """One line of the return's table: the recommendation (number, addressee line, full text) | the response."""

    number: str
    addressee: str
    text: str
    response: str | None
    status: Status
    covered_by: str | None = None
    inspectorate: str | None = None

    @property
    def heading(self) -> str:
        """ "Recommendation 1. To chief constables", as the seed writes it."""
        return f"Recommendation {self.number}. {self.addressee}"

    @property
    def response_text(self) -> str:
        if self.covered_by:
            return covered_response(self.covered_by)
        return self.response if self.response and self.response.strip() else MISSING_RESPONSE

    @property
    def has_response(self) -> bool:
        """A response recorded, or a national response that covers the recommendation."""
        return bool(self.covered_by or (self.response and self.response.strip()))


@dataclass(frozen=True)
class ReturnContent:
    """Everything a return document says, ready for a template."""

    kind: ReturnKind
    dated: date
    report_title: str
    agency_name: str
    rows: tuple[Row, ...]
    chief_officer: str | None = None
    portfolio_lead: str | None = None
    pcc: str | None = None
    body_comments: str | None = None
    liaison: Person | None = None
    round: int = 1
    signer: Person | None = None
    """The portfolio lead who agrees and signs off the responses ("Agreed and signed off by ..., portfolio lead")."""
    recommendations_in_report: int = 0

    @property
    def preface(self) -> str:
        """The table's first row, as the seed has it: how the recommendations are referred to below."""
        total = self.recommendations_in_report or len(self.rows)
        made = f"{total} recommendation{'s' if total != 1 else ''}"
        mine = len(self.rows)
        if mine == total:
            return f"The report makes {made}, all referred to below."
        return f"The report makes {made}; {mine} apply to {self.agency_name} and are referred to below."

    @property
    def heading(self) -> str:
        if self.kind is ReturnKind.COMMENTS:
            return f"COMMENTS OF THE {self.agency_name.upper()} ON THE HMICFRS REPORT"
        return f"RESPONSE OF {self.agency_name.upper()} TO THE HMICFRS REPORT"

    @property
    def date_text(self) -> str:
        """The date as the seed writes it (24/02/21)."""
        return self.dated.strftime("%d/%m/%y")

    @property
    def missing(self) -> list[str]:
        return pre_send_check(self)


def assemble(
    *,
    kind: ReturnKind = ReturnKind.PROGRESS,
    today: date,
    report_title: str,
    agency_name: str,
    recommendations: Iterable[RecommendationInput],
    actions: Iterable[ActionInput],
    chief_officer: str | None = None,
    portfolio_lead: str | None = None,
    pcc: str | None = None,
    body_comments: str | None = None,
    liaison: Person | None = None,
    round: int = 1,  # noqa: A002  # the return's round, as the table and the CLI name it
    signer: Person | None = None,
) -> ReturnContent:
    """The content of a return: only the recommendations the agency has an action for, in report order.

    A recommendation addressed to others never appears, even if it is in ``recommendations``: the agency answers for
    its own recommendations only.
    """
    by_number = {a.number: a for a in actions}
    recommendations = list(recommendations)
    rows = tuple(
        Row(
            number=r.number,
            addressee=r.addressee,
            text=r.text,
            response=a.response,
            status=a.status,
            covered_by=a.covered_by,
            inspectorate=a.inspectorate,
        )
        for r in sorted(recommendations, key=lambda r: r.position)
        if (a := by_number.get(r.number)) is not None
    )
    return ReturnContent(
        kind=kind,
        dated=today,
        report_title=report_title,
        agency_name=agency_name,
        rows=rows,
        chief_officer=_text_or_none(chief_officer),
        portfolio_lead=_text_or_none(portfolio_lead),
        pcc=_text_or_none(pcc),
        body_comments=_text_or_none(body_comments),
        liaison=liaison,
        round=round,
        signer=signer,
        recommendations_in_report=len(recommendations),
    )


def _text_or_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def pre_send_check(content: ReturnContent) -> list[str]:
    """What a person must fill in before the return can go, one plain line each (empty when nothing is missing).

    Every recommendation needs a response; a return needs a liaison officer to send it; the s.55 comments need the
    body's own comments.
    """
    missing = [f"recommendation {row.number}: no response recorded" for row in content.rows if not row.has_response]
    if content.kind is ReturnKind.COMMENTS and content.body_comments is None:
        missing.append("the local policing body's comments are not recorded")
    if content.liaison is None:
        missing.append("no liaison officer is recorded for the agency")
    return missing


def is_due(
    *,
    today: date,
    due_on: date | None,
    early_returns: bool,
    all_closed: bool,
    approved: bool,
) -> bool:
    """A return is due once the report's return date has come, or earlier where the report allows early returns and
    every one of the agency's actions is closed and the liaison officer has approved it.

    A report with no return date has returns due only early (approved, everything closed, early returns allowed).
    """
    if due_on is not None and today >= due_on:
        return True
    return early_returns and all_closed and approved


def all_closed(statuses: Iterable[Status]) -> bool:
    """Every action closed (and at least one action): complete, not accepted or superseded."""
    items = list(statuses)
    return bool(items) and all(s in CLOSED for s in items)


def may_send(*, has_liaison: bool, missing_responses: int, send_as_is: bool) -> bool:
    """A return goes only for an agency that uses the system (a liaison officer is recorded), and only with every
    recommendation answered, unless the liaison officer chose to send it as it stands (an explicit, recorded choice).
    """
    return has_liaison and (missing_responses == 0 or send_as_is)


@dataclass(frozen=True)
class ReturnState:
    """The facts about one return that decide what happens to it today."""

    due: bool
    submitted: bool
    on_hold: bool
    has_liaison: bool
    missing_responses: int
    send_as_is: bool
    queued: bool = False
    """Handed to the delivery log, not yet accepted by the return address."""
    refused: bool = False
    """Handed to the delivery log and refused for good by the return address."""


def decide_return(state: ReturnState) -> ReturnDecision:  # noqa: PLR0911 - an ordered table of cases, read top down
    """What to do with a return today, in order: sent already (accepted by the return address), refused, still
    sending, not due, held, no liaison officer, missing, send. Never "sent" before the return address accepted it.
    """
    if state.submitted:
        return ReturnDecision.SENT
    if state.refused:
        return ReturnDecision.NOT_DELIVERED
    if state.queued:
        return ReturnDecision.SENDING
    if not state.due:
        return ReturnDecision.NOT_DUE
    if state.on_hold:
        return ReturnDecision.HELD
    if not state.has_liaison:
        return ReturnDecision.NO_LIAISON
    if not may_send(has_liaison=True, missing_responses=state.missing_responses, send_as_is=state.send_as_is):
        return ReturnDecision.MISSING
    return ReturnDecision.SEND


def missing_notice_due(*, today: date, due_on: date | None, holidays: AbstractSet[date] = frozenset()) -> bool:
    """The "what is missing" notice goes each working day from the due date (not before it)."""
    return due_on is not None and today >= due_on and is_working_day(today, holidays)


# --- the statutory comments of local policing bodies (Police Act 1996 s.55) -----------------------------------------


def comments_due(published_on: date, convention: str = DayCount.DAY_ONE.value) -> date:
    """When a local policing body's s.55 comments are due, under the report's day-count convention."""
    return statutory_comments_due(published_on, DayCount(convention))


def comments_reminder(*, today: date, due_on: date, days_before: Sequence[int] = COMMENTS_REMINDER_DAYS) -> int | None:
    """Which reminder (days before the deadline) falls today, or None: reminders go only before the deadline."""
    left = (due_on - today).days
    return left if left in days_before else None


def artifact_rows(content: ReturnContent) -> list[dict[str, str]]:
    """The table each compile and submit publishes: recommendation, status, response (or that none is recorded)."""
    return [
        {
            "agency": content.agency_name,
            "recommendation": r.number,
            "status": r.status.value,
            "response": r.response_text,
        }
        for r in content.rows
    ]
