"""Every invariant the database holds, proven by writing through the ORM past the forms.

Each case bypasses `clean()` with a queryset `update()` (or a bare `create()`), and must be
refused by a named database constraint with an IntegrityError.
"""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from goals.models import ActionStep, Goal
from programs.models import Enrollment, MentorProfile, Organization, Program, ProtegeProfile
from relationships.models import Acknowledgement, ClassroomTeam, SupportRelationship, Visit
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)


def refused(constraint: str | tuple[str, ...], write, *, unique: bool = False) -> None:
    """The write fails with an IntegrityError that names the constraint.

    Both databases name a failing CHECK constraint; SQLite names a failing unique index by its
    columns instead, so for those the name is only checked on PostgreSQL.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    message = str(caught.value)
    if unique and connection.vendor == "sqlite":
        assert "UNIQUE constraint failed" in message, message
    else:
        names = (constraint,) if isinstance(constraint, str) else constraint
        assert any(name in message for name in names), message


CHOICE_COLUMNS = [
    (
        Organization,
        "kind",
        factories.OrganizationFactory,
        "programs_organization_kind_valid",
    ),
    (
        Program,
        "support_model",
        factories.ProgramFactory,
        "programs_program_support_model_valid",
    ),
    (
        Program,
        "goal_policy",
        factories.ProgramFactory,
        "programs_program_goal_policy_valid",
    ),
    (
        Program,
        "goal_scope",
        factories.ProgramFactory,
        "programs_program_goal_scope_valid",
    ),
    (
        Program,
        "director_involvement",
        factories.ProgramFactory,
        "programs_program_director_involvement_valid",
    ),
    (
        Program,
        "mentor_organization",
        factories.ProgramFactory,
        "programs_program_mentor_organization_valid",
    ),
    (Enrollment, "role", factories.EnrollmentFactory, "programs_enrollment_role_valid"),
    (
        Enrollment,
        "reason",
        factories.EnrollmentFactory,
        "programs_enrollment_reason_valid",
    ),
    (
        ProtegeProfile,
        "career_stage",
        factories.ProtegeProfileFactory,
        "relationships_protegeprofile_career_stage_valid",
    ),
    (
        ProtegeProfile,
        "age_group_taught",
        factories.ProtegeProfileFactory,
        "relationships_protegeprofile_age_group_valid",
    ),
    (
        ClassroomTeam,
        "age_group",
        factories.ClassroomTeamFactory,
        "relationships_classroomteam_age_group_valid",
    ),
    (
        SupportRelationship,
        "kind",
        factories.SupportRelationshipFactory,
        "relationships_supportrelationship_kind_valid",
    ),
    (
        SupportRelationship,
        "format",
        factories.SupportRelationshipFactory,
        "relationships_supportrelationship_format_valid",
    ),
    (
        SupportRelationship,
        "meeting_arrangement",
        factories.SupportRelationshipFactory,
        "relationships_supportrelationship_meeting_arrangement_valid",
    ),
    (
        SupportRelationship,
        "status",
        factories.SupportRelationshipFactory,
        # An unknown status is also neither open nor ended: either constraint may report it.
        (
            "relationships_supportrelationship_status_valid",
            "relationships_supportrelationship_ended_on_matches_status",
        ),
    ),
    (Visit, "status", factories.VisitFactory, "relationships_visit_status_valid"),
    (Goal, "origin", factories.GoalFactory, "goals_goal_origin_valid"),
    (
        Goal,
        "status",
        factories.GoalFactory,
        ("goals_goal_status_valid", "goals_goal_closed_at_matches_status"),
    ),
    (ActionStep, "who", factories.ActionStepFactory, "goals_actionstep_who_valid"),
]


@pytest.mark.parametrize(
    ("model", "column", "factory", "constraint"),
    CHOICE_COLUMNS,
    ids=[f"{m.__name__}.{c}" for m, c, _, _ in CHOICE_COLUMNS],
)
def test_choice_columns_refuse_unknown_values(model, column, factory, constraint):
    obj = factory()
    refused(constraint, lambda: model.objects.filter(pk=obj.pk).update(**{column: "bogus"}))


def test_program_ends_after_it_starts():
    program = factories.ProgramFactory(starts_on=TODAY)
    refused(
        "programs_program_ends_after_start",
        lambda: Program.objects.filter(pk=program.pk).update(
            ends_on=TODAY - datetime.timedelta(days=1)
        ),
    )


def test_an_organization_is_not_its_own_parent():
    organization = factories.OrganizationFactory()
    refused(
        "programs_organization_not_its_own_parent",
        lambda: Organization.objects.filter(pk=organization.pk).update(parent=organization.pk),
    )


def test_enrollment_leaves_after_joining_and_with_a_reason():
    enrollment = factories.EnrollmentFactory(joined_on=TODAY)
    refused(
        "programs_enrollment_left_after_joined",
        lambda: Enrollment.objects.filter(pk=enrollment.pk).update(
            left_on=TODAY - datetime.timedelta(days=1), leaving_reason="moved"
        ),
    )
    refused(
        "programs_enrollment_leaving_has_reason",
        lambda: Enrollment.objects.filter(pk=enrollment.pk).update(left_on=TODAY),
    )


def test_one_current_enrollment_per_role():
    enrollment = factories.EnrollmentFactory()
    refused(
        "programs_enrollment_one_current_per_role",
        lambda: Enrollment.objects.create(
            program=enrollment.program, person=enrollment.person, role=enrollment.role
        ),
        unique=True,
    )


def test_nobody_is_their_own_supervisor():
    profile = factories.ProtegeProfileFactory()
    refused(
        "relationships_protegeprofile_not_own_supervisor",
        lambda: ProtegeProfile.objects.filter(pk=profile.pk).update(supervisor=profile.user),
    )


def test_caseload_limit_is_positive():
    profile = factories.MentorProfileFactory()
    refused(
        "relationships_mentorprofile_caseload_limit_positive",
        lambda: MentorProfile.objects.filter(pk=profile.pk).update(caseload_limit=0),
    )


def test_relationship_has_exactly_one_of_protege_or_team():
    relationship = factories.SupportRelationshipFactory()
    team = factories.ClassroomTeamFactory()
    name = "relationships_supportrelationship_one_protege_or_team"
    refused(
        name,
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(team=team),
    )
    refused(
        name,
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(protege=None),
    )
    refused(
        name,
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(format="team"),
    )


def test_nobody_mentors_themselves():
    relationship = factories.SupportRelationshipFactory()
    refused(
        "relationships_supportrelationship_not_self",
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(
            protege=relationship.mentor
        ),
    )


def test_relationship_dates_run_forwards():
    relationship = factories.SupportRelationshipFactory(starts_on=TODAY)
    before = TODAY - datetime.timedelta(days=1)
    refused(
        "relationships_supportrelationship_planned_end_after_start",
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(
            planned_end_on=before
        ),
    )
    refused(
        "relationships_supportrelationship_ended_after_start",
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(
            status="completed", ended_on=before
        ),
    )


def test_ended_relationship_has_an_end_date_and_open_one_has_none():
    relationship = factories.SupportRelationshipFactory(starts_on=TODAY)
    name = "relationships_supportrelationship_ended_on_matches_status"
    refused(
        name,
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(status="completed"),
    )
    refused(
        name,
        lambda: SupportRelationship.objects.filter(pk=relationship.pk).update(ended_on=TODAY),
    )


def test_one_open_relationship_of_a_kind_per_protege_and_program_whoever_the_mentor():
    first = factories.SupportRelationshipFactory()
    refused(
        "relationships_supportrelationship_one_open_per_protege",
        lambda: SupportRelationship.objects.create(
            program=first.program,
            kind=first.kind,
            format="individual",
            protege=first.protege,
            mentor=factories.UserFactory(),
            status="active",
        ),
        unique=True,
    )


def test_one_open_relationship_of_a_kind_per_team_and_program_whoever_the_coach():
    first = factories.SupportRelationshipFactory(for_team=True)
    refused(
        "relationships_supportrelationship_one_open_per_team",
        lambda: SupportRelationship.objects.create(
            program=first.program,
            kind=first.kind,
            format="team",
            team=first.team,
            mentor=factories.UserFactory(),
            status="active",
        ),
        unique=True,
    )


def test_visit_duration_is_positive_and_logged_visits_have_one():
    visit = factories.VisitFactory()
    refused(
        "relationships_visit_duration_positive",
        lambda: Visit.objects.filter(pk=visit.pk).update(duration_minutes=0),
    )
    refused(
        "relationships_visit_logged_has_duration",
        lambda: Visit.objects.filter(pk=visit.pk).update(status="logged", duration_minutes=None),
    )


def test_cancelled_visit_has_a_reason():
    visit = factories.VisitFactory()
    refused(
        "relationships_visit_cancelled_has_reason",
        lambda: Visit.objects.filter(pk=visit.pk).update(status="cancelled", cancel_reason=""),
    )


def test_next_meeting_is_not_before_the_visit():
    visit = factories.VisitFactory(date=TODAY)
    refused(
        "relationships_visit_next_meeting_after_visit",
        lambda: Visit.objects.filter(pk=visit.pk).update(
            next_meeting_on=TODAY - datetime.timedelta(days=3)
        ),
    )


def test_a_log_is_acknowledged_once_per_person():
    acknowledgement = factories.AcknowledgementFactory()
    refused(
        "relationships_acknowledgement_once_per_person",
        lambda: Acknowledgement.objects.create(
            visit=acknowledgement.visit, protege=acknowledgement.protege
        ),
        unique=True,
    )


def test_prescribed_goal_has_a_template_and_collaborative_has_none():
    goal = factories.GoalFactory()
    template = factories.GoalTemplateFactory(program=goal.relationship.program)
    name = "goals_goal_template_matches_origin"
    refused(name, lambda: Goal.objects.filter(pk=goal.pk).update(origin="prescribed"))
    refused(name, lambda: Goal.objects.filter(pk=goal.pk).update(template=template))


def test_closed_goal_has_closing_time_and_reason():
    goal = factories.GoalFactory()
    refused(
        "goals_goal_closed_at_matches_status",
        lambda: Goal.objects.filter(pk=goal.pk).update(status="met"),
    )
    refused(
        "goals_goal_closed_has_reason",
        lambda: Goal.objects.filter(pk=goal.pk).update(
            status="closed", closed_at=goal.created_at, close_reason=""
        ),
    )


def test_done_action_step_says_who_did_it():
    step = factories.ActionStepFactory()
    refused(
        "goals_actionstep_done_has_person",
        lambda: ActionStep.objects.filter(pk=step.pk).update(done_at=step.goal.created_at),
    )
