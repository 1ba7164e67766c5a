"""Administrators set up organizations in the app: a district with its schools, as a tree;
nobody else finds these pages. Dropdowns in a program's pages offer only the organizations
that matter to that program."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Enrollment, Organization
from tests.factories import (
    EnrollmentFactory,
    MentorProfileFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
)
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    person = UserFactory(admin=True)
    client.force_login(person)
    return person


def add(client, **data):
    fields = {"name": "", "kind": "school", "city": "Riverbend", "state": "Ohio", "parent": ""}
    fields.update(data)
    return client.post("/organizations/new/", fields)


def tree_names(client) -> list[str]:
    """The names of the organizations page, in order, parts marked with their parent."""
    page = client.get("/organizations/").content.decode()
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>|↳", " ", row).split()) for row in rows]


def test_an_administrator_builds_a_district_with_its_schools(client, admin):
    response = add(client, name="Riverbend School District", kind="district")
    assert response.status_code == 302
    district = Organization.objects.get(name="Riverbend School District")
    add(client, name="Oak School", parent=district.pk)
    add(client, name="Maple School", parent=district.pk)
    add(client, name="Lakeshore College", kind="college")

    assert tree_names(client) == [
        "Lakeshore College",
        "Riverbend School District",
        "Maple School , part of Riverbend School District",
        "Oak School , part of Riverbend School District",
    ]
    assert Organization.objects.get(name="Oak School").parent == district


def test_the_navigation_links_administrators_to_organizations(client, admin):
    page = client.get("/").content.decode()
    assert 'href="/organizations/"' in page


def test_an_organization_cannot_be_part_of_one_of_its_own_parts(client, admin):
    district = OrganizationFactory(name="District", kind=Organization.Kind.DISTRICT)
    school = OrganizationFactory(name="School", parent=district)
    url = f"/organizations/{district.code}/edit/"

    # Its own parts are not offered...
    form = client.get(url).content.decode()
    assert f'<option value="{school.pk}"' not in form
    # ...and a crafted post is refused next to the field, with what was typed kept.
    response = client.post(
        url, {"name": "District renamed", "kind": "district", "parent": school.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page
    assert 'value="District renamed"' in page
    district.refresh_from_db()
    assert district.parent is None


def test_the_model_refuses_a_cycle(admin):
    district = OrganizationFactory()
    school = OrganizationFactory(parent=district)
    district.parent = school
    with pytest.raises(Exception, match="part of itself"):
        district.full_clean()


def test_edit_moves_a_school_to_another_district(client, admin):
    first, second = OrganizationFactory(name="First"), OrganizationFactory(name="Second")
    school = OrganizationFactory(name="School", parent=first)
    response = client.post(
        f"/organizations/{school.code}/edit/",
        {"name": "School", "kind": "school", "city": "", "state": "", "parent": second.pk},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.parent == second


def test_archive_takes_it_out_of_the_lists_and_refuses_a_district_with_active_schools(
    client, admin
):
    district = OrganizationFactory(name="District")
    school = OrganizationFactory(name="School", parent=district)

    page = client.post(f"/organizations/{district.code}/archive/").content.decode()
    assert "still has active schools" in page
    district.refresh_from_db()
    assert district.archived_at is None

    assert client.post(f"/organizations/{school.code}/archive/").status_code == 302
    school.refresh_from_db()
    assert school.archived_at is not None
    form = client.get("/organizations/new/").content.decode()
    assert f'<option value="{school.pk}"' not in form
    assert f'<option value="{district.pk}"' in form

    client.post(f"/organizations/{school.code}/archive/")  # restores it
    school.refresh_from_db()
    assert school.archived_at is None


@pytest.mark.parametrize("path", ["", "new/", "{code}/edit/", "{code}/archive/"])
def test_everyone_else_gets_a_404(client, path):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    url = "/organizations/" + path.format(code=program.sponsor.code)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X", "kind": "school"}).status_code == 404
    assert 'href="/organizations/"' not in client.get("/").content.decode()


def test_start_a_program_of_an_organization(client, admin):
    district = OrganizationFactory(name="Riverbend School District")
    page = client.get(f"/programs/new/?sponsor={district.code}").content.decode()
    assert re.search(rf'<option value="{district.pk}" selected>', page)


def test_the_tree_costs_the_same_queries_for_1_and_50_organizations(client, admin):
    counts = []
    for n in (1, 50):
        Organization.objects.all().delete()
        district = OrganizationFactory()
        for _ in range(n - 1):
            OrganizationFactory(parent=district)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/organizations/").status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


# Dropdowns in a program's pages --------------------------------------------------------------


def options(page: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return {
        " ".join(text.split())
        for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])
        if value
    }


@pytest.fixture
def district_program():
    district = OrganizationFactory(name="Riverbend District", kind=Organization.Kind.DISTRICT)
    OrganizationFactory(name="Maple School", parent=district)
    state = OrganizationFactory(name="State Office", kind=Organization.Kind.STATE_AGENCY)
    district.parent = state
    district.save()
    OrganizationFactory(name="Elsewhere School")
    OrganizationFactory(name="Old School", parent=district, archived_at="2026-01-01T00:00Z")
    return coordinated_program(sponsor=district)


def test_enrollment_offers_the_sponsors_family_and_the_participants_organizations(
    client, district_program
):
    program, coordinator = district_program
    college = OrganizationFactory(name="Lakeshore College")
    mentor = MentorProfileFactory(organization=college).user
    EnrollmentFactory(program=program, person=mentor, role=Enrollment.Role.MENTOR)
    client.force_login(coordinator)

    page = client.get(f"/programs/{program.code}/participants/add/").content.decode()

    assert options(page, "organization") == {
        "Riverbend District",
        "Maple School",
        "State Office",
        "Lakeshore College",
    }


def test_a_profile_keeps_its_organization_even_from_outside_the_family(client, district_program):
    program, coordinator = district_program
    elsewhere = Organization.objects.get(name="Elsewhere School")
    enrollment = EnrollmentFactory(program=program, role=Enrollment.Role.MENTOR)
    MentorProfileFactory(user=enrollment.person, organization=elsewhere)
    client.force_login(coordinator)

    page = client.get(
        f"/programs/{program.code}/participants/{enrollment.code}/profile/"
    ).content.decode()

    assert "Elsewhere School" in options(page, "organization")
    assert "Old School" not in options(page, "organization")


def test_the_team_form_offers_the_programs_organizations(client):
    district = OrganizationFactory(name="Riverbend District")
    OrganizationFactory(name="Maple School", parent=district)
    OrganizationFactory(name="Elsewhere School")
    program, coordinator = coordinated_program(sponsor=district, coaching=True)
    client.force_login(coordinator)

    page = client.get(f"/relationships/coordinate/{program.code}/teams/new/").content.decode()

    assert options(page, "site") == {"Riverbend District", "Maple School"}


def test_the_sponsor_lists_a_coordinators_organizations_and_everything_for_an_admin(
    client, district_program
):
    _, coordinator = district_program
    client.force_login(coordinator)
    mine = options(client.get("/programs/new/").content.decode(), "sponsor")
    assert mine == {"Riverbend District", "Maple School", "State Office"}

    client.force_login(UserFactory(admin=True))
    everything = options(client.get("/programs/new/").content.decode(), "sponsor")
    assert everything == {"Riverbend District", "Maple School", "State Office", "Elsewhere School"}


def test_a_coordinator_cannot_post_a_sponsor_outside_their_organizations(client, district_program):
    _, coordinator = district_program
    elsewhere = Organization.objects.get(name="Elsewhere School")
    other = ProgramFactory(sponsor=elsewhere)
    client.force_login(coordinator)
    response = client.post("/programs/new/", {"name": "Sneaky", "sponsor": elsewhere.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert elsewhere.programs.get() == other
