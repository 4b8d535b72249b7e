"""The national view's rules: where each agency's return stands, how late it is, the inspectorate's decision on an
action, national responses that cover many agencies, and the collated national return. Pure: the standard library and
the other rule modules only; "today" and the holiday calendar are parameters.
"""

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date, timedelta

from models.rules.errors import ActionedError
from models.rules.vocabulary import CLOSED, Closure, ReturnProgress, Status
from models.rules.working_days import is_working_day

NO_RETURN = "No return received."
"""What stands in the collated return for an addressed agency whose return has not been accepted."""


def covered_response(body_name: str) -> str:
    """What an agency's return says for a recommendation a national body answered on its behalf."""
    return f"Covered by the national response of the {body_name}, which answers this recommendation on our behalf."


# --- where a return stands ----------------------------------------------------------------------------------------


def return_progress(
    *, responses: int, missing: int, on_hold: bool, send_as_is: bool, queued: bool, accepted: bool
) -> ReturnProgress:
    """In order: accepted by the return address's server, handed to the delivery log (sent), held, ready (nothing
    missing, or sending as it stands was chosen), not started (no response recorded at all), else in progress.
    """
    if accepted:
        return ReturnProgress.ACCEPTED
    if queued:
        return ReturnProgress.SENT
    if on_hold:
        return ReturnProgress.HELD
    if missing == 0 or send_as_is:
        return ReturnProgress.READY
    if responses == 0:
        return ReturnProgress.NOT_STARTED
    return ReturnProgress.IN_PROGRESS


def working_days_late(*, due_on: date | None, today: date, accepted_on: date | None, holidays: Set[date]) -> int:
    """Working days after the return date until the return was accepted (or until today, while it has not been).

    The return date itself is not late; a return accepted on or before it is 0 days late; no return date, never late.
    A return accepted after the as-of day (a catch-up run for an earlier day) counts until the as-of day only.
    """
    if due_on is None:
        return 0
    end = min(accepted_on, today) if accepted_on is not None else today
    late, day = 0, due_on + timedelta(days=1)
    while day <= end:
        if is_working_day(day, holidays):
            late += 1
        day += timedelta(days=1)
    return late


# --- the inspectorate's decision on an action ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClosureOutcome:
    """What the inspectorate's decision does to the action: its status afterwards, and whether the ladder restarts
    (a new assignment for the same owner: old links die, the reminders start again, a fresh link goes with the note).
    """

    closure: Closure
    status: Status
    restart_ladder: bool


def parse_closure(value: str) -> Closure:
    try:
        return Closure(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(c.value for c in Closure)
        raise ActionedError(f"{value!r} is not a decision (expected one of: {known})", field="decision") from None


def decide_closure(
    *, status: Status, current: Closure | None, decision: Closure, note: str, evidence: str, has_owner: bool
) -> ClosureOutcome:
    """The inspectorate's decision, checked.

    "Closed" needs a note and the evidence relied on, and leaves the agency's own status as it is (the two are separate
    facts); an action already closed by the inspectorate cannot be closed again. "Further evidence needed" needs a
    note, and an owner to ask: it reopens the action (back to in progress when the agency had finished with it) and
    restarts the ladder.
    """
    if not note.strip():
        raise ActionedError("give a note: the agency will read it", field="note")
    if decision is Closure.CLOSED:
        if not evidence.strip():
            raise ActionedError("name the evidence the closure relies on", field="evidence")
        if current is Closure.CLOSED:
            raise ActionedError("the inspectorate has already closed this action", field="decision")
        return ClosureOutcome(closure=decision, status=status, restart_ladder=False)
    if not has_owner:
        raise ActionedError("the action has no owner to ask for more evidence: allocate one first", field="decision")
    reopened = Status.IN_PROGRESS if status in CLOSED or status is Status.PENDING_SIGNOFF else status
    return ClosureOutcome(closure=decision, status=reopened, restart_ladder=True)


def closure_line(closure: Closure | None, on: date | None, note: str | None) -> str | None:
    """The line a return, an export or a page shows for the inspectorate's latest decision (None when there is none)."""
    if closure is None:
        return None
    when = f" on {on.strftime('%-d %B %Y')}" if on else ""
    return f"{closure.label}{when}: {note}" if note else f"{closure.label}{when}"


# --- the collated national return ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmittedResponse:
    """One row of one agency's return as it was accepted: the response exactly as it stood in the document sent."""

    agency_id: str
    number: str
    response: str
    round: int
    submitted_on: date


@dataclass(frozen=True)
class CollatedRow:
    agency_id: str
    agency_name: str
    response: str
    source: str
    inspectorate: str = ""

    @property
    def received(self) -> bool:
        return self.response != NO_RETURN


@dataclass(frozen=True)
class CollatedRecommendation:
    number: str
    addressee: str
    text: str
    rows: tuple[CollatedRow, ...]

    @property
    def heading(self) -> str:
        return f"Recommendation {self.number}. {self.addressee}"

    @property
    def received(self) -> int:
        return sum(1 for r in self.rows if r.received)


@dataclass(frozen=True)
class RecommendationRef:
    number: str
    addressee: str
    text: str
    position: int


def collate(
    *,
    recommendations: Iterable[RecommendationRef],
    addressed: Mapping[str, Sequence[str]],
    names: Mapping[str, str],
    submitted: Iterable[SubmittedResponse],
    inspectorate: Mapping[tuple[str, str], str] | None = None,
) -> list[CollatedRecommendation]:
    """For each recommendation (report order), every addressed agency's response side by side (agencies by name).

    ``addressed`` maps a recommendation's number to the agencies it landed on; ``submitted`` are the rows of the
    returns accepted (the latest round of each agency wins). An addressed agency with no accepted return gets
    ``NO_RETURN``; ``inspectorate`` maps (agency, number) to the inspectorate's latest decision, in words.
    """
    latest: dict[tuple[str, str], SubmittedResponse] = {}
    for s in submitted:
        key = (s.agency_id, s.number)
        if key not in latest or s.round > latest[key].round:
            latest[key] = s
    decisions = inspectorate or {}
    out = []
    for rec in sorted(recommendations, key=lambda r: r.position):
        agencies = set(addressed.get(rec.number, ())) | {a for a, n in latest if n == rec.number}
        rows = []
        for agency_id in sorted(agencies, key=lambda a: (names.get(a, a).casefold(), a)):
            found = latest.get((agency_id, rec.number))
            rows.append(
                CollatedRow(
                    agency_id=agency_id,
                    agency_name=names.get(agency_id, agency_id),
                    response=found.response if found else NO_RETURN,
                    source=(
                        f"Return round {found.round}, accepted {found.submitted_on.strftime('%-d %B %Y')}"
                        if found
                        else "No return accepted"
                    ),
                    inspectorate=decisions.get((agency_id, rec.number), ""),
                )
            )
        out.append(CollatedRecommendation(number=rec.number, addressee=rec.addressee, text=rec.text, rows=tuple(rows)))
    return out
