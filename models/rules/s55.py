"""Section 55 comments (Police Act 1996): who owes them, by when, and who is reminded of what today. Pure: dates, the
ladder and the holidays are parameters.

- Only local policing bodies owe s.55 comments, and only those the report concerns: a report about one force (a PEEL
  inspection, ``about``) is commented on by that force's body; a national report by the bodies its definition lists
  (``comments.bodies``: ids, or ``all``) or, when it lists none, by the bodies its recommendations address.
- The clock is 56 days, counted under the report's convention (``models.rules.deadlines``: "beginning with" the day
  of publication, or after it).
- The body asks the force's chief officer for comments first, by a date the body sets (no later than the day before
  its own deadline, so it has a day to take them in); until it sets one, the chief officer is asked for them
  :data:`CHIEF_DAYS_BEFORE` days before the body's deadline. The chief officer is asked at once, then reminded on the
  ladder towards that date; the body's PCC contact is reminded on the ladder towards the body's deadline. Recording
  the chief officer's comments stops the first; the body's comments (or its comments return going) stop the second.
"""

from collections.abc import Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta

from models.rules.errors import ActionedError
from models.rules.ladder import Ladder, Stage, latest_stage
from models.rules.working_days import is_working_day

ALL_BODIES = "all"
CHIEF_DAYS_BEFORE = 21
"""Until the body sets a date, the chief officer's comments are asked for three weeks before the body's deadline."""
CHIEF_OFFICER = "chief_officer"
PCC_CONTACT = "pcc_contact"


class S55Error(ActionedError):
    """A s.55 setting or date that cannot be used: the message says why and names the field."""


def bodies_owing(
    *,
    required: bool,
    about: str | None,
    listed: Sequence[str],
    addressed: Collection[str],
    bodies: Mapping[str, str | None],
) -> list[str]:
    """The local policing bodies that owe comments on a report, sorted.

    ``bodies``: every local policing body -> the force it oversees; ``listed``: the definition's ``comments.bodies``;
    ``addressed``: the agencies the report's recommendations reach.
    """
    if not required:
        return []
    if about is not None:
        return sorted(b for b, force in bodies.items() if force == about)
    if listed:
        if ALL_BODIES in listed:
            return sorted(bodies)
        unknown = [b for b in listed if b not in bodies]
        if unknown:
            raise S55Error(f"{unknown[0]!r} is not a local policing body", field="comments.bodies")
        return sorted(set(listed))
    return sorted(b for b in addressed if b in bodies)


def chief_due(*, body_due: date, published_on: date, set_on: date | None) -> date:
    """When the chief officer's comments are due: the body's date, else :data:`CHIEF_DAYS_BEFORE` days before the
    body's deadline (not before publication day).
    """
    if set_on is not None:
        return set_on
    return max(body_due - timedelta(days=CHIEF_DAYS_BEFORE), published_on)


def check_chief_date(chief_by: date, *, published_on: date, body_due: date) -> None:
    """Why ``chief_by`` cannot be the chief officer's date, as an S55Error; else nothing."""
    if chief_by < published_on:
        raise S55Error(f"{chief_by.isoformat()} is before the report was published ({published_on})", field="date")
    if chief_by >= body_due:
        raise S55Error(
            f"{chief_by.isoformat()} leaves the body no time: its own comments are due {body_due.isoformat()}",
            field="date",
        )


@dataclass(frozen=True)
class S55State:
    """One body's comments on one report, as the reminders need them."""

    published_on: date
    body_due: date
    chief_by: date
    chief_done: bool
    body_done: bool


ASKED = "asked"
"""The chief officer's first message: the request itself, on the first working day from publication."""


def due_today(
    state: S55State, *, today: date, sent: AbstractSet[tuple[str, str]], ladder: Ladder, holidays: AbstractSet[date]
) -> list[tuple[str, Stage]]:
    """(role, stage) to send today, given the (role, stage) pairs already sent: the chief officer's request and its
    ladder first, then the PCC contact's ladder. At most one stage per role; none on a non-working day or before
    publication.
    """
    if not is_working_day(today, holidays) or today < state.published_on:
        return []
    due: list[tuple[str, Stage]] = []
    if not state.chief_done and not state.body_done:
        stage = latest_stage(state.chief_by, today=today, ladder=ladder, holidays=holidays)
        if (CHIEF_OFFICER, ASKED) not in sent:
            stage = Stage(ASKED, "reminder", (today - state.chief_by).days, today)
        if stage is not None and (CHIEF_OFFICER, stage.name) not in sent:
            due.append((CHIEF_OFFICER, stage))
    if not state.body_done:
        stage = latest_stage(state.body_due, today=today, ladder=ladder, holidays=holidays)
        if stage is not None and (PCC_CONTACT, stage.name) not in sent:
            due.append((PCC_CONTACT, stage))
    return due
