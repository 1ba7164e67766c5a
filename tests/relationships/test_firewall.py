"""The supervision firewall and the other rules the database cannot hold, in the services."""

import pytest
from django.core.exceptions import ValidationError

from programs.profiles_services import protege_profile_save
from relationships import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_protege_s_supervisor_cannot_be_matched_as_their_mentor():
    supervisor = factories.UserFactory(first_name="Dana", last_name="Director")
    profile = factories.ProtegeProfileFactory(supervisor=supervisor)
    program = factories.ProgramFactory()

    with pytest.raises(ValidationError) as caught:
        services.relationship_create(
            program=program, kind="mentoring", mentor=supervisor, protege=profile.user
        )

    assert "Dana Director supervises" in str(caught.value)
    assert not profile.user.supports_received.exists()


def test_a_team_member_s_supervisor_cannot_coach_the_team():
    supervisor = factories.UserFactory()
    member = factories.ProtegeProfileFactory(supervisor=supervisor).user
    team = factories.ClassroomTeamFactory(members=[member, factories.ProtegeProfileFactory().user])
    program = factories.ProgramFactory(support_model="coaching")

    with pytest.raises(ValidationError, match="supervises"):
        services.relationship_create(program=program, kind="coaching", mentor=supervisor, team=team)


def test_recording_a_supervisor_who_already_mentors_the_protege_is_refused():
    relationship = factories.SupportRelationshipFactory()
    profile = relationship.protege.protege_profile
    profile.supervisor = relationship.mentor

    with pytest.raises(ValidationError, match="supervisor cannot"):
        protege_profile_save(profile=profile, by=None)


def test_nobody_mentors_themselves():
    person = factories.ProtegeProfileFactory().user
    with pytest.raises(ValidationError, match="themselves"):
        services.relationship_create(
            program=factories.ProgramFactory(), kind="mentoring", mentor=person, protege=person
        )


def test_team_members_must_be_proteges():
    not_a_protege = factories.UserFactory(first_name="Sam", last_name="Visitor")
    team = factories.ClassroomTeamFactory.build(site=factories.OrganizationFactory())
    with pytest.raises(ValidationError, match="Sam Visitor"):
        services.team_save(team=team, members=[not_a_protege])


def test_a_coaching_only_program_offers_only_coaching():
    program = factories.ProgramFactory(support_model="coaching")
    protege = factories.ProtegeProfileFactory().user
    with pytest.raises(ValidationError, match="coaching only"):
        services.relationship_create(
            program=program,
            kind="mentoring",
            mentor=factories.MentorProfileFactory().user,
            protege=protege,
        )


def test_a_good_match_is_saved():
    program = factories.ProgramFactory()
    protege = factories.ProtegeProfileFactory(supervisor=factories.UserFactory()).user
    mentor = factories.MentorProfileFactory().user
    factories.EnrollmentFactory(program=program, person=mentor, role="mentor")
    relationship = services.relationship_create(
        program=program, kind="mentoring", mentor=mentor, protege=protege
    )
    assert relationship.is_open
    assert relationship.history.count() == 1
