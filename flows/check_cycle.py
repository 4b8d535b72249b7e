"""The mid-morning check: on a working day, if no daily cycle for today has completed by now, tell the administrators.

Scheduled at 10:30 Europe/London on weekdays (``prefect.yaml``, ``actioned serve``): the daily cycle starts at 08:00 and
takes minutes, so a cycle not completed by then failed without saying so, never started (the worker or server was
down), or is stuck. Failures and crashes are told at once by the daily cycle's own hooks; this catches the silence.
"""

from datetime import date, datetime

from prefect import flow, get_run_logger

from models import clock
from models.bank_holidays import around
from models.rules.days import london_day
from models.rules.working_days import is_working_day
from notifications.operators import tell_administrators

CHECK_CRON = "30 10 * * 1-5"


def cycle_completed(day: date) -> bool:
    """Whether a flow run named "daily-cycle <day>" has completed, as the Prefect API knows it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterName,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    runs = FlowRunFilter(
        name=FlowRunFilterName(any_=[f"daily-cycle {day.isoformat()}"]),
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED])),
    )
    with get_client(sync_client=True) as client:
        return bool(client.read_flow_runs(flow_run_filter=runs, limit=1))


@flow(name="check-daily-cycle", flow_run_name="check-daily-cycle {today}")
def check_daily_cycle(today: date | None = None, now: datetime | None = None) -> bool:
    """True when today's cycle completed (or today is not a working day); otherwise the administrators are told."""
    now = now or clock.now()
    today = today or london_day(now)
    if not is_working_day(today, around(today)) or cycle_completed(today):
        return True
    key = tell_administrators(
        what="daily cycle",
        day=today,
        problem="has not completed by mid-morning",
        detail="No run of the daily cycle for this day has completed: it failed, never started, or is stuck.",
        now=now,
    )
    get_run_logger().error("daily cycle %s has not completed; administrators told: %s", today, key or "nobody set")
    return False
