"""Matching in a program with mentors and coaches: only mentors are suggested for mentoring and
only coaches for coaching, a crafted choice is refused next to the field, someone enrolled in
both roles is suggested for both, and the protégé's career stage is shown and counts."""

import pytest

from programs.models import CareerStage, Enrollment
from relationships.models import SupportRelationship
from tests.factories import ProtegeProfileFactory, SupportRelationshipFactory
from tests.programs.coordinator_world import coordinated_program
from tests.relationships.test_coordinator_matching import (
    enroll_mentor,
    enroll_protege,
    match_url,
    post_data,
    suggestions_page,
)

pytestmark = pytest.mark.django_db

MENTOR, COACH = Enrollment.Role.MENTOR, Enrollment.Role.COACH


def suggested(page) -> list[str]:
    return [suggestion.label for suggestion in page.context["suggestions"]] + [
        f"{person.first_name} {person.last_name}" for person in page.context["others"]
    ]


def test_mentors_are_suggested_for_mentoring_and_coaches_for_coaching(client):
    program, coordinator = coordinated_program(support_model="both")
    protege = enroll_protege(program)
    enroll_mentor(program, "Mina", role=MENTOR)
    enroll_mentor(program, "Cole", role=COACH)
    both = enroll_mentor(program, "Bo", role=MENTOR)
    Enrollment.objects.create(program=program, person=both, role=COACH)
    client.force_login(coordinator)

    mentoring = suggestions_page(client, program, protege, kind="mentoring")
    coaching = suggestions_page(client, program, protege, kind="coaching")

    assert sorted(suggested(mentoring)) == ["Bo Mentor", "Mina Mentor"]
    assert sorted(suggested(coaching)) == ["Bo Mentor", "Cole Mentor"]
    assert "2. Coach" in coaching.content.decode()


def test_a_mentor_forced_into_a_coaching_relationship_is_refused_next_to_the_field(client):
    program, coordinator = coordinated_program(support_model="both", name="Induction")
    protege = enroll_protege(program)
    mentor = enroll_mentor(program, "Mina", role=MENTOR)
    enroll_mentor(program, "Cole", role=COACH)
    client.force_login(coordinator)

    response = client.post(match_url(program), post_data(protege, mentor, kind="coaching"))

    form = response.context["form"]
    assert form.errors["mentor"] == [
        "Mina Mentor is not enrolled as a coach in Induction, and a coaching relationship "
        "needs one. Enroll them as a coach first, or choose one of the program's coaches."
    ]
    assert not SupportRelationship.objects.exists()


def test_a_coaching_program_with_only_mentors_of_old_says_to_enroll_a_coach(client):
    program, coordinator = coordinated_program(coaching=True, name="Literacy Coaching")
    protege = enroll_protege(program)
    enroll_mentor(program, "Mina", role=MENTOR)  # a mentor enrollment in a coaching program
    client.force_login(coordinator)

    page = suggestions_page(client, program, protege, kind="coaching").content.decode()

    assert "No coach is enrolled in Literacy Coaching yet" in page
    assert f'href="/programs/{program.code}/participants/add/?role=coach"' in page


def test_the_protege_career_stage_shows_and_experience_with_it_ranks_first(client):
    program, coordinator = coordinated_program(
        name="Induction", career_stages=[CareerStage.RESIDENT_1, CareerStage.RESIDENT_2]
    )
    protege = enroll_protege(program, career_stage=CareerStage.RESIDENT_1)
    enroll_mentor(program, "Anna")  # first by name, no residents
    seasoned = enroll_mentor(program, "Zed")
    for stage in (CareerStage.RESIDENT_1, CareerStage.RESIDENT_1):
        other = ProtegeProfileFactory(career_stage=stage).user
        SupportRelationshipFactory(program=program, mentor=seasoned, protege=other)
    earlier = enroll_mentor(program, "Yves")
    SupportRelationshipFactory(
        mentor=earlier,
        protege=ProtegeProfileFactory(career_stage=CareerStage.RESIDENT_1).user,
        status="completed",
        ended_on=program.created_at.date(),
        end_reason="Year over",
    )
    client.force_login(coordinator)

    page = suggestions_page(client, program, protege)
    text = page.content.decode()

    # Both with experience of the stage come first, the one with more room ahead.
    assert suggested(page) == ["Yves Mentor", "Zed Mentor", "Anna Mentor"]
    assert "Career stage: Resident teacher, year 1." in text
    reasons = {s.label: s.reasons for s in page.context["suggestions"]}
    assert "Supports resident teachers in year 1 now (2)" in reasons["Zed Mentor"]
    assert "Has supported resident teachers in year 1 before" in reasons["Yves Mentor"]
    assert not any("resident" in reason for reason in reasons["Anna Mentor"])
    assert "serves resident teachers in years 1 and 2, not this stage" not in text


def test_a_stage_the_program_does_not_serve_is_pointed_out(client):
    program, coordinator = coordinated_program(
        name="Induction", career_stages=[CareerStage.RESIDENT_1, CareerStage.RESIDENT_2]
    )
    protege = enroll_protege(program, career_stage=CareerStage.EXPERIENCED)
    enroll_mentor(program, "Anna")
    client.force_login(coordinator)

    text = suggestions_page(client, program, protege).content.decode()

    assert "Career stage: Experienced teacher." in text
    assert "Induction serves resident teachers in years 1 and 2, not this stage." in text
