"""The register page for administrators, end to end in Chromium with a real sign-in: every agency with its kind,
groups and contacts, and the shipped register's updates against local edits (an agency deleted here, a group
removed, two agencies renamed here) shown as a change; nothing applied until accepted; applied as ``actioned init``
applies it (local edits kept) plus the one agency the person chose to take the shipped version of. A liaison
officer is refused. Checked with axe-core at 375 and 1280 px, normal and error states.
"""

from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from models.store.db import session_scope
from models.store.tables import Action, Agency, Contact, Group, GroupMember
from tests.web.conftest import sign_in
from tests.web.test_admin_import import look
from tests.web.test_signin import pytestmark  # noqa: F401  (the sign-in tests' marks: browser, slow, needs chromium)


def edit_locally() -> str:
    """Local edits to the register; returns the id of an agency deleted here (the shipped register still has it)."""
    with session_scope() as session:
        used = set(session.exec(select(Action.agency_id))) | set(session.exec(select(Contact.agency_id)))
        used |= {a for a in session.exec(select(Agency.oversees)) if a}
        spare = session.exec(
            select(Agency.id).where(Agency.kind == "national_body", col(Agency.id).not_in(used)).order_by(Agency.id)
        ).first()
        assert spare is not None
        session.execute(delete(GroupMember).where(col(GroupMember.agency_id) == spare))
        session.execute(delete(Agency).where(col(Agency.id) == spare))
        session.execute(delete(GroupMember).where(col(GroupMember.group_id) == "welsh-forces"))
        session.execute(delete(Group).where(col(Group.id) == "welsh-forces"))
        for agency_id, name in (
            ("wiltshire-police", "Wiltshire Constabulary"),
            ("dorset-police", "Dorset Constabulary"),
        ):
            agency = session.get(Agency, agency_id)
            assert agency is not None
            agency.name = name
            session.add(agency)
    return spare


def test_an_administrator_sees_the_register_and_accepts_the_shipped_updates(server: str, browser: Any) -> None:
    spare = edit_locally()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/", "admin")
    page.click("text=The register: agencies, groups and contacts")
    assert page.locator("h1").inner_text() == "The register"
    agencies = page.locator("#agencies ~ table").first.inner_text()
    assert "Wiltshire Constabulary" in agencies
    assert "Action owner: " in page.locator("main").inner_text()  # the example contacts
    updates = page.locator("form[action='/admin/register/updates']").inner_text()
    assert "Forces in Wales" in updates
    assert "Gwent Police joins Forces in Wales" in updates
    kept = page.locator("#differences").inner_text()
    assert "Named Wiltshire Constabulary" in kept
    assert "Named Wiltshire Police" in kept
    assert "Dorset Constabulary" in kept
    look(page, "admin-register")
    with session_scope() as session:
        assert session.get(Agency, spare) is None  # nothing applied by looking

    # A form without the session's CSRF token: refused, nothing applied.
    forged = context.request.post(
        server + "/admin/register/updates", form={"csrf_token": "forged", "take": "dorset-police"}, max_redirects=0
    )
    assert forged.status == 403
    with session_scope() as session:
        assert session.get(Agency, spare) is None

    # A tampered choice: refused on the field, nothing applied.
    dorset_box = "input[name=take][value=dorset-police]"
    page.evaluate("document.querySelector('input[name=take][value=dorset-police]').value = 'no-such-agency'")
    page.check("input[name=take][value=no-such-agency]")
    page.click("button:has-text('Accept the shipped register')")
    assert page.locator(".error-summary").is_visible()
    assert "no-such-agency" in page.locator("#take-error").inner_text()
    page.click(".error-summary a[href='#take']")
    assert page.evaluate("document.activeElement.name") == "take"  # the first choice, as GOV.UK links it
    look(page, "admin-register-error")
    with session_scope() as session:
        assert session.get(Agency, spare) is None

    page.check(dorset_box)
    page.focus("button:has-text('Accept the shipped register')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "have been applied" in page.locator(".banner").inner_text()
    kept = page.locator("#differences").inner_text()
    assert "Wiltshire Constabulary" in kept
    assert "Dorset" not in kept
    look(page, "admin-register-done")
    context.close()

    with session_scope() as session:
        assert session.get(Agency, spare) is not None
        assert session.get(Group, "welsh-forces") is not None
        welsh = set(session.exec(select(GroupMember.agency_id).where(GroupMember.group_id == "welsh-forces")))
        assert len(welsh) == 4
        dorset, wiltshire = session.get(Agency, "dorset-police"), session.get(Agency, "wiltshire-police")
        assert dorset is not None
        assert dorset.name == "Dorset Police"  # taken from the shipped register, as chosen
        assert wiltshire is not None
        assert wiltshire.name == "Wiltshire Constabulary"  # the local edit kept, as init keeps it


def test_a_liaison_officer_is_refused_the_register(server: str, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "/admin/register", "liaison")
    assert page.locator("h1").inner_text() == "You do not have access to this page"
    assert "Updates from the shipped register" not in page.content()
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    posted = context.request.post(server + "/admin/register/updates", form={"csrf_token": token}, max_redirects=0)
    assert posted.status == 403
    page.goto(server + "/")
    assert "The register" not in page.locator("main").inner_text()
    context.close()
