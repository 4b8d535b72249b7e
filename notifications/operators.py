"""Telling the administrators when the daily cycle failed, crashed or has not completed by mid-morning.

ACTIONED_ADMIN_NOTIFY lists where they are told: email addresses and Apprise URLs (Teams, Slack...), comma-separated.
The notice is a delivery like any other (decided, logged, then sent; the sandbox diverts it), keyed by the flow, the
day and what happened, so it goes once however often it is raised. With nobody configured it is only logged.
"""

import os
from datetime import date, datetime

from models.store.db import session_scope
from notifications.delivery import Outgoing, dispatch, enqueue

ADMIN_NOTIFY = "ACTIONED_ADMIN_NOTIFY"


def administrators() -> tuple[list[str], list[str]]:
    """(email addresses, Apprise URLs) from ACTIONED_ADMIN_NOTIFY."""
    items = [i.strip() for i in (os.environ.get(ADMIN_NOTIFY) or "").split(",") if i.strip()]
    return [i for i in items if "://" not in i], [i for i in items if "://" in i]


def tell_administrators(*, what: str, day: date, problem: str, detail: str, now: datetime) -> str | None:
    """Decide, log and send one notice to the administrators; its key, or None when nobody is configured."""
    emails, channels = administrators()
    if not emails and not channels:
        return None
    subject = f"Actioned: {what} {day.isoformat()} {problem}"
    text = (
        f"The {what} for {day.isoformat()} {problem}.\n\n{detail}\n\n"
        "Look at the run in Prefect, put right what it names, then run it again: `actioned run --today "
        f"{day.isoformat()}` sends what is left and nothing twice.\n"
    )
    outgoing = Outgoing(
        key=f"admin:{what}:{day.isoformat()}:{problem.replace(' ', '-')}",
        kind="admin",
        to=emails[0] if emails else "",
        cc=emails[1:],
        subject=subject,
        text=text,
        apprise_urls=channels,
        channel_text=f"{subject}\n{detail}",
    )
    with session_scope() as session:
        enqueue(session, outgoing, now=now)
    if not emails:  # channels only: the email row is logged as skipped, the channel row goes
        from sqlmodel import col, update

        from models.rules.vocabulary import DeliveryStatus
        from models.store.tables import Delivery

        with session_scope() as session:
            session.execute(
                update(Delivery).where(col(Delivery.key) == outgoing.key).values(status=DeliveryStatus.SKIPPED)
            )
    dispatch(keys=[outgoing.key], now=now)
    return outgoing.key
