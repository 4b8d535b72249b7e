"""The reminder ladder: which message an action is due on a given day. Pure (stdlib and ``models.rules.working_days``);
"today" and the holiday calendar are parameters.

The ladder, with the shipped defaults (``models/data/ladder.yaml``; a report may override any of it in its
``settings["ladder"]``):

- reminders 28, 14, 7 and 1 days before the due date, and one on the day. A reminder whose day is a weekend or bank
  holiday goes on the working day *before* it: a warning that arrives late is no warning.
- chasers after it: the next working day after the due date, then weekly (7, 14, 21... days overdue). A chaser whose
  day is not a working day goes on the next working day.
- escalation: from 7 days overdue a chaser copies the agency's portfolio lead, from 21 days its chief officer too.
- a "no update" nudge when an open action has had no event for 30 days (again at 60, 90...; any change to the action
  starts the count again).

Messages go on working days only. After a gap (the schedule did not run for a week) only the latest stage due goes,
not every missed one: an owner wants to know where they stand today, not to receive a week of history at once. Only
open and in-progress actions with an owner are reminded: completion, "not accepted" or "superseded" stops the ladder
(so does "pending sign-off": the owner has done their part). A new assignment restarts it for the new owner: stages
already sent are counted per assignment, so the new owner gets the latest stage due at once.
"""

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from models.rules.vocabulary import ItemKind
from models.rules.working_days import is_working_day, next_working_day, previous_working_day

PORTFOLIO_LEAD = "portfolio_lead"
CHIEF_OFFICER = "chief_officer"

KINDS = ("reminder", "chaser", "escalation", "nudge")
SEVERITY = {"nudge": 0, "reminder": 1, "chaser": 2, "escalation": 3}
"""A digest carrying several kinds is sent as the most severe of them."""


class LadderError(ValueError):
    """A ladder setting that cannot be used; the message names the field."""


@dataclass(frozen=True)
class Ladder:
    before_days: tuple[int, ...] = (28, 14, 7, 1)
    on_the_day: bool = True
    chase_next_working_day: bool = True
    chase_every_days: int = 7
    copy_portfolio_lead_from: int = 7
    copy_chief_officer_from: int = 21
    nudge_after_days: int = 30
    statuses: frozenset[str] = field(default_factory=lambda: frozenset({"open", "in_progress"}))

    def updated(self, values: Mapping[str, Any], *, source: str = "ladder") -> "Ladder":
        """The ladder with ``values`` (as read from YAML or a report's settings) applied, each checked."""
        changes: dict[str, Any] = {}
        for name, value in values.items():
            where = f"{source}.{name}"
            if name == "before_days":
                if not isinstance(value, list) or not all(isinstance(v, int) and v > 0 for v in value):
                    raise LadderError(f"{where}: expected a list of whole numbers of days above 0, got {value!r}")
                changes[name] = tuple(sorted(set(value), reverse=True))
            elif name in ("on_the_day", "chase_next_working_day"):
                if not isinstance(value, bool):
                    raise LadderError(f"{where}: expected true or false, got {value!r}")
                changes[name] = value
            elif name in (
                "chase_every_days",
                "copy_portfolio_lead_from",
                "copy_chief_officer_from",
                "nudge_after_days",
            ):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise LadderError(f"{where}: expected a whole number of days (0 turns it off), got {value!r}")
                changes[name] = value
            elif name == "statuses":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise LadderError(f"{where}: expected a list of statuses, got {value!r}")
                changes[name] = frozenset(value)
            else:
                known = ", ".join(f.name for f in self.__dataclass_fields__.values())
                raise LadderError(f"{where}: unknown setting (known: {known})")
        return replace(self, **changes)


KINDS_KEY = "kinds"
"""Under this key a ladder's settings hold what differs for one kind of finding (``kinds: {cause_of_concern: ...}``)."""


def _split_kinds(values: Mapping[str, Any], source: str) -> tuple[dict[str, Any], dict[str, Mapping[str, Any]]]:
    """The settings for every kind, and those per kind (each kind named as HMICFRS names it, checked)."""
    common = {k: v for k, v in values.items() if k != KINDS_KEY}
    per_kind = values.get(KINDS_KEY) or {}
    if not isinstance(per_kind, Mapping):
        raise LadderError(f"{source}.{KINDS_KEY}: expected a mapping of kind -> ladder settings, got {per_kind!r}")
    known = [k.value for k in ItemKind]
    for kind, settings in per_kind.items():
        if kind not in known:
            raise LadderError(f"{source}.{KINDS_KEY}.{kind}: not a kind of finding (known: {', '.join(known)})")
        if not isinstance(settings, Mapping):
            raise LadderError(f"{source}.{KINDS_KEY}.{kind}: expected a mapping of ladder settings, got {settings!r}")
    return common, dict(per_kind)


def ladder_for_kind(
    kind: str,
    *,
    defaults: Mapping[str, Any],
    report: Mapping[str, Any] | None = None,
    defaults_source: str = "ladder",
    report_source: str = "settings.ladder",
) -> Ladder:
    """The ladder for one kind of finding in one report. Four layers, each over the one before:

    1. the shipped defaults (``defaults`` without ``kinds``),
    2. the shipped defaults for the kind (``defaults["kinds"][kind]``): a cause of concern is chased harder than an
       area for improvement,
    3. the report's ``settings.ladder`` (for every kind: a report that wants fortnightly chasers gets them for all),
    4. the report's ``settings.ladder.kinds[kind]``.

    Every layer is checked, also the kinds not asked for, so a bad setting is found whichever kind comes first.
    """
    if kind not in {k.value for k in ItemKind}:
        raise LadderError(f"{kind!r} is not a kind of finding (known: {', '.join(k.value for k in ItemKind)})")
    ladder = Ladder()
    for values, source in ((defaults, defaults_source), (report or {}, report_source)):
        common, per_kind = _split_kinds(values, source)
        ladder = ladder.updated(common, source=source)
        # every kind's settings checked; the one asked for kept
        specific = {k: ladder.updated(v, source=f"{source}.{KINDS_KEY}.{k}") for k, v in per_kind.items()}
        ladder = specific.get(kind, ladder)
    return ladder


@dataclass(frozen=True)
class Stage:
    """One rung: its name (part of the delivery key), kind, nominal days after the due date, the day it goes, and the
    roles it copies in.
    """

    name: str
    kind: str
    days: int
    send_on: date
    copies: tuple[str, ...] = ()


def copies_for(days_overdue: int, ladder: Ladder) -> tuple[str, ...]:
    """The roles a chaser copies in, by how many days overdue it is (0 in a setting turns that copy off)."""
    roles: list[str] = []
    if ladder.copy_portfolio_lead_from and days_overdue >= ladder.copy_portfolio_lead_from:
        roles.append(PORTFOLIO_LEAD)
    if ladder.copy_chief_officer_from and days_overdue >= ladder.copy_chief_officer_from:
        roles.append(CHIEF_OFFICER)
    return tuple(roles)


def _chaser(days: int, send_on: date, ladder: Ladder) -> Stage:
    copies = copies_for(days, ladder)
    return Stage(f"overdue-{days}", "escalation" if copies else "chaser", days, send_on, copies)


def stages(due_on: date, *, until: date, ladder: Ladder, holidays: AbstractSet[date]) -> list[Stage]:
    """Every rung of the ladder for ``due_on`` whose day is ``until`` or earlier, in ladder order."""
    rungs: list[Stage] = []
    for before in ladder.before_days:
        rungs.append(
            Stage(f"before-{before}", "reminder", -before, previous_working_day(due_on - timedelta(before), holidays))
        )
    if ladder.on_the_day:
        rungs.append(Stage("due", "reminder", 0, previous_working_day(due_on, holidays)))
    if ladder.chase_next_working_day:
        first = next_working_day(due_on + timedelta(1), holidays)
        rungs.append(_chaser(1, first, ladder))
    if ladder.chase_every_days:
        days = ladder.chase_every_days
        while due_on + timedelta(days) <= until:
            rungs.append(_chaser(days, next_working_day(due_on + timedelta(days), holidays), ladder))
            days += ladder.chase_every_days
    return [r for r in rungs if r.send_on <= until]


def latest_stage(due_on: date, *, today: date, ladder: Ladder, holidays: AbstractSet[date]) -> Stage | None:
    """The stage due for ``due_on`` on ``today``: the latest rung whose day has come (None on a non-working day)."""
    if not is_working_day(today, holidays):
        return None
    rungs = stages(due_on, until=today, ladder=ladder, holidays=holidays)
    return rungs[-1] if rungs else None


def nudge_stage(last_event_on: date, *, today: date, version: int, ladder: Ladder) -> Stage | None:
    """The "no update" nudge, when the action has been silent for ``nudge_after_days`` (or a multiple of it).

    Its name carries the action's version (bumped by every change) and how many periods of silence have passed, so
    each silent spell gets its nudges once, and a change followed by a new silence gets new ones.
    """
    if not ladder.nudge_after_days:
        return None
    silent = (today - last_event_on).days
    periods = silent // ladder.nudge_after_days
    if periods < 1:
        return None
    return Stage(f"nudge-v{version}-{periods}", "nudge", silent, today)


@dataclass(frozen=True)
class ActionState:
    """What the ladder needs to know about an action."""

    status: str
    has_owner: bool
    due_on: date | None
    last_event_on: date
    version: int = 1


def due_today(
    action: ActionState, *, today: date, sent: AbstractSet[str], ladder: Ladder, holidays: AbstractSet[date]
) -> list[Stage]:
    """The stages to send for ``action`` on ``today``, given the stage names already sent to its current assignment
    (a new assignment starts with none). At most one ladder stage and one nudge.
    """
    if not is_working_day(today, holidays) or not action.has_owner or action.status not in ladder.statuses:
        return []
    due: list[Stage] = []
    if action.due_on is not None:
        stage = latest_stage(action.due_on, today=today, ladder=ladder, holidays=holidays)
        if stage is not None and stage.name not in sent:
            due.append(stage)
    nudge = nudge_stage(action.last_event_on, today=today, version=action.version, ladder=ladder)
    if nudge is not None and nudge.name not in sent:
        due.append(nudge)
    return due


def stage_copies(name: str, ladder: Ladder) -> tuple[str, ...]:
    """The roles copied in for a stage, from its name ("overdue-21" copies the lead and the chief officer)."""
    if name.startswith("overdue-"):
        return copies_for(int(name.removeprefix("overdue-")), ladder)
    return ()


def most_severe(kinds: AbstractSet[str] | list[str]) -> str:
    return max(kinds, key=lambda k: SEVERITY.get(k, 0))
