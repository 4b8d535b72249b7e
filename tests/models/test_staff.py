"""Who a signed-in person is: the staff file's grants applied to the identity provider's claims."""

from pathlib import Path

import pytest

from models.rules.errors import DefinitionError
from models.rules.staff import (
    Access,
    Grant,
    Identity,
    NationalScope,
    Who,
    access_for,
    safe_next,
    tenant_allowed,
)
from models.rules.vocabulary import StaffRole
from models.staff import load_grants

GRANTS = [
    Grant(StaffRole.ADMINISTRATOR, Who(groups=frozenset({"admins"}))),
    Grant(StaffRole.INSPECTORATE, Who(domains=frozenset({"hmicfrs.example.gov.uk"}))),
    Grant(StaffRole.LIAISON_OFFICER, Who(emails=frozenset({"lo@wilts.example.org"})), frozenset({"wiltshire-police"})),
    Grant(StaffRole.LIAISON_OFFICER, Who(domains=frozenset({"dorset.example.org"})), frozenset({"dorset-police"})),
]


@pytest.mark.parametrize(
    ("identity", "roles", "agencies", "sees_dorset"),
    [
        (Identity("1", email="LO@Wilts.example.org"), {StaffRole.LIAISON_OFFICER}, {"wiltshire-police"}, False),
        (Identity("2", email="anyone@dorset.example.org"), {StaffRole.LIAISON_OFFICER}, {"dorset-police"}, True),
        (Identity("3", email="x@example.org", groups=frozenset({"admins"})), {StaffRole.ADMINISTRATOR}, set(), True),
        (Identity("4", email="i@hmicfrs.example.gov.uk"), {StaffRole.INSPECTORATE}, set(), True),
        (Identity("5", email="nobody@example.org"), set(), set(), False),
        (Identity("6"), set(), set(), False),
        (Identity("7", email="lo@wilts.example.org.evil.test"), set(), set(), False),
        (Identity("8", email="x@notdorset.example.org"), set(), set(), False),
    ],
)
def test_access_is_the_union_of_the_grants_that_cover_the_person(
    identity: Identity, roles: set[StaffRole], agencies: set[str], sees_dorset: bool
) -> None:
    access = access_for(identity, GRANTS)
    assert access.roles == roles
    assert access.agencies == agencies
    assert access.may_see("dorset-police") is sees_dorset
    assert access.has_role is bool(roles)


def test_nobody_has_a_role_by_default() -> None:
    assert access_for(Identity("1", email="a@example.org"), []) == Access()


@pytest.mark.parametrize(
    ("tenant", "allowed", "ok"),
    [
        (None, frozenset(), True),
        ("t1", frozenset(), True),
        ("T1", frozenset({"t1"}), True),
        ("t2", frozenset({"t1"}), False),
        (None, frozenset({"t1"}), False),
    ],
)
def test_the_tenant_allow_list(tenant: str | None, allowed: frozenset[str], ok: bool) -> None:
    assert tenant_allowed(tenant, allowed) is ok


@pytest.mark.parametrize(
    ("asked", "goes"),
    [
        ("/agencies/a/reports/r", "/agencies/a/reports/r"),
        ("/?x=1", "/?x=1"),
        (None, "/"),
        ("", "/"),
        ("//evil.test/", "/"),
        ("https://evil.test/", "/"),
        ("/\\evil.test", "/"),
    ],
)
def test_back_to_the_page_asked_for_on_this_site_only(asked: str | None, goes: str) -> None:
    assert safe_next(asked) == goes


def test_the_staff_file_is_read_with_its_grants(tmp_path: Path) -> None:
    path = tmp_path / "staff.yaml"
    path.write_text(
        "administrators:\n  emails: [Admin@Example.org]\n"
        "liaison_officers:\n  wiltshire-police:\n    domains: [Wilts.Example.org]\n"
    )
    grants = load_grants(path)
    assert access_for(Identity("1", email="admin@example.org"), grants).roles == {StaffRole.ADMINISTRATOR}
    assert access_for(Identity("2", email="x@wilts.example.org"), grants).agencies == {"wiltshire-police"}


def test_no_staff_file_means_nobody_has_a_role(tmp_path: Path) -> None:
    assert load_grants(tmp_path / "missing.yaml") == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("administrator:\n  emails: [a@example.org]\n", "administrator"),
        ("liaison_officers:\n  Not A Slug:\n    emails: [a@example.org]\n", "Not A Slug"),
        ("inspectorate:\n  domains: [a@example.org]\n", "not a domain"),
        ("inspectorate:\n  emails: [nobody]\n", "not an email address"),
        ("inspectorate: [\n", "malformed YAML"),
        ("national_coordinators:\n  emails: [n@example.org]\n", "name what the coordinator sees"),
        ("national_coordinators:\n  - {emails: [n@example.org], agency_groups: [Chief Constables]}\n", "agency_groups"),
    ],
)
def test_a_malformed_staff_file_is_one_clear_error(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "staff.yaml"
    path.write_text(text)
    with pytest.raises(DefinitionError) as err:
        load_grants(path)
    assert str(err.value).startswith(str(path))
    assert says in str(err.value)


CHIEF_CONSTABLES = frozenset({"chief-constables"})
COORDINATORS = [
    Grant(StaffRole.INSPECTORATE, Who(domains=frozenset({"hmicfrs.example.gov.uk"}))),
    Grant(
        StaffRole.NATIONAL_COORDINATOR,
        Who(emails=frozenset({"lead@npcc.example.org"})),
        national=NationalScope(agency_groups=CHIEF_CONSTABLES),
    ),
    Grant(
        StaffRole.NATIONAL_COORDINATOR,
        Who(emails=frozenset({"apcc@example.org"})),
        national=NationalScope(agencies=frozenset({"wiltshire-pcc"}), reports=frozenset({"safe-to-share"})),
    ),
    Grant(StaffRole.NATIONAL_COORDINATOR, Who(emails=frozenset({"bare@example.org"}))),
]


@pytest.mark.parametrize(
    ("email", "report", "agency", "groups", "page", "shown"),
    [
        ("i@hmicfrs.example.gov.uk", "safe-to-share", "wiltshire-pcc", frozenset(), True, True),
        ("i@hmicfrs.example.gov.uk", "other-report", "npcc", frozenset(), True, True),
        ("lead@npcc.example.org", "safe-to-share", "dorset-police", CHIEF_CONSTABLES, True, True),
        ("lead@npcc.example.org", "other-report", "dorset-police", CHIEF_CONSTABLES, True, True),
        ("lead@npcc.example.org", "safe-to-share", "wiltshire-pcc", frozenset({"local-policing-bodies"}), True, False),
        ("apcc@example.org", "safe-to-share", "wiltshire-pcc", frozenset(), True, True),
        ("apcc@example.org", "safe-to-share", "dorset-police", CHIEF_CONSTABLES, True, False),
        ("apcc@example.org", "other-report", "wiltshire-pcc", frozenset(), False, False),
        ("bare@example.org", "safe-to-share", "dorset-police", CHIEF_CONSTABLES, False, False),
        ("lo@wilts.example.org", "safe-to-share", "wiltshire-police", CHIEF_CONSTABLES, False, False),
    ],
)
def test_the_national_pages_show_what_the_grant_gives(
    email: str, report: str, agency: str, groups: frozenset[str], page: bool, shown: bool
) -> None:
    access = access_for(Identity("1", email=email), [*COORDINATORS, *GRANTS])
    assert access.sees_national_report(report) is page
    assert access.sees_nationally(report, agency, groups) is shown


@pytest.mark.parametrize(
    ("agencies", "groups", "unknown"),
    [
        ({"wiltshire-pcc"}, {"chief-constables"}, []),
        ({"wiltshire-pcc"}, {"chief-constable"}, ["chief-constables"]),  # a group the register does not have
        (set(), {"chief-constables"}, ["wiltshire-pcc"]),
        (set(), set(), ["chief-constables", "wiltshire-pcc"]),
    ],
)
def test_the_names_a_coordinator_is_given_that_the_register_does_not_have(
    agencies: set[str], groups: set[str], unknown: list[str]
) -> None:
    lead = access_for(Identity("1", email="lead@npcc.example.org"), COORDINATORS)
    apcc = access_for(Identity("2", email="apcc@example.org"), COORDINATORS)
    named = sorted(
        {*lead.names_unknown(agencies=agencies, groups=groups), *apcc.names_unknown(agencies=agencies, groups=groups)}
    )
    assert named == unknown
    inspectorate = access_for(Identity("3", email="i@hmicfrs.example.gov.uk"), [*COORDINATORS, *GRANTS])
    assert inspectorate.names_unknown(agencies=set(), groups=set()) == []  # every agency: names none
    assert inspectorate.names == (frozenset(), frozenset())  # so the page need not read the register


def test_a_national_coordinator_does_not_see_the_agencies_staff_pages() -> None:
    access = access_for(Identity("1", email="lead@npcc.example.org"), COORDINATORS)
    assert not access.every_agency
    assert not access.may_see("dorset-police")


def test_the_staff_file_gives_each_coordinator_their_scope(tmp_path: Path) -> None:
    path = tmp_path / "staff.yaml"
    path.write_text(
        "national_coordinators:\n"
        "  - {emails: [lead@npcc.example.org], agency_groups: [chief-constables]}\n"
        "  - {groups: [apcc], reports: [safe-to-share], agencies: [wiltshire-pcc]}\n"
    )
    grants = load_grants(path)
    lead = access_for(Identity("1", email="lead@npcc.example.org"), grants)
    assert lead.national == (NationalScope(agency_groups=CHIEF_CONSTABLES),)
    apcc = access_for(Identity("2", groups=frozenset({"apcc"})), grants)
    assert apcc.national == (
        NationalScope(agencies=frozenset({"wiltshire-pcc"}), reports=frozenset({"safe-to-share"})),
    )
    single = tmp_path / "single.yaml"
    single.write_text("national_coordinators: {emails: [n@example.org], reports: [safe-to-share]}\n")
    (scope,) = access_for(Identity("3", email="n@example.org"), load_grants(single)).national
    assert scope.every_agency
    assert scope.sees("safe-to-share", "any-agency", frozenset())
