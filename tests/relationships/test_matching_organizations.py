"""Matching reads organizations as a hierarchy: a coach employed by the district that runs a
school is of the same organization as that school's teachers; two schools of one district are
different organizations (programs/organizations.py)."""

import pytest

from programs.models import Organization
from tests.factories import (
    MentorProfileFactory,
    OrganizationFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    UserFactory,
)
from tests.programs.coordinator_world import coordinated_program
from tests.relationships.test_coordinator_matching import (
    count_queries,
    enroll_mentor,
    enroll_protege,
    match_url,
    suggestions_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    district = OrganizationFactory(name="Riverbend District", kind=Organization.Kind.DISTRICT)
    OrganizationFactory(name="Maple School", parent=district)
    OrganizationFactory(name="Oak School", parent=district)
    return district


def school(name: str) -> Organization:
    return Organization.objects.get(name=name)


def suggested(client, program, protege) -> tuple[list, str]:
    response = suggestions_page(client, program, protege)
    return [s.person for s in response.context["suggestions"]], response.content.decode()


def test_a_district_coach_is_of_the_same_organization_as_a_teacher_of_its_school(client, district):
    program, coordinator = coordinated_program(mentor_organization="same")
    protege = enroll_protege(program, organization=school("Maple School"))
    sibling = enroll_mentor(program, "Sibling", organization=school("Oak School"))
    outside = enroll_mentor(program, "Outside", organization=OrganizationFactory())
    coach = enroll_mentor(program, "District", organization=district)
    client.force_login(coordinator)

    ranked, page = suggested(client, program, protege)

    assert ranked[0] == coach
    assert set(ranked[1:]) == {sibling, outside}
    assert "Same organization (Riverbend District, which runs Maple School)" in page
    assert page.count("Not from the protégé&#x27;s organization") == 2


def test_a_school_mentor_is_of_the_same_organization_as_a_district_teacher(client, district):
    program, coordinator = coordinated_program(mentor_organization="same")
    protege = enroll_protege(program, organization=district)
    mentor = enroll_mentor(program, "School", organization=school("Oak School"))
    client.force_login(coordinator)

    ranked, page = suggested(client, program, protege)

    assert ranked == [mentor]
    assert "Same organization (Oak School, part of Riverbend District)" in page


def test_sibling_schools_are_different_organizations(client, district):
    program, coordinator = coordinated_program(mentor_organization="different")
    protege = enroll_protege(program, organization=school("Maple School"))
    coach = enroll_mentor(program, "District", organization=district)
    same_school = enroll_mentor(program, "Same", organization=school("Maple School"))
    sibling = enroll_mentor(program, "Sibling", organization=school("Oak School"))
    client.force_login(coordinator)

    ranked, page = suggested(client, program, protege)

    assert ranked[0] == sibling
    assert set(ranked[1:]) == {coach, same_school}
    assert "From a different organization (Oak School)" in page
    assert page.count("From the same organization as the protégé") == 2


def test_the_match_page_query_count_is_the_same_for_1_and_50_mentors_across_the_tree(client):
    counts = []
    for n in (1, 50):
        district = OrganizationFactory(kind=Organization.Kind.DISTRICT)
        schools = [OrganizationFactory(parent=district) for _ in range(n)]
        program, coordinator = coordinated_program(
            coordinator=UserFactory(), mentor_organization="same"
        )
        protege = enroll_protege(program, organization=schools[0])
        for i, site in enumerate(schools):
            enroll_mentor(program, f"Mentor{i}", organization=site)
        enroll_mentor(program, "Coach", organization=district)
        client.force_login(coordinator)
        params = {"format": "individual", "protege": protege.code, "kind": "mentoring"}
        counts.append(count_queries(client, match_url(program), params))
    assert counts[0] == counts[1]


def test_my_support_says_whether_each_supporter_is_of_the_teachers_organization(client, district):
    protege = ProtegeProfileFactory(organization=school("Maple School")).user
    coach = MentorProfileFactory(organization=district, user__first_name="Cam").user
    mentor = MentorProfileFactory(organization=school("Oak School"), user__first_name="Mo").user
    SupportRelationshipFactory(protege=protege, mentor=mentor)
    SupportRelationshipFactory(protege=protege, mentor=coach, kind="coaching")
    client.force_login(protege)

    page = " ".join(client.get("/relationships/my-support/").content.decode().split())

    assert "Works at Riverbend District: the same organization as yours" in page
    assert "Works at Oak School: another organization than yours" in page
