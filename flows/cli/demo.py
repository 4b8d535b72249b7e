"""``actioned demo``: the main job on the embedded default, from an empty folder, with no server and no set-up."""

import os
from collections.abc import Callable
from datetime import date

from flows.cli.app import app, database, echo, settings
from flows.cli.register import load_shipped, status_rows, summarise_cycle

PUBLISHED = date(2020, 12, 17)


@app.command("demo")
def demo() -> None:
    """Load the shipped register, report and example contacts; run the daily cycle; show what happened."""
    # Whatever the environment says, the demo sends nothing to a mail server or a channel: every message is written
    # to the outbox (ACTIONED_OUTBOX_ONLY), for this process and the flows it runs.
    os.environ["ACTIONED_OUTBOX_ONLY"] = "1"
    s = settings()
    echo(f"Actioned demo: data folder {s.home}")
    ignored = " (ACTIONED_SMTP_URL is ignored by the demo)" if s.smtp_url else ""
    echo(f"messages: written to {s.outbox}, never sent to a mail server or a channel{ignored}")
    echo(f"database: {s.database_url}")
    with database() as session:
        for line in load_shipped(session, examples=True):
            echo(f"  {line}")
    from flows.daily_cycle import run_cycle

    day = date(2020, 12, 18)
    echo(f"\nThe daily cycle, as the schedule runs it on {day.isoformat()} (the day after publication):")
    echo(summarise_cycle(run_cycle(day)))
    with database() as session:
        rows = status_rows(session, report_id="safe-to-share", today=day)
    owned = sum(r["total"] - r.get("awaiting_allocation", 0) for r in rows)
    total = sum(r["total"] for r in rows)
    echo(f"\n'Safe to share?' fanned out to {len(rows)} agencies: {total} actions, {owned} with an owner already,")
    echo(f"{total - owned} awaiting allocation (agencies with no owner contact yet).")
    # The rest of the report's life, in order; each command module keeps its own scene.
    from flows.cli.remind import reminders_scene
    from flows.cli.returns import returns_scene
    from flows.cli.web import demo_scene as owners_pages_scene

    scenes: list[Callable[[], None]] = [reminders_scene, owners_pages_scene, returns_scene]
    for scene in scenes:
        scene()
    echo("\nLook around:")
    echo(f"  actioned status --today {day.isoformat()}")
    echo("  actioned actions list --agency wiltshire-police")
    echo("  actioned action show 1")
    echo(f"Files: {s.home} (database, outbox, returns). Set ACTIONED_HOME to use another folder.")
