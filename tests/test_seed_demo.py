"""`manage.py seed_demo`: one demo world, built once, that shows every role and the seeds' cases.

Building the world takes a few hundred service calls, so the tests that only read it share one
build (`TestTheDemoWorld`), made inside a transaction that is rolled back after the class.
"""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test.utils import override_settings

from core import clock
from goals.models import ActionStep, Goal, GoalTemplate, ProgressEntry
from programs.models import (
    Enrollment,
    MentorProfile,
    Organization,
    Program,
    ProtegeProfile,
    role_for_kind,
)
from programs.organizations import same_organization
from relationships.models import Acknowledgement, ClassroomTeam, SupportRelationship, Visit
from seed import demo, demo_story
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = (
    User,
    Organization,
    Program,
    Enrollment,
    MentorProfile,
    ProtegeProfile,
    ClassroomTeam,
    SupportRelationship,
    Visit,
    Acknowledgement,
    GoalTemplate,
    Goal,
    ActionStep,
    ProgressEntry,
)

# Tests run production-like (DEBUG off), where the command refuses; a fast hasher keeps the
# password checks quick without changing what they prove.
DEMO_SETTINGS = {
    "DEBUG": True,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}

ROLES = (
    "coordinator",
    "mentor",
    "coach",
    "resident",
    "teamlead",
    "student",
    "supervisor",
    "peer",
    "admin",
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo_settings():
    with override_settings(**DEMO_SETTINGS):
        yield


# Running the command -------------------------------------------------------------------------


def test_running_it_twice_builds_one_world(demo_settings):
    first_output = seed()
    built = counts()
    second_output = seed()

    assert counts() == built
    assert all(built.values()), built
    assert "Built the demo world" in first_output
    assert "already there; nothing changed" in second_output
    assert second_output.endswith(demo.logins_table() + "\n")
    assert seed(verbosity=0) == ""


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.PASSWORD_HASHERS = DEMO_SETTINGS["PASSWORD_HASHERS"]
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published password"):
        seed()
    assert not User.objects.exists()

    seed(force=True)
    assert demo.demo_world_exists()


def test_it_refuses_to_mix_the_demo_into_existing_people(demo_settings):
    factories.UserFactory(username="mentor")

    with pytest.raises(CommandError, match="'mentor'"):
        seed()
    assert not Program.objects.exists()


# What the world holds ------------------------------------------------------------------------


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """Seed once for the class; each test then runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), override_settings(**DEMO_SETTINGS), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def people(demo_output) -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(username__in=demo.DEMO_USERNAMES)}


class TestTheDemoWorld:
    def test_it_prints_one_login_per_role_and_the_password(self, demo_output):
        for username in ROLES:
            assert f" {username} " in demo_output
        assert "Password for every account: mentoring-demo-2026" in demo_output

    def test_every_demo_account_logs_in_with_the_published_password(self, people):
        assert set(people) == set(demo.DEMO_USERNAMES)
        for user in people.values():
            assert user.check_password(demo.DEMO_PASSWORD), user.username
            assert user.is_active
        assert people["admin"].is_superuser and people["admin"].is_staff
        assert not any(user.is_staff for name, user in people.items() if name != "admin")

    def test_the_resident_has_a_mentor_and_a_coach_side_by_side(self, people):
        resident = people["resident"]
        supports = SupportRelationship.objects.visible_to(resident).open().filter(protege=resident)

        assert sorted((r.kind, r.mentor.username, r.program.name) for r in supports) == [
            ("coaching", "coach", demo.COACHING),
            ("mentoring", "mentor", demo.INDUCTION),
        ]
        assert resident.protege_profile.career_stage == ProtegeProfile.CareerStage.RESIDENT_2

    def test_mentors_and_coaches_are_enrolled_as_such_in_programs_that_name_their_stages(
        self, people
    ):
        roles = {
            (e.program.name, e.person.username): e.role
            for e in Enrollment.objects.supporting().select_related("program", "person")
            if e.is_current or e.program.is_closed
        }
        assert roles[(demo.INDUCTION, "mentor")] == Enrollment.Role.MENTOR
        assert roles[(demo.COACHING, "coach")] == Enrollment.Role.COACH
        induction = Program.objects.get(name=demo.INDUCTION)
        assert induction.stages_served() == "resident teachers in years 1–3"
        in_programs = SupportRelationship.objects.filter(program__isnull=False).select_related(
            "program", "mentor", "protege__protege_profile"
        )
        for relationship in in_programs:
            role = role_for_kind(relationship.kind)
            assert roles[(relationship.program.name, relationship.mentor.username)] == role
            if relationship.protege is not None:
                stage = relationship.protege.protege_profile.career_stage
                assert relationship.program.serves_stage(stage), relationship

    def test_a_recent_log_and_a_proposed_goal_wait_for_the_resident(self, people):
        resident = people["resident"]
        waiting_logs = (
            Visit.objects.logged()
            .filter(relationship__protege=resident)
            .exclude(acknowledgements__protege=resident)
        )
        latest_induction_log = (
            Visit.objects.logged().filter(relationship__program__name=demo.INDUCTION).first()
        )
        waiting_goals = Goal.objects.filter(
            relationship__protege=resident,
            status=Goal.Status.PROPOSED,
            mentor_agreed_at__isnull=False,
            protege_agreed_at__isnull=True,
        )

        assert latest_induction_log in waiting_logs
        assert latest_induction_log.date >= clock.today() - datetime.timedelta(days=7)
        assert waiting_goals.exists()
        # ...while the earlier logs are acknowledged, one with a reflection kept private.
        acknowledged = Acknowledgement.objects.filter(protege=resident)
        assert acknowledged.count() >= 5
        assert acknowledged.exclude(private_reflection="").exists()

    def test_the_supervisor_is_kept_apart_from_mentoring(self, people):
        supervisor = people["supervisor"]

        assert not SupportRelationship.objects.filter(mentor=supervisor).exists()
        assert set(supervisor.supervised_profiles.values_list("user__username", flat=True)) == {
            "resident",
            "teamlead",
            "teammate",
        }
        assert not SupportRelationship.objects.visible_to(supervisor).exists()
        assert not Visit.objects.conversation_visible_to(supervisor).exists()
        # No other role: no profile, no enrollment, no program to coordinate.
        assert not MentorProfile.objects.filter(user=supervisor).exists()
        assert not ProtegeProfile.objects.filter(user=supervisor).exists()
        assert not supervisor.enrollments.exists()
        assert not supervisor.coordinated_programs.exists()

    def test_the_programs_show_the_range_of_the_seeds(self, people):
        induction = Program.objects.get(name=demo.INDUCTION)
        coaching = Program.objects.get(name=demo.COACHING)
        placement = Program.objects.get(name=demo.PLACEMENT)

        assert set(people["coordinator"].coordinated_programs.all()) == {
            induction,
            induction.previous,
            coaching,
            placement,
        }
        assert induction.purposes == ["new_to_field", "retention"]
        assert induction.goal_policy == Program.GoalPolicy.COLLABORATIVE
        assert (
            induction.visits_per_month,
            induction.minutes_per_month,
            induction.days_to_first_visit,
            induction.days_to_first_goal,
        ) == (2, 120, 14, 30)
        assert coaching.support_model == Program.SupportModel.COACHING
        assert coaching.goal_policy == Program.GoalPolicy.PRESCRIBED
        assert coaching.goal_scope == Program.GoalScope.FOCUSED
        assert len(coaching.focus_area_list()) >= 2
        assert coaching.goal_templates.count() >= 2
        assert coaching.coordinators_read_shared_logs
        assert "higher_ed" in placement.purposes
        assert placement.sponsor.kind == Organization.Kind.COLLEGE
        student_teacher = SupportRelationship.objects.get(program=placement).protege
        assert student_teacher.protege_profile.career_stage == "pre_service"

    def test_the_district_runs_its_schools_and_its_coach_counts_as_theirs(self, people):
        district = Organization.objects.get(name=demo_story.DISTRICT)
        schools = set(district.children.values_list("name", flat=True))
        assert schools == {demo_story.ELEMENTARY, demo_story.EARLY_CHILDHOOD_CENTER}
        coach_org = people["coach"].mentor_profile.organization_id
        resident_org = people["resident"].protege_profile.organization_id
        assert same_organization(coach_org, resident_org)
        elementary, center = (Organization.objects.get(name=name).pk for name in schools)
        assert not same_organization(elementary, center)

    def test_enrollments_give_reasons_and_one_protege_left(self, people):
        assert set(Enrollment.objects.values_list("reason", flat=True)) >= {
            "choice",
            "job",
            "degree_required",
            "quality_mandate",
        }
        left = (
            Enrollment.objects.exclude(left_on=None).exclude(program__closed_at__isnull=False).get()
        )
        assert left.leaving_reason
        assert left.person == people["leaver"]
        assert not SupportRelationship.objects.open().filter(protege=people["leaver"]).exists()

    def test_the_induction_program_follows_its_closed_last_year(self, people):
        induction = Program.objects.get(name=demo.INDUCTION)
        last_year = induction.previous
        assert last_year.is_closed and last_year.closed_on == last_year.ends_on
        assert last_year.visits_per_month == induction.visits_per_month
        completed = SupportRelationship.objects.get(program=last_year)
        assert (completed.mentor, completed.protege, completed.status) == (
            people["mentor"],
            people["resident"],
            "completed",
        )
        assert set(
            Enrollment.objects.filter(program=last_year).values_list("leaving_reason", flat=True)
        ) == {"completed"}

    def test_the_coach_works_with_a_classroom_team_on_a_prescribed_goal(self, people):
        team = ClassroomTeam.objects.get(name=demo.TEAM)
        relationship = SupportRelationship.objects.get(team=team)
        goal = relationship.goals.get()

        assert set(team.members.values_list("username", flat=True)) == {"teamlead", "teammate"}
        assert relationship.mentor == people["coach"]
        assert relationship.kind == "coaching"
        assert relationship.is_open
        assert goal.origin == Goal.Origin.PRESCRIBED
        assert goal.template is not None
        assert goal.progress_entries.count() >= 3
        team_view = SupportRelationship.objects.visible_to(people["teamlead"])
        assert team_view.filter(team=team).exists()

    def test_visits_in_every_state(self, people):
        today = clock.today()
        logged = Visit.objects.logged()

        assert all(visit.duration_minutes and visit.logged_at for visit in logged)
        assert all(visit.whats_working and visit.protege_next_steps for visit in logged)
        assert sum(visit.is_incomplete for visit in logged) == 1
        assert logged.exclude(private_notes="").exists()
        assert logged.filter(goals__isnull=False).exists()
        assert not logged.filter(date__gt=today).exists()
        cancelled = Visit.objects.filter(status=Visit.Status.CANCELLED)
        assert cancelled.exclude(cancel_reason="").exists()
        assert Visit.objects.scheduled().filter(date__gte=today).count() >= 4
        on_weekends = [v.date for v in Visit.objects.exclude(date=today) if v.date.weekday() >= 5]
        assert not on_weekends, "teachers are visited on school days"

    def test_goals_in_every_state_the_demo_needs(self, people):
        met = Goal.objects.get(status=Goal.Status.MET)
        in_progress = Goal.objects.get(
            relationship__program__name=demo.INDUCTION, status=Goal.Status.IN_PROGRESS
        )

        assert met.closed_at is not None
        assert in_progress.origin == Goal.Origin.COLLABORATIVE
        assert in_progress.mentor_agreed_at and in_progress.protege_agreed_at
        assert in_progress.progress_entries.count() >= 3
        steps = list(in_progress.action_steps.all())
        assert any(step.done_at for step in steps)
        assert any(not step.done_at for step in steps)

    def test_an_informal_peer_relationship_has_no_program(self, people):
        informal = SupportRelationship.objects.get(mentor=people["peer"])

        assert informal.program is None
        assert informal.is_open
        assert not people["peer"].enrollments.exists()
