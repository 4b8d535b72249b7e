"""The reminder sweep: decide (``models.store.sweep``), compose one digest per recipient, send, count.

The log keeps one row per (action, stage), written by the decision. Composing groups the rows still waiting into one
message per recipient and copy list (an owner with three actions due gets one email, not three; an escalation, which
copies the portfolio lead or the chief officer in, goes as its own message so the seniors see only what concerns
them), renders it, and logs the message itself as a delivery (key ``digest:<day>:<recipient>:<first row>``) that
the rows point at through ``batch``. Sending is ``notifications.delivery.dispatch``; the rows follow their message's
status. Each step commits on its own, so a crash anywhere leaves work the next sweep picks up: rows without a message
are composed, messages not sent are sent, and nothing marked sent goes again.

Every function here takes dates and plain values and opens its own session: Prefect tasks call them directly.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from models.links import action_url, max_age_days
from models.rules.errors import ActionedError
from models.rules.ladder import Ladder, most_severe, stage_copies
from models.rules.vocabulary import (
    UNFINISHED_DELIVERY,
    ContactRole,
    DeliveryStatus,
    Status,
    TaskStatus,
    item_label,
    label_of,
)
from models.rules.wording import short_title
from models.settings import Settings, load_settings
from models.store.db import session_scope
from models.store.sweep import REMINDER_KINDS, decide_reminders, ladder_for
from models.store.tables import Action, Agency, Contact, Delivery, Recommendation, Report, Task
from notifications.delivery import (
    Attachment,
    Dispatched,
    DispatchReport,
    Outgoing,
    dispatch,
    enqueue,
    unfinished,
    with_given_up,
)
from notifications.headers import for_owner
from notifications.ics import Deadline, calendar, deadline_uid
from notifications.render import make_message, uk_date


def stage_group(stage: str | None) -> str:
    """The name a stage is counted under: "nudge-v3-2" counts as "nudge"."""
    if stage is None:
        return "-"
    return "nudge" if stage.startswith("nudge-") else stage


def when(days: int) -> str:
    if days > 1:
        return f"in {days} days"
    if days == 1:
        return "tomorrow"
    if days == 0:
        return "today"
    if days == -1:
        return "yesterday"
    return f"{-days} days ago"


def stage_label(stage: str, days_to_go: int, silent_days: int) -> str:
    if stage.startswith("before-"):
        return f"due {when(days_to_go)}"
    if stage == "due":
        return "due today"
    if stage.startswith("overdue-"):
        n = -days_to_go
        return f"{n} day{'s' if n != 1 else ''} overdue"
    return f"no update for {silent_days} days"


@dataclass
class Composed:
    keys: list[str] = field(default_factory=list)
    messages: list[Outgoing] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    broken: set[str] = field(default_factory=set)


@dataclass
class _Item:
    row: Delivery
    action: Action
    rec: Recommendation
    report: Report
    agency: Agency
    task: Task | None = None
    """For a task's reminder (key ``task:<task>:<round>:<stage>``): the task; the action is the one it belongs to."""


def _contacts(session: Session, agency_ids: Iterable[str]) -> dict[tuple[str, str], Contact]:
    """(agency, role) -> its first contact in that role."""
    found: dict[tuple[str, str], Contact] = {}
    rows = session.exec(
        select(Contact).where(col(Contact.agency_id).in_(sorted(set(agency_ids)))).order_by(col(Contact.id))
    )
    for contact in rows:
        found.setdefault((contact.agency_id, contact.role), contact)
    return found


def _waiting(session: Session) -> list[_Item]:
    query = (
        select(Delivery, Action, Recommendation, Report, Agency)  # type: ignore[call-overload]
        .join(Action, col(Action.id) == col(Delivery.action_id))
        .join(Recommendation, col(Recommendation.id) == col(Action.recommendation_id))
        .join(Report, col(Report.id) == col(Action.report_id))
        .join(Agency, col(Agency.id) == col(Action.agency_id))
        .where(
            col(Delivery.message).is_(None),
            col(Delivery.batch).is_(None),
            col(Delivery.status) == DeliveryStatus.PENDING,
            col(Delivery.kind).in_(REMINDER_KINDS),
        )
        .order_by(col(Delivery.recipient), col(Report.id), col(Recommendation.position), col(Agency.id))
    )
    items = [_Item(*row) for row in session.exec(query).all()]
    task_ids = [int(i.row.key.split(":")[1]) for i in items if i.row.key.startswith("task:")]
    tasks = {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_(task_ids)))} if task_ids else {}
    for item in items:
        if item.row.key.startswith("task:"):
            item.task = tasks.get(int(item.row.key.split(":")[1]))
    return items


def _still_due(item: _Item, ladder: Ladder) -> bool:
    """A row decided earlier whose action has since closed, changed owner or been reassigned is not sent."""
    assignment = item.row.key.split(":")[2]
    if item.row.key.startswith("task:"):  # a task's own round, owner and status; its action still being worked on
        task = item.task
        return (
            task is not None
            and item.action.status in ladder.statuses
            and task.status != "done"
            and task.owner_email == item.row.recipient
            and str(task.round) == assignment
        )
    return (
        item.action.status in ladder.statuses
        and item.action.owner_email == item.row.recipient
        and str(item.action.assignment) == assignment
    )


def compose_digests(session: Session, *, today: date, now: datetime, settings: Settings | None = None) -> Composed:
    """Group the decided rows still waiting into one message per recipient and copy list, render and log each."""
    settings = settings or load_settings()
    secret = settings.secret_key()
    link_days = max_age_days()
    composed = Composed()
    items = _waiting(session)
    contacts = _contacts(session, (i.action.agency_id for i in items))
    ladders: dict[tuple[str, str], Ladder | None] = {}
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[_Item, dict[str, Any], tuple[str, ...]]]] = defaultdict(list)
    group_of_action: dict[int, tuple[str, tuple[str, ...]]] = {}
    skipped: list[int] = []
    # ladder stages first, so that a nudge for an action that also has a stage today joins that stage's message
    items.sort(key=lambda i: i.row.kind == "nudge")
    for item in items:
        which = (item.report.id, item.rec.kind)  # each kind of finding has a ladder of its own
        if which not in ladders:
            try:
                ladders[which] = ladder_for(item.report.id, item.report.settings, item.rec.kind)
            except ActionedError as exc:  # left pending; the report is named in the run's summary
                composed.broken.add(str(exc))
                ladders[which] = None
        ladder = ladders[which]
        if ladder is None:
            continue
        if not _still_due(item, ladder):
            skipped.append(item.row.id or 0)
            composed.skipped[stage_group(item.row.stage)] += 1
            continue
        roles = stage_copies(item.row.stage or "", ladder)
        copied = [contacts[(item.action.agency_id, r)] for r in roles if (item.action.agency_id, r) in contacts]
        cc = sorted({c.email for c in copied} - {item.row.recipient})
        group = (item.row.recipient, tuple(cc))
        if item.row.kind == "nudge":
            group = group_of_action.get(item.action.id or 0, group)
        elif item.task is None:
            group_of_action[item.action.id or 0] = group
        groups[group].append((item, _item_context(item, today, now, settings, secret), roles))
    if skipped:
        session.execute(update(Delivery).where(col(Delivery.id).in_(skipped)).values(status=DeliveryStatus.SKIPPED))
    for (recipient, copies), members in groups.items():
        cc = list(copies)
        outgoing = _digest(recipient, cc, members, contacts, today=today, now=now, link_days=link_days)
        ids = [m[0].row.id or 0 for m in members]
        if cc:
            session.execute(update(Delivery).where(col(Delivery.id).in_(ids)).values(cc=cc))
        if enqueue(session, outgoing, now=now, carries=ids) is not None:
            composed.keys.append(outgoing.key)
            composed.messages.append(outgoing)
    return composed


def _item_context(item: _Item, today: date, now: datetime, settings: Settings, secret: str) -> dict[str, Any]:
    action = item.action
    assert action.id is not None
    task = item.task
    due_on = task.due_on if task is not None else action.due_on
    days_to_go = (due_on - today).days if due_on else 0
    silent = (today - action.last_event_at.astimezone(UTC).date()).days
    return {
        "action_id": action.id,
        "report_title": item.report.title,
        "report_short_title": short_title(item.report.title),
        "number": item.rec.number,
        "kind_label": item_label(item.rec.kind),
        "text": item.rec.text,
        "agency_name": item.agency.name,
        "agency_id": item.agency.id,
        "due_on": uk_date(due_on),
        "due_date": due_on,
        "overdue": due_on is not None and days_to_go < 0,
        "when": when(days_to_go) if due_on else "with no date set",
        "stage": item.row.stage,
        "kind": item.row.kind,
        "stage_label": stage_label(item.row.stage or "", days_to_go, silent),
        "status_label": label_of(TaskStatus, task.status).lower() if task else label_of(Status, action.status).lower(),
        "task": {
            "id": task.id,
            "position": task.position,
            "title": task.title,
            "action_owner": action.owner_name or action.owner_email,
        }
        if task is not None
        else None,
        "response": action.response,
        "silent_days": silent,
        "version": action.version,
        # a task's owner gets no link to the action's page: that page is its owner's, to record the response on
        "url": None
        if task is not None
        else action_url(settings.base_url, secret, action_id=action.id, assignment=action.assignment, now=now),
    }


def _headline(kind: str, count: int, nearest_due: str) -> str:
    """The first line of a digest: what, how many and when, readable in five seconds."""
    many = f"{count} action{'s' if count != 1 else ''}"
    if kind == "chaser":
        return f"{many} overdue: due {nearest_due}"
    if kind == "escalation":
        return f"Escalation: {many} overdue since {nearest_due}"
    if kind == "nudge":
        return f"No update for a while on {many}"
    return f"{many} due {nearest_due}"


def deadlines_of(items: list[dict[str, Any]], organizer: tuple[str, str] | None) -> list[Deadline]:
    """The calendar entries for a message's dated items (as :func:`_item_context` describes them)."""
    return [
        Deadline(
            uid=f"task-{i['task']['id']}@actioned" if i.get("task") else deadline_uid(i["action_id"]),
            on=i["due_date"],
            summary=(f"Task: {i['task']['title']}, " if i.get("task") else "Due: ")
            + f"{i['report_title']}, recommendation {i['number']} ({i['agency_name']})",
            description=i["text"],
            url=i["url"],
            sequence=i["version"],
            organizer=organizer,
        )
        for i in items
        if i["due_date"] is not None
    ]


def _digest(
    recipient: str,
    cc: list[str],
    members: list[tuple[_Item, dict[str, Any], tuple[str, ...]]],
    contacts: dict[tuple[str, str], Contact],
    *,
    today: date,
    now: datetime,
    link_days: int,
) -> Outgoing:
    first = members[0][0]
    kind = most_severe({m[0].row.kind for m in members})
    items: list[dict[str, Any]] = []
    for _, context, _ in members:  # an action with a stage and a nudge on one day is listed once, under its stage
        if all((i["action_id"], i["task"]) != (context["action_id"], context["task"]) for i in items):
            items.append(context)
    copied = []
    for item, _, roles in members:
        for role in roles:
            contact = contacts.get((item.action.agency_id, role))
            if contact and contact.email in cc and (contact.name, ContactRole(role).label) not in copied:
                copied.append((contact.name, ContactRole(role).label))
    liaison = contacts.get((first.action.agency_id, ContactRole.LIAISON_OFFICER))
    context = {
        "recipient_name": (first.task.owner_name if first.task else first.action.owner_name) or recipient,
        "items": items,
        "copied": copied,
        "copies_text": " and ".join(f"{name} ({role})" for name, role in copied) or "your seniors",
        "liaison": {"name": liaison.name, "email": liaison.email} if liaison else None,
        "link_days": link_days,
    }
    titles = {i["report_short_title"] for i in items}
    dates = sorted(i["due_date"] for i in items if i["due_date"] is not None)
    context["subject_title"] = titles.pop() if len(titles) == 1 else "HMICFRS recommendations"
    context["nearest_due"] = uk_date(dates[0]) if dates else "with no date set"
    context["headline"] = _headline(kind, len(items), context["nearest_due"])
    context["has_calendar"] = bool(dates)
    message = make_message(kind, context)
    subject, text, html = message.subject, message.text, message.html
    deadlines = deadlines_of(items, (liaison.name, liaison.email) if liaison else None)
    attachments = [Attachment("deadlines.ics", "text/calendar", calendar(deadlines, stamp=now))] if deadlines else []
    channel_text = "\n".join(
        [
            subject,
            *[
                f"- {i['report_title']}, recommendation {i['number']} ({i['agency_name']}): {i['stage_label']}"
                for i in items
            ],
        ]
    )
    apprise_urls: list[str] = []
    if kind == "escalation":
        for item, _, _ in members:
            for url in item.agency.apprise_urls:
                if url not in apprise_urls and item.row.kind == "escalation":
                    apprise_urls.append(url)
    return Outgoing(
        key=digest_key(today, recipient, [m[0].row.key for m in members]),
        kind=kind,
        to=recipient,
        subject=subject,
        text=text,
        html=html,
        cc=cc,
        attachments=attachments,
        apprise_urls=apprise_urls,
        channel_text=channel_text,
        headers=for_owner(first.agency.name, liaison.email if liaison else None),
    )


def digest_key(today: date, recipient: str, carried: Iterable[str]) -> str:
    """A digest's key (and Message-ID): the day, the recipient and a digest of the (action, stage) keys it carries,
    so the same message always has the same id and no table's row id is in it.
    """
    import hashlib

    fingerprint = hashlib.sha256("\n".join(sorted(carried)).encode()).hexdigest()[:16]
    return f"digest:{today.isoformat()}:{recipient}:{fingerprint}"


# --- the steps, as the flow and the command line run them --------------------------------------------------------


def decide_step(*, today: date, now: datetime, report_id: str | None = None) -> tuple[int, list[str]]:
    """Decide the (action, stage) rows due; (rows written, the reports skipped for bad settings, with why)."""
    broken: list[str] = []
    with session_scope() as session:
        return decide_reminders(session, today=today, report_id=report_id, now=now, broken=broken), broken


def compose_step(*, today: date, now: datetime) -> tuple[list[str], dict[str, int], list[str]]:
    """Compose and log the digests; their keys, the rows skipped (counted by stage), and the reports skipped."""
    with session_scope() as session:
        composed = compose_digests(session, today=today, now=now)
    return composed.keys, dict(composed.skipped), sorted(composed.broken)


def pending_digest_keys() -> list[str]:
    """Reminder messages still to go: composed but unsent, or failed with a retry to come."""
    with session_scope() as session:
        rows = session.exec(
            select(Delivery.key).where(
                col(Delivery.message).is_not(None),
                col(Delivery.kind).in_(REMINDER_KINDS),
                col(Delivery.status).in_(sorted(UNFINISHED_DELIVERY)),
                col(Delivery.channel) == "email",
            )
        ).all()
    return list(rows)


def send_step(*, now: datetime, after_each: Callable[[Dispatched], None] | None = None) -> DispatchReport:
    keys = pending_digest_keys()
    if not keys:
        return DispatchReport()
    return dispatch(now=now, keys=keys, after_each=after_each)


@dataclass(frozen=True)
class SweepSteps:
    """The three steps a sweep is made of. Plain calls by default; the remind flow passes its Prefect tasks, so the
    schedule runs the one assembly (:func:`sweep`) the tests drive.
    """

    decide: Callable[[date, datetime, str | None], tuple[int, list[str]]] = lambda today, now, report_id: decide_step(
        today=today, now=now, report_id=report_id
    )
    compose: Callable[[date, datetime], tuple[list[str], dict[str, int], list[str]]] = lambda today, now: compose_step(
        today=today, now=now
    )
    send: Callable[[datetime], DispatchReport] = lambda now: send_step(now=now)


def stage_counts(keys: Iterable[str], skipped: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per stage: how many (action, stage) rows went in a sent message, a failed one, are still pending, or were
    skipped (their action closed or changed hands before the message was composed).
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    keys = list(keys)
    with session_scope() as session:
        for i in range(0, len(keys), 500):
            rows = session.exec(
                select(Delivery.stage, Delivery.status).where(
                    col(Delivery.batch).in_(keys[i : i + 500]), col(Delivery.message).is_(None)
                )
            ).all()
            for stage, status in rows:
                counts[stage_group(stage)][status] += 1
    for stage, n in skipped.items():
        counts[stage]["skipped"] += n
    return {stage: {s: c[s] for s in OUTCOMES} for stage, c in sorted(counts.items())}


OUTCOMES = (
    DeliveryStatus.SENT,
    DeliveryStatus.PARTLY_SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.SKIPPED,
)


@dataclass
class SweepResult:
    today: date
    decided: int
    messages: list[str]
    report: DispatchReport
    stages: dict[str, dict[str, int]]
    unfinished: dict[str, int] = field(default_factory=dict)
    """Reminder messages not finished after this sweep, by state (the log's word, not this run's guess)."""
    broken: list[str] = field(default_factory=list)
    """Reports skipped because their settings cannot be read, each with its error."""

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.unfinished and not self.broken

    def lines(self) -> list[str]:
        head = (
            f"remind {self.today.isoformat()}: {self.decided} (action, stage) pairs due, "
            f"{len(self.messages)} messages composed, {len(self.report.sent)} sent, "
            f"{len(self.report.partly)} partly sent, {len(self.report.failed)} failed, "
            f"{len(self.report.deferred)} left for the next run"
        )
        out = [head]
        for stage, c in self.stages.items():
            out.append(f"  {stage}: " + ", ".join(f"{c[s]} {label_of(DeliveryStatus, s).lower()}" for s in OUTCOMES))
        for done in [*self.report.partly, *self.report.failed]:
            out.append(f"  {label_of(DeliveryStatus, done.status).lower()}: {done.key}: {done.error}")
        out += [f"  report skipped: {error}" for error in self.broken]
        if self.unfinished:
            states = ", ".join(f"{n} {state}" for state, n in self.unfinished.items())
            out.append(
                f"  not finished: {states} (retried on the next run; failed for good: the liaison officer is told)"
            )
        return out


def sweep(
    *,
    today: date,
    now: datetime | None = None,
    report_id: str | None = None,
    after_each: Callable[[Dispatched], None] | None = None,
    steps: SweepSteps | None = None,
) -> SweepResult:
    """The whole sweep: decide (for ``today``, the as-of day), compose, send (on ``now``, the real clock), count.

    The one assembly: the remind flow runs it with its tasks as ``steps``; tests and scripts with plain calls.
    """
    now = now or datetime.now(UTC)
    if steps is None:
        steps = SweepSteps(send=lambda at: send_step(now=at, after_each=after_each))
    decided, broken = steps.decide(today, now, report_id)
    keys, skipped, unreadable = steps.compose(today, now)
    report = steps.send(now)
    attempted = [d.key for d in [*report.sent, *report.partly, *report.failed]] + report.deferred
    with session_scope() as session:
        left = with_given_up(unfinished(session, pending_digest_keys()), report)
    stages = stage_counts(sorted(set(attempted) | set(keys)), skipped)
    return SweepResult(today, decided, keys, report, stages, left, sorted({*broken, *unreadable}))


def preview(*, today: date, now: datetime | None = None, report_id: str | None = None) -> list[Outgoing]:
    """What a sweep on ``today`` would send, worked out in a transaction that is rolled back: nothing is written."""
    from models.store.db import current_engine

    now = now or datetime.now(UTC)
    with Session(current_engine()) as session:
        try:
            decide_reminders(session, today=today, report_id=report_id, now=now)
            return compose_digests(session, today=today, now=now).messages
        finally:
            session.rollback()
