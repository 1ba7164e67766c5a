"""Matching: mentors and coaches suggested and ranked by fit, never the protégé's supervisor
(also refused when forced through a crafted POST), and the program's configuration deciding
which kinds of relationship are offered."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from core.names import person_name
from programs.models import AgeGroup, Enrollment
from relationships.models import SupportRelationship
from tests.factories import (
    ClassroomTeamFactory,
    EnrollmentFactory,
    MentorProfileFactory,
    OrganizationFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    UserFactory,
)
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


def enroll_mentor(program, name: str, role=Enrollment.Role.MENTOR, **profile):
    user = UserFactory(first_name=name, last_name="Mentor")
    MentorProfileFactory(user=user, **profile)
    EnrollmentFactory(program=program, person=user, role=role)
    return user


def enroll_protege(program, **profile):
    profile.setdefault("age_group_taught", AgeGroup.KINDERGARTEN)
    user = ProtegeProfileFactory(**profile).user
    return EnrollmentFactory(program=program, person=user, role=Enrollment.Role.PROTEGE)


def match_url(program) -> str:
    return f"/relationships/coordinate/{program.code}/match/"


def suggestions_page(client, program, enrollment, kind="mentoring"):
    return client.get(
        match_url(program), {"format": "individual", "protege": enrollment.code, "kind": kind}
    )


def post_data(enrollment, mentor, kind="mentoring", **extra):
    data = {
        "format": "individual",
        "protege": enrollment.code,
        "kind": kind,
        "mentor": mentor.pk,
        "meeting_arrangement": "mentor_visits",
        "starts_on": clock.today().isoformat(),
    }
    data.update(extra)
    return data


def test_suggestions_are_ranked_by_fit(client):
    site = OrganizationFactory(name="Maple School")
    program, coordinator = coordinated_program(mentor_organization="same")
    protege = enroll_protege(program, organization=site)
    best = enroll_mentor(program, "Best", organization=site, age_groups=["kindergarten"])
    ages_only = enroll_mentor(
        program, "Agesonly", organization=OrganizationFactory(), age_groups=["kindergarten"]
    )
    full = enroll_mentor(
        program, "Full", organization=site, age_groups=["kindergarten"], caseload_limit=1
    )
    SupportRelationshipFactory(mentor=full)
    nothing = enroll_mentor(program, "Nofit", age_groups=["infants"])
    client.force_login(coordinator)
    response = suggestions_page(client, program, protege)
    ranked = [s.person for s in response.context["suggestions"]]
    assert ranked == [best, ages_only, nothing, full]
    page = response.content.decode()
    assert "Same organization (Maple School)" in page
    assert "Caseload full (1 of 1)" in page
    assert "Best fit" in page


def test_different_organization_preference(client):
    site = OrganizationFactory()
    program, coordinator = coordinated_program(mentor_organization="different")
    protege = enroll_protege(program, organization=site)
    same = enroll_mentor(program, "Same", organization=site, age_groups=["kindergarten"])
    other = enroll_mentor(
        program, "Other", organization=OrganizationFactory(), age_groups=["kindergarten"]
    )
    client.force_login(coordinator)
    ranked = [s.person for s in suggestions_page(client, program, protege).context["suggestions"]]
    assert ranked == [other, same]


def test_the_supervisor_is_never_suggested(client):
    program, coordinator = coordinated_program()
    supervisor = enroll_mentor(program, "Boss", age_groups=["kindergarten"])
    protege = enroll_protege(program, supervisor=supervisor)
    fine = enroll_mentor(program, "Fine")
    client.force_login(coordinator)
    response = suggestions_page(client, program, protege)
    people = [s.person for s in response.context["suggestions"]] + list(response.context["others"])
    assert people == [fine]
    assert f'value="{supervisor.pk}"' not in response.content.decode()


@pytest.mark.parametrize("field", ["mentor", "other_mentor"])
def test_a_crafted_post_matching_the_supervisor_is_refused(client, field):
    program, coordinator = coordinated_program()
    supervisor = enroll_mentor(program, "Boss")
    protege = enroll_protege(program, supervisor=supervisor)
    client.force_login(coordinator)
    data = post_data(protege, supervisor)
    if field == "other_mentor":
        data["other_mentor"] = data.pop("mentor")
    response = client.post(match_url(program), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "supervises" in page and "cannot be their mentor or coach" in page
    assert not SupportRelationship.objects.exists()


def test_a_crafted_post_with_a_supervisor_outside_the_program_is_refused_too(client):
    program, coordinator = coordinated_program()
    supervisor = UserFactory()
    protege = enroll_protege(program, supervisor=supervisor)
    client.force_login(coordinator)
    response = client.post(match_url(program), post_data(protege, supervisor))
    assert "cannot be their mentor or coach" in response.content.decode()
    assert not SupportRelationship.objects.exists()


def test_a_team_member_s_supervisor_is_refused_as_the_team_s_coach(client):
    program, coordinator = coordinated_program(coaching=True)
    supervisor = enroll_mentor(program, "Boss")
    member = ProtegeProfileFactory(supervisor=supervisor).user
    team = ClassroomTeamFactory(program=program, members=[member, ProtegeProfileFactory().user])
    client.force_login(coordinator)
    page = client.get(match_url(program), {"format": "team", "team": team.code, "kind": "coaching"})
    assert supervisor not in [s.person for s in page.context["suggestions"]]
    response = client.post(
        match_url(program),
        {
            "format": "team",
            "team": team.code,
            "kind": "coaching",
            "mentor": supervisor.pk,
            "meeting_arrangement": "mentor_visits",
            "starts_on": clock.today().isoformat(),
        },
    )
    assert "cannot be their mentor or coach" in response.content.decode()
    assert not SupportRelationship.objects.exists()


def test_someone_not_enrolled_as_mentor_is_refused(client):
    program, coordinator = coordinated_program()
    protege = enroll_protege(program)
    stranger = UserFactory(first_name="Stranger")
    client.force_login(coordinator)
    response = client.post(match_url(program), post_data(protege, stranger))
    assert "is not enrolled as a mentor in" in response.content.decode()
    assert not SupportRelationship.objects.exists()


def test_matching_creates_the_relationship(client):
    program, coordinator = coordinated_program(typical_duration_weeks=10)
    protege = enroll_protege(program)
    mentor = enroll_mentor(program, "Good")
    client.force_login(coordinator)
    page = suggestions_page(client, program, protege)
    planned = page.context["form"].initial["planned_end_on"]
    assert planned == clock.today() + datetime.timedelta(weeks=10)
    response = client.post(
        match_url(program),
        post_data(protege, mentor, meeting_arrangement="protege_visits"),
    )
    assert response.status_code == 302
    relationship = SupportRelationship.objects.get()
    assert relationship.mentor == mentor
    assert relationship.protege == protege.person
    assert relationship.program == program
    assert relationship.meeting_arrangement == "protege_visits"


def test_coaching_only_program_offers_only_coaching(client):
    program, coordinator = coordinated_program(coaching=True)
    protege = enroll_protege(program)
    coach = enroll_mentor(program, "Coach", role=Enrollment.Role.COACH)
    client.force_login(coordinator)
    page = client.get(match_url(program)).content.decode()
    assert 'value="coaching"' in page and 'value="mentoring"' not in page
    assert "it offers only coaching relationships" in page
    response = client.post(match_url(program), post_data(protege, coach, kind="mentoring"))
    assert "Select a valid choice" in response.content.decode()
    assert not SupportRelationship.objects.exists()
    client.post(match_url(program), post_data(protege, coach, kind="coaching"))
    assert SupportRelationship.objects.get().kind == "coaching"


def test_mentoring_a_classroom_team_gets_a_hint(client):
    program, coordinator = coordinated_program(support_model="both")
    team = ClassroomTeamFactory(program=program)
    enroll_mentor(program, "Someone")
    client.force_login(coordinator)
    page = client.get(
        match_url(program), {"format": "team", "team": team.code, "kind": "mentoring"}
    ).content.decode()
    assert "usually a coaching model" in page
    page = client.get(
        match_url(program), {"format": "team", "team": team.code, "kind": "coaching"}
    ).content.decode()
    assert "usually a coaching model" not in page


def test_missing_choices_are_explained(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    page = client.get(
        match_url(program), {"format": "individual", "kind": "mentoring"}
    ).content.decode()
    assert "Choose the protégé to support." in page


def test_archived_program_does_not_match(client):
    program, coordinator = coordinated_program()
    program.archived_at = clock.now()
    program.save()
    client.force_login(coordinator)
    assert client.get(match_url(program)).status_code == 302


def assert_errors_link_to_fields_on_the_page(page: str) -> None:
    """Every error in the summary at the top links to a field the page shows."""
    targets = re.findall(r'<a class="alert-link" href="#([^"]+)"', page)
    for target in targets:
        assert f'id="{target}"' in page, f"an error links to #{target}, which is not on the page"


def test_nobody_to_suggest_offers_only_the_ways_out(client):
    program, coordinator = coordinated_program()
    supervisor = enroll_mentor(program, "Boss")
    protege = enroll_protege(program, supervisor=supervisor)
    client.force_login(coordinator)
    page = suggestions_page(client, program, protege).content.decode()
    assert "No mentor of this program can be suggested" in page
    assert "those enrolled already mentor them, or supervise them" in page
    assert f'href="/programs/{program.code}/participants/add/?role=mentor"' in page
    assert "Enroll another mentor" in page
    assert re.search(rf'href="{match_url(program)}"[^>]*>Change</a>', page)
    # Nothing to choose, so nothing to fill in and nothing to submit.
    assert "Arrangement" not in page
    assert "Create the relationship" not in page
    assert 'name="meeting_arrangement"' not in page
    assert 'name="mentor"' not in page


def test_nobody_enrolled_says_so(client):
    program, coordinator = coordinated_program(name="Induction")
    protege = enroll_protege(program)
    client.force_login(coordinator)
    page = suggestions_page(client, program, protege).content.decode()
    assert "No mentor is enrolled in Induction yet" in page
    assert "Enroll a mentor" in page
    assert "Create the relationship" not in page


def test_a_post_with_nobody_to_choose_shows_its_error_once_and_links_nowhere(client):
    program, coordinator = coordinated_program()
    mentor = enroll_mentor(program, "Boss")
    protege = enroll_protege(program, supervisor=mentor)
    client.force_login(coordinator)
    data = post_data(protege, mentor)
    del data["mentor"]
    page = client.post(match_url(program), data).content.decode()
    assert page.count("Choose a mentor or coach.") == 1
    assert_errors_link_to_fields_on_the_page(page)
    assert "No mentor of this program can be suggested" in page
    assert "Create the relationship" not in page
    assert not SupportRelationship.objects.exists()


@pytest.mark.parametrize("field", ["mentor", "other_mentor"])
def test_refusals_link_only_to_fields_on_the_page(client, field):
    """The supervisor forced through either field, with someone else to suggest (and nobody
    in the list of others): the refusal is shown, and links to no missing field."""
    program, coordinator = coordinated_program()
    supervisor = enroll_mentor(program, "Boss")
    enroll_mentor(program, "Fine")
    protege = enroll_protege(program, supervisor=supervisor)
    client.force_login(coordinator)
    data = post_data(protege, supervisor)
    if field == "other_mentor":
        data["other_mentor"] = data.pop("mentor")
    response = client.post(match_url(program), data)
    page = response.content.decode()
    assert "cannot be their mentor or coach" in page
    assert "Create the relationship" in page
    assert 'name="other_mentor"' not in page  # nobody beyond the suggestions
    assert_errors_link_to_fields_on_the_page(page)
    assert not SupportRelationship.objects.exists()


def test_a_missing_choice_links_to_the_suggestions(client):
    program, coordinator = coordinated_program()
    protege = enroll_protege(program)
    mentor = enroll_mentor(program, "Good")
    client.force_login(coordinator)
    data = post_data(protege, mentor)
    del data["mentor"]
    page = client.post(match_url(program), data).content.decode()
    assert (
        'href="#id_mentor_0">Suggested mentors and coaches</a>: Choose a mentor or coach.' in page
    )
    assert_errors_link_to_fields_on_the_page(page)


def count_queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_match_pages_query_counts_are_the_same_for_1_and_50_people(client):
    step_one, step_two = [], []
    for n in (1, 50):
        program, coordinator = coordinated_program(coordinator=UserFactory())
        proteges = [enroll_protege(program) for _ in range(n)]
        for i in range(n):
            enroll_mentor(program, f"Mentor{i}", age_groups=["kindergarten"])
        client.force_login(coordinator)
        step_one.append(count_queries(client, match_url(program)))
        params = {"format": "individual", "protege": proteges[0].code, "kind": "mentoring"}
        step_two.append(count_queries(client, match_url(program), params))
    assert step_one[0] == step_one[1]
    assert step_two[0] == step_two[1]


def test_step_one_marks_a_protege_matched_in_every_kind_offered(client):
    program, coordinator = coordinated_program(support_model="both")
    waiting = enroll_protege(program, user__first_name="Waiting")
    partly = enroll_protege(program, user__first_name="Partly")
    full = enroll_protege(program, user__first_name="Full")
    first, second = enroll_mentor(program, "First"), enroll_mentor(program, "Second")
    SupportRelationshipFactory(program=program, mentor=first, protege=partly.person)
    for mentor, kind in ((first, "mentoring"), (second, "coaching")):
        SupportRelationshipFactory(program=program, mentor=mentor, protege=full.person, kind=kind)
    client.force_login(coordinator)
    page = client.get(match_url(program)).content.decode()
    assert f"{person_name(waiting.person)} (not matched yet)" in page
    assert f">{person_name(partly.person)}</option>" in page
    assert f"{person_name(full.person)} (matched)" in page


def test_a_protege_with_an_open_relationship_of_the_kind_gets_a_clear_message(client):
    """One open relationship of a kind per protégé in a program, whoever the mentor: the
    coordinator reads why at the first step, and a crafted post is refused the same way."""
    program, coordinator = coordinated_program(name="Induction")
    protege = enroll_protege(program)
    first = enroll_mentor(program, "First")
    other = enroll_mentor(program, "Other")
    SupportRelationshipFactory(program=program, mentor=first, protege=protege.person)
    client.force_login(coordinator)
    name = person_name(protege.person)
    expected = (
        f"{name} already has an open mentoring relationship in Induction, with "
        f"{person_name(first)}. End that relationship first"
    )
    response = suggestions_page(client, program, protege)
    assert response.status_code == 200
    assert expected in response.content.decode().replace("&#x27;", "'")
    response = client.post(match_url(program), post_data(protege, other))
    assert response.status_code == 200
    assert expected in response.content.decode().replace("&#x27;", "'")
    assert not SupportRelationship.objects.filter(mentor=other).exists()
