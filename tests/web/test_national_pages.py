"""The national page, end to end in Chromium with real sign-ins at a real OpenID provider (127.0.0.1): the
inspectorate sees every agency's return and the late list for "Safe to share?", downloads the collated return with
Wiltshire Police's four responses in it, closes one action and asks for more evidence on another (the owner gets the
note and a fresh link, on a real SMTP server); a national coordinator sees the page but decides nothing; a liaison
officer and a person with no role are refused. axe-core and 375 px checked; screenshots in
test-artifacts/web/staff/national-*.png.
"""

import io
import re
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from models.rules.vocabulary import Closure, Status
from models.settings import Settings
from models.store import national
from models.store.actions import get_action, list_actions
from models.store.db import session_scope
from models.store.decisions import latest_decisions
from tests.national.conftest import DUE, answered, seed_return, submit
from tests.web import oidc_provider
from tests.web.conftest import SIGNED_IN, TENANT, check, link, serving_staff, sign_in, wiltshire_actions

__all__ = ["answered", "seed_return"]


PAGE = "/national/safe-to-share"
AS_OF = date(2021, 6, 24)  # a week after the return date
ACCOUNTS: dict[str, dict[str, Any]] = {
    "inspector": {"email": "ines.inspector@hmicfrs.example.org", "name": "Ines Inspector", "tid": TENANT},
    "coordinator": {
        "email": "nat@npcc.example.org",
        "name": "Nat Coordinator",
        "groups": ["national-coordinators"],
        "tid": TENANT,
    },
    "elsewhere": {"email": "other@npcc.example.org", "name": "Oth Coordinator", "tid": TENANT},
    "liaison": {"email": "liaison@wiltshire.example.org", "name": "Lee Liaison", "tid": TENANT},
    "nobody": {"email": "nobody@example.org", "name": "No Role", "tid": TENANT},
}
STAFF_FILE = """\
inspectorate:
  domains: [hmicfrs.example.org]
national_coordinators:
  # the NPCC lead: chief constables' returns (and a group mistyped, which the page names)
  - {groups: [national-coordinators], agency_groups: [chief-constables, chief-constabels]}
  - {emails: [other@npcc.example.org], reports: [another-report]}
liaison_officers:
  wiltshire-police:
    emails: [liaison@wiltshire.example.org]
"""

pytestmark = SIGNED_IN


@pytest.fixture
def server(
    answered: Settings,
    smtp: Any,
    provider: oidc_provider.Provider,
    app_listener: socket.socket,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    submit(DUE)  # Wiltshire Police's return goes on the return date; the others are late
    staff_file = tmp_path / "staff.yaml"
    staff_file.write_text(STAFF_FILE)
    with serving_staff(provider, app_listener, AS_OF, staff_file, monkeypatch) as served:
        yield served


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web" / "national"


def look(page: Any, name: str) -> None:
    """The top of the page and the decision form as a person sees them, at 375 px (to look at, beside ``check``'s)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 375, "height": 900})
    page.screenshot(path=str(ARTIFACTS / f"{name}-top-375.png"))
    page.locator("#standings tbody tr").first.screenshot(path=str(ARTIFACTS / f"{name}-row-375.png"))
    page.locator("form[action$='/decisions']").screenshot(path=str(ARTIFACTS / f"{name}-decide-375.png"))


def responses_of(agency_name: str, collated_docx: bytes) -> list[str]:
    """The agency's responses in a downloaded collated return, in the report's order."""
    doc = Document(io.BytesIO(collated_docx))
    return [
        row.cells[1].text
        for table in doc.tables
        for row in table.rows
        if row.cells[0].text.split("\n")[0] == agency_name
    ]


def decide(page: Any, action_id: int, decision: Closure, note: str, evidence: str = "") -> None:
    page.select_option("select#action", str(action_id))
    page.check(f"#decision-{decision.value}")
    page.fill("#note", note)
    page.fill("#evidence", evidence)
    page.click("text=Record the decision")
    page.wait_for_load_state()


def test_the_inspectorate_sees_the_late_returns_downloads_the_collated_return_and_closes_the_loop(
    server: str, browser: Any, smtp: Any, seed_return: dict[str, Any]
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, PAGE, "inspector")
    assert page.url == server + PAGE
    assert page.locator("h1").inner_text() == "Every agency's return"
    late = page.locator("#late ~ table").first.inner_text()
    assert "Dorset Police" in late
    assert "Wiltshire Police" not in late  # its return was accepted on the return date
    standings = page.locator("#standings").inner_text()
    assert "Accepted by the inspectorate's server" in standings
    assert "5 working days" in standings
    check(page, "national")
    look(page, "national")

    # Filter and sort: only late returns, most late first.
    page.select_option("#sort", "late")
    page.check("#late-only")
    page.click("text=Show")
    page.wait_for_load_state()
    assert "late=1" in page.url
    assert "Wiltshire Police" not in page.locator("#standings").inner_text()

    # The collated return, with Wiltshire Police's four responses verbatim.
    with page.expect_download() as download:
        page.click("text=Download the Word document")
    assert download.value.suggested_filename == "safe-to-share-national.docx"
    wiltshire = responses_of("Wiltshire Police", Path(download.value.path()).read_bytes())
    assert wiltshire == list(seed_return["responses"].values())
    with page.expect_download() as workbook:
        page.click("text=Download the Excel workbook")
    assert workbook.value.suggested_filename == "safe-to-share-national.xlsx"

    # A decision without its note: the error state, accessible too.
    first, second = wiltshire_actions()[:2]
    decide(page, first, Closure.CLOSED, "", "Force policy DA-12 v3")
    assert page.locator(".error-summary").inner_text().count("Give a note") == 1
    check(page, "national-error")
    page.locator(".error-summary").screenshot(path=str(ARTIFACTS / "national-error-summary.png"))

    decide(page, first, Closure.CLOSED, "Procedure change seen on the revisit.", "Force policy DA-12 v3")
    assert "closed by the inspectorate" in page.locator(".banner").inner_text()
    decide(page, second, Closure.FURTHER_EVIDENCE, "Please send the safe reporting pathway itself.")
    assert "has been sent your note with a fresh link" in page.locator(".banner").inner_text()
    with session_scope() as session:
        decided = latest_decisions(session, action_ids=[first, second])
        assert decided[first].decision == Closure.CLOSED
        assert decided[first].decided_by == "ines.inspector@hmicfrs.example.org"
        assert decided[second].decision == Closure.FURTHER_EVIDENCE
        reopened = get_action(session, action_id=second)
        assert reopened.status in (Status.OPEN, Status.IN_PROGRESS)
        owner = reopened.owner_email
    (message,) = [m for m in smtp.messages if "Further evidence needed" in m["Subject"]]
    assert message["To"] == owner
    body = message.get_body(("plain",)).get_content()
    assert "Please send the safe reporting pathway itself." in body
    (url,) = re.findall(r"http://\S+/a/\S+", body)
    owner_page = context.new_page()
    assert owner_page.goto(url).status == 200  # the fresh link opens the owner's page
    context.close()


NPCC_ANSWER = "The NPCC answers for all chief constables.\n\nGuidance was issued to every force in May 2021."


def answer_for_the_chief_constables() -> None:
    """The NPCC answers recommendation 4 on behalf of every chief constable, and their actions point to it."""
    with session_scope() as session:
        national.record_national_response(
            session, report_id="safe-to-share", number="4", body_id="npcc", response=NPCC_ANSWER, by="npcc-lead"
        )
        national.cover(session, report_id="safe-to-share", number="4", body_id="npcc", agency_ids=None, by="npcc-lead")


def test_a_national_coordinator_sees_what_the_staff_file_gives_and_decides_nothing(server: str, browser: Any) -> None:
    answer_for_the_chief_constables()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "coordinator")
    page.click("text=Safe to share?")  # the home page links the national view it is given
    page.wait_for_load_state()
    assert page.url == server + PAGE
    assert page.locator("h1").inner_text() == "Every agency's return"
    standings = page.locator("#standings").inner_text()
    assert "Dorset Police" in standings
    assert "Wiltshire Police" in standings
    assert "Police and Crime Commissioner for Wiltshire" not in page.content()  # not a chief constable
    assert "Home Office" not in standings
    warning = page.locator(".warning-text").inner_text()
    assert "Your access names 1 agency or group the register does not have: chief-constabels." in warning
    answers = page.locator("#national-responses ~ .national-response").first.inner_text()
    assert "Recommendation 4: the national response of the National Police Chiefs' Council" in answers
    assert "Guidance was issued to every force in May 2021." in answers
    assert "Wiltshire Police" in answers
    check(page, "national-coordinator")
    assert page.locator("#decide").count() == 0
    workbook = context.request.get(server + PAGE + "/safe-to-share-national.docx")
    assert workbook.status == 200
    doc = Document(io.BytesIO(workbook.body()))
    agencies = {row.cells[0].text.split("\n")[0] for table in doc.tables for row in table.rows[1:]}
    assert "Dorset Police" in agencies
    assert "Police and Crime Commissioner for Wiltshire" not in agencies
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    posted = context.request.post(
        server + PAGE + "/decisions",
        form={"csrf_token": token, "action": str(wiltshire_actions()[0]), "decision": "closed", "note": "x"},
        max_redirects=0,
    )
    assert posted.status == 403
    with session_scope() as session:
        assert latest_decisions(session, action_ids=wiltshire_actions()) == {}
    # A national coordinator is not a liaison officer: the agencies' own pages stay closed.
    assert page.goto(server + "/agencies/dorset-police/reports/safe-to-share").status == 403
    context.close()


def test_a_coordinator_given_another_report_does_not_see_this_one(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, PAGE, "elsewhere")
    assert page.locator("h1").inner_text() == "You do not have access to this page"
    assert "Dorset" not in page.content()
    context.close()


def test_the_covered_agency_sees_the_national_response_on_its_page(server: str, browser: Any) -> None:
    answer_for_the_chief_constables()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/agencies/wiltshire-police/reports/safe-to-share", "liaison")
    row = page.locator("#actions tbody tr").filter(has_text="Covered by the national response").inner_text()
    assert row.startswith("Recommendation 4")
    assert "Covered by the national response of the National Police Chiefs' Council:" in row
    assert "The NPCC answers for all chief constables." in row
    check(page, "agency-covered")
    # The owner's page of the covered action says so too.
    with session_scope() as session:
        (covered,) = [
            r.action.id
            for r in list_actions(session, report_id="safe-to-share", agency_id="wiltshire-police")
            if r.number == "4"
        ]
    assert covered is not None
    owner = context.new_page()
    owner.goto(server + link(covered))
    section = owner.locator("#national-response + .inset").inner_text()
    assert "Covered by the national response of the National Police Chiefs' Council" in section
    assert "Guidance was issued to every force in May 2021." in section
    gaps = owner.evaluate(
        "[...document.querySelectorAll('div.inset')].map(e => e.firstElementChild.getBoundingClientRect().top"
        " - e.getBoundingClientRect().top)"
    )
    assert gaps
    assert max(gaps) <= 16, f"blank lines above an inset's first paragraph: {gaps}"  # 15 px of padding, no more
    check(owner, "owner-covered")
    context.close()


@pytest.mark.parametrize("login", ["liaison", "nobody"])
def test_nobody_else_sees_the_national_page(server: str, browser: Any, login: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, PAGE, login)
    assert page.locator("h1").inner_text() == "You do not have access to this page"
    assert "Dorset" not in page.content()
    download = context.request.get(server + PAGE + "/safe-to-share-national.docx", max_redirects=0)
    assert download.status == 403
    context.close()
