"""``actioned demo``: the main job on the embedded default, from an empty folder, with no server and no set-up."""

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flows.cli.app import app, database, echo, settings
from flows.cli.register import load_shipped, summarise_cycle
from flows.prefect_env import run_flow
from models import links
from models.store import returns as return_store
from models.store import status
from models.store.actions import first_owned_action
from models.store.return_comments import record_return_content

PUBLISHED = date(2020, 12, 17)
DEMO_DAYS = (
    (date(2021, 5, 20), "28 days before the due date"),
    (date(2021, 6, 16), "the day before"),
    (date(2021, 6, 18), "the first working day after the due date"),
    (date(2021, 6, 24), "7 days overdue: the portfolio lead is copied in"),
    (date(2021, 7, 8), "21 days overdue: the chief officer too"),
)
EXAMPLE_RETURN = (
    Path(__file__).resolve().parents[2] / "notifications" / "documents" / "examples" / "wiltshire-police-return.yaml"
)
RETURN_DAY = date(2021, 6, 17)


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
        rows = status.summary(session, report_id="safe-to-share", today=day)
    owned = sum(r["total"] - r.get("awaiting_allocation", 0) for r in rows)
    total = sum(r["total"] for r in rows)
    echo(f"\n'Safe to share?' fanned out to {len(rows)} agencies: {total} actions, {owned} with an owner already,")
    echo(f"{total - owned} awaiting allocation (agencies with no owner contact yet).")
    # The rest of the report's life, in order.
    for scene in SCENES:
        scene()
    echo("\nLook around:")
    echo(f"  actioned status --today {day.isoformat()}")
    echo("  actioned actions list --agency wiltshire-police")
    echo("  actioned action show 1")
    echo(f"Files: {s.home} (database, outbox, returns). Set ACTIONED_HOME to use another folder.")


def reminders_scene() -> None:
    """The demo's reminders: the remind flow on five days of the report's life, and what landed in the outbox."""
    import email
    import email.policy

    from flows.cli.app import settings
    from flows.prefect_env import run_flow
    from flows.remind import remind

    outbox = settings().outbox
    echo("\nReminders, chasers and escalations (the remind step of the daily cycle, run as of five days):")
    for day, what in DEMO_DAYS:
        before = set(outbox.glob("*.eml")) if outbox.exists() else set()
        state = run_flow(remind, day, return_state=True)
        summary = state.result(raise_on_failure=False)
        echo(f"  {day.isoformat()} ({what}):")
        if isinstance(summary, dict):
            echo(f"    {summary['lines'][0]}")
        for path in sorted(set(outbox.glob("*.eml")) - before):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            cc = f" cc {message['Cc']}" if message["Cc"] else ""
            echo(f"    {message['To']}{cc}: {message['Subject']}")
            echo(f"      {path.name}")


def owners_pages_scene() -> None:
    """The demo's owner link: one Wiltshire Police action, opened by ``actioned web``."""
    s = settings()
    with database() as session:
        action = first_owned_action(session, agency_id="wiltshire-police")
        if action is None or action.id is None:
            return
        action_id, assignment, owner = action.id, action.assignment, action.owner_email
    owner_url = links.action_url(s.base_url, s.secret_key(), action_id=action_id, assignment=assignment)
    liaison = links.liaison_url(s.base_url, s.secret_key(), agency_id="wiltshire-police", report_id="safe-to-share")
    echo(f"\nThe owners' pages: run `actioned web`, then open action {action_id} as its owner ({owner}):")
    echo(f"  {owner_url}")
    echo("and the liaison officer's page for Wiltshire Police:")
    echo(f"  {liaison}")
    echo(f"(links last {links.max_age_days()} days; `actioned action link {action_id}` prints a fresh one)")


DEMO_STAFF_FILE = (
    "administrators: {emails: [admin@coordinators.example.org]}\\n"
    "inspectorate: {emails: [inspector@hmicfrs.example.org]}\\n"
    "national_coordinators: {emails: [lead@npcc.example.org], agency_groups: [chief-constables]}\\n"
    "liaison_officers:\\n  wiltshire-police: {emails: [liaison@wiltshire.example.org]}\\n"
)
"""The staff file the demo suggests (as printf writes it): an administrator, a liaison officer, the inspectorate and
the NPCC lead."""


def staff_pages_scene() -> None:
    """How to try the staff pages (signed in) with a local OpenID provider, when none is configured."""
    s = settings()
    if s.oidc is not None:
        echo(f"\nThe staff pages: run `actioned web`, then open {s.base_url}/ and sign in.")
        return
    echo(
        "\nThe staff pages (/) need an OpenID provider. To try them locally with the tests' provider:\n"
        "  npm ci --prefix tests/web/oidc\n"
        "  PORT=9000 CLIENT_ID=actioned CLIENT_SECRET=local-only"
        " REDIRECT_URI=http://127.0.0.1:8000/auth/callback node tests/web/oidc/provider.mjs\n"
        "then, in another terminal (any login name and password at the provider; the staff file says who is who):\n"
        "  export ACTIONED_OIDC_ISSUER=http://127.0.0.1:9000 ACTIONED_OIDC_CLIENT_ID=actioned"
        " ACTIONED_OIDC_CLIENT_SECRET=local-only ACTIONED_COOKIE_SECURE=false\n"
        f"  printf '{DEMO_STAFF_FILE}' > {s.staff_file}\n"
        "  actioned web   # open http://127.0.0.1:8000/ and sign in as liaison@wiltshire.example.org (the agency's\n"
        "  # page), inspector@hmicfrs.example.org (every agency: /national/safe-to-share) or lead@npcc.example.org\n"
        "  # (the chief constables' returns only), or admin@coordinators.example.org (importing a report from its\n"
        "  # document, the register)"
    )


def returns_scene() -> None:
    """Wiltshire Police records its published responses and comments; the liaison officer approves; the daily cycle runs
    on the return date and sends the due returns; every agency's return is compiled into the data folder.
    """
    import yaml

    from flows.cli.register import summarise_cycle
    from flows.compile_returns import compile_report_returns
    from flows.daily_cycle import run_cycle

    seed = yaml.safe_load(EXAMPLE_RETURN.read_text(encoding="utf-8"))
    liaison = "morgan.hale@wiltshire-police.example"
    with database() as session:
        record_return_content(session, report_id="safe-to-share", seed=seed, by=liaison)
        current = return_store.current_return(session, report_id="safe-to-share", agency_id=seed["agency"])
        if current is None or current.submitted_at is None:
            return_store.approve(session, report_id="safe-to-share", agency_id=seed["agency"], by=liaison)
    echo(
        "\nWiltshire Police records its responses to recommendations 1, 4, 5 and 8 and its comments, as in its "
        "published return; its liaison officer approves the return."
    )
    echo(f"The daily cycle on the return date, {RETURN_DAY.isoformat()}:")
    echo(summarise_cycle(run_cycle(RETURN_DAY)))
    folder = settings().returns_dir
    result = run_flow(compile_report_returns, "safe-to-share", RETURN_DAY, None, str(folder), "progress")
    incomplete = sum(1 for r in result["returns"] if r["missing"])
    echo(
        f"\n{len(result['returns'])} returns compiled into {folder} (.docx and .html each); {incomplete} still have "
        "responses missing (actioned returns check safe-to-share)."
    )
    outbox = settings().outbox
    sent = sorted(p.name for p in outbox.glob("*.eml") if "policesupercomplaint" in p.read_text(errors="replace"))
    echo(f"In the outbox, addressed to the inspectorate: {len(sent)}")
    for name in sent:
        echo(f"  {outbox / name}")


SCENES: tuple[Callable[[], None], ...] = (reminders_scene, owners_pages_scene, staff_pages_scene, returns_scene)
