"""factory-boy factories for every model, consistent with the models' constraints.

Defaults describe the ordinary case: an individual mentoring relationship in a collaborative
program, a scheduled visit, a collaborative goal proposed by the mentor. Traits give the other
cases (`SupportRelationshipFactory(for_team=True)`, `VisitFactory(logged=True)`,
`GoalFactory(prescribed=True)`, ...). Factories write rows directly; tests of the rules call the
services instead.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory

from core import clock
from goals.models import ActionStep, Goal, GoalTemplate, ProgressEntry
from programs.models import (
    AgeGroup,
    Enrollment,
    EnrollmentRequest,
    MentorProfile,
    Organization,
    Program,
    ProtegeProfile,
    RosterImport,
    Supervision,
)
from relationships.models import (
    Acknowledgement,
    Activity,
    ClassroomTeam,
    PersonSettings,
    SupportRelationship,
    Visit,
)

# Every factory user has this password. It is hashed once, at import, so that creating users
# costs no hashing; `user.check_password(TEST_PASSWORD)` and logging in still work.
TEST_PASSWORD = "correct-horse-battery-staple"
TEST_PASSWORD_HASH = make_password(TEST_PASSWORD)


def in_days(days: int) -> datetime.date:
    """The local date `days` from today (negative: ago), as tests and pages count days."""
    return clock.today() + datetime.timedelta(days=days)


def _days_from_today(days: int):
    return factory.LazyFunction(lambda: in_days(days))


# programs ----------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = TEST_PASSWORD_HASH

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        admin = factory.Trait(is_staff=True, is_superuser=True)


class OrganizationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.SCHOOL
    city = "Riverbend"
    state = "Ohio"

    class Meta:
        model = Organization


class ProgramFactory(DjangoModelFactory):
    """A mentoring program with collaborative goals; pass `coordinators=[user, ...]`."""

    sponsor = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    description = "A program for the tests."
    support_model = Program.SupportModel.MENTORING
    purposes = factory.LazyFunction(lambda: [Program.Purpose.NEW_TO_FIELD])
    outcomes = factory.LazyFunction(lambda: [Program.Outcome.PRACTICES])
    goal_policy = Program.GoalPolicy.COLLABORATIVE
    goal_scope = Program.GoalScope.WIDE
    age_groups = factory.LazyFunction(lambda: [AgeGroup.KINDERGARTEN])
    coordinators_read_shared_logs = False
    # A program made to share logs has shared them from its creation (programs.services).
    shared_logs_since = factory.LazyAttribute(
        lambda o: clock.now() if o.coordinators_read_shared_logs else None
    )

    class Meta:
        model = Program
        skip_postgeneration_save = True

    class Params:
        coaching = factory.Trait(
            support_model=Program.SupportModel.COACHING,
            goal_policy=Program.GoalPolicy.PRESCRIBED,
            goal_scope=Program.GoalScope.FOCUSED,
            focus_areas="Interactive read-alouds\nOral language and vocabulary",
        )

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.set(extracted)


class EnrollmentFactory(DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(UserFactory)
    role = Enrollment.Role.PROTEGE
    reason = Enrollment.Reason.CHOICE
    joined_on = factory.LazyFunction(clock.today)

    class Meta:
        model = Enrollment

    class Params:
        left = factory.Trait(
            left_on=factory.LazyFunction(clock.today),
            leaving_reason=Enrollment.LeavingReason.LEFT_JOB,
        )


class EnrollmentRequestFactory(DjangoModelFactory):
    """A coordinator's pending request that an existing account take part in a program."""

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(UserFactory)
    role = Enrollment.Role.PROTEGE
    asked_by = factory.LazyAttribute(lambda o: o.program.coordinators.first())

    class Meta:
        model = EnrollmentRequest


class RosterImportFactory(DjangoModelFactory):
    """A confirmed roster of one row, waiting for the task worker to save it."""

    program = factory.SubFactory(ProgramFactory)
    uploaded_by = factory.LazyAttribute(lambda o: o.program.coordinators.first() or UserFactory())
    row_count = 1
    rows = factory.LazyFunction(
        lambda: [
            {
                "line": 2,
                "values": {
                    "role": "protege",
                    "first_name": "Ana",
                    "last_name": "Reyes",
                    "email": "ana@example.org",
                },
            }
        ]
    )

    class Meta:
        model = RosterImport


# relationships -----------------------------------------------------------------------------


class MentorProfileFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    currently_teaching = True
    years_teaching = 12
    age_groups = factory.LazyFunction(lambda: [AgeGroup.PRESCHOOL, AgeGroup.KINDERGARTEN])
    prep_child_development = True
    prep_adult_learning = True

    class Meta:
        model = MentorProfile
        django_get_or_create = ("user",)


class ProtegeProfileFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    position = "Classroom teacher"
    career_stage = ProtegeProfile.CareerStage.RESIDENT_1
    age_group_taught = AgeGroup.KINDERGARTEN

    class Meta:
        model = ProtegeProfile
        django_get_or_create = ("user",)
        skip_postgeneration_save = True

    @factory.post_generation
    def supervision(self, create, extracted, **kwargs):
        """A recorded supervisor has its current spell of `Supervision`, as the services
        write it (programs.profiles_services.protege_profile_save)."""
        if not create or not self.supervisor_id:
            return
        current = Supervision.objects.filter(protege=self.user, ended_at__isnull=True)
        if not current.exists():
            Supervision.objects.create(
                protege=self.user, supervisor=self.supervisor, started_at=clock.now()
            )


class PersonSettingsFactory(DjangoModelFactory):
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = PersonSettings
        django_get_or_create = ("user",)


def _new_protege() -> User:
    return ProtegeProfileFactory().user


class ClassroomTeamFactory(DjangoModelFactory):
    """A classroom team in a coaching program.

    `members` takes a list of users (set as given), or a number of new protégés to create;
    by default the team has two new protégés, as teams are there to be coached.
    """

    name = factory.Sequence(lambda n: f"Room {n} team")
    program = factory.SubFactory(ProgramFactory, coaching=True)
    site = factory.SubFactory(OrganizationFactory)
    age_group = AgeGroup.PRESCHOOL

    class Meta:
        model = ClassroomTeam
        skip_postgeneration_save = True

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = 2
        if isinstance(extracted, int):
            extracted = [_new_protege() for _ in range(extracted)]
        self.members.set(extracted)


def _offered_kind(relationship, preferred: str) -> str:
    if relationship.program is None:
        return preferred
    kinds = relationship.program.offered_kinds
    return preferred if preferred in kinds else kinds[0]


class SupportRelationshipFactory(DjangoModelFactory):
    """An active individual relationship; the mentor and protégé have their profiles
    (`mentor__first_name="Mona"` and the like reach the users).

    `for_team=True` (or `TeamRelationshipFactory`) makes it a team relationship in a coaching
    program: no single protégé, a new classroom team of the same program. `informal=True`
    leaves the program out; `ended=True` completes it today.
    """

    program = factory.SubFactory(ProgramFactory)
    kind = factory.LazyAttribute(lambda o: _offered_kind(o, "mentoring"))
    format = SupportRelationship.Format.INDIVIDUAL
    mentor = factory.SubFactory(UserFactory)
    protege = factory.SubFactory(UserFactory)
    status = SupportRelationship.Status.ACTIVE
    starts_on = _days_from_today(-30)

    class Meta:
        model = SupportRelationship
        skip_postgeneration_save = True

    class Params:
        for_team = factory.Trait(
            program=factory.SubFactory(ProgramFactory, coaching=True),
            kind=factory.LazyAttribute(lambda o: _offered_kind(o, "coaching")),
            format=SupportRelationship.Format.TEAM,
            protege=None,
            team=factory.SubFactory(
                ClassroomTeamFactory, program=factory.SelfAttribute("..program")
            ),
        )
        informal = factory.Trait(program=None)
        ended = factory.Trait(
            status=SupportRelationship.Status.COMPLETED,
            ended_on=factory.LazyFunction(clock.today),
            end_reason="The year of support is over.",
        )

    @factory.post_generation
    def profiles(self, create, extracted, **kwargs):
        """The mentor gets a mentor profile and the protégé a protégé profile, where missing.

        Pass `profiles=False` to leave them out.
        """
        if not create or extracted is False:
            return
        MentorProfileFactory(user=self.mentor)
        if self.protege is not None:
            ProtegeProfileFactory(user=self.protege)


class TeamRelationshipFactory(SupportRelationshipFactory):
    """A coach with a classroom team (format team, no single protégé)."""

    for_team = True


def _supported_person(relationship: SupportRelationship) -> User:
    """The protégé, or the first member of the team."""
    if relationship.protege_id:
        return relationship.protege
    return relationship.team.members.order_by("pk").first()


class VisitFactory(DjangoModelFactory):
    """A scheduled visit next week, created by the relationship's mentor.

    `logged=True` gives a logged visit last week with every section written;
    `cancelled=True` a cancelled one with its reason.
    """

    relationship = factory.SubFactory(SupportRelationshipFactory)
    status = Visit.Status.SCHEDULED
    date = _days_from_today(7)
    start_time = datetime.time(9, 30)
    location = "Classroom"
    created_by = factory.SelfAttribute("relationship.mentor")

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    class Params:
        logged = factory.Trait(
            status=Visit.Status.LOGGED,
            date=_days_from_today(-7),
            duration_minutes=60,
            logged_at=factory.LazyFunction(clock.now),
            activities=factory.LazyFunction(
                lambda: [
                    Activity.OBSERVING,
                    Activity.FEEDBACK,
                    Activity.REFLECTIVE_CONVERSATION,
                ]
            ),
            whats_working="Children settle quickly after the transition song.",
            focus_challenges="Keeping the whole group engaged during the read-aloud.",
            protege_next_steps="Plan three open-ended questions for Thursday's book.",
            mentor_next_steps="Bring a video of a dialogic read-aloud.",
            feedback="Your wait time after questions doubled since last visit.",
            next_meeting_focus="Open-ended questions",
            private_notes="Seemed tired; ask how the week is going.",
        )
        cancelled = factory.Trait(
            status=Visit.Status.CANCELLED,
            cancel_reason="The protégé was out sick.",
        )

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if create and extracted:
            self.goals.set(extracted)


class AcknowledgementFactory(DjangoModelFactory):
    visit = factory.SubFactory(VisitFactory, logged=True)
    protege = factory.LazyAttribute(lambda o: _supported_person(o.visit.relationship))
    reflection = "Thank you: the questions worked better on Thursday."
    private_reflection = ""

    class Meta:
        model = Acknowledgement


# goals -------------------------------------------------------------------------------------


class GoalTemplateFactory(DjangoModelFactory):
    program = factory.SubFactory(ProgramFactory, coaching=True)
    title = factory.Sequence(lambda n: f"Interactive read-alouds {n}")
    description = "Read aloud daily with open-ended questions and child talk."
    focus_area = "Interactive read-alouds"
    suggested_measure = "Open-ended questions per read-aloud (observed)"

    class Meta:
        model = GoalTemplate


class GoalFactory(DjangoModelFactory):
    """A collaborative goal proposed by the mentor, awaiting the protégé's agreement.

    Traits: `agreed` (both agreed), `prescribed` (from a template of a coaching program with
    prescribed goals; starts agreed), `met` (agreed, then closed as met).
    """

    relationship = factory.SubFactory(SupportRelationshipFactory)
    origin = Goal.Origin.COLLABORATIVE
    template = None
    title = factory.Sequence(lambda n: f"Goal {n}")
    statement = "Children answer open-ended questions during read-alouds."
    focus_area = "Early literacy"
    student_focused = True
    measure_description = "Open-ended questions per read-aloud"
    baseline = Decimal("2")
    target = Decimal("8")
    unit = "questions"
    target_date = _days_from_today(60)
    status = Goal.Status.PROPOSED
    mentor_agreed_at = factory.LazyFunction(clock.now)
    created_by = factory.SelfAttribute("relationship.mentor")

    class Meta:
        model = Goal

    class Params:
        agreed = factory.Trait(
            status=Goal.Status.AGREED,
            protege_agreed_at=factory.LazyFunction(clock.now),
            agreed_at=factory.LazyFunction(clock.now),
        )
        prescribed = factory.Trait(
            relationship=factory.SubFactory(
                SupportRelationshipFactory,
                program=factory.SubFactory(ProgramFactory, coaching=True),
            ),
            origin=Goal.Origin.PRESCRIBED,
            template=factory.SubFactory(
                GoalTemplateFactory,
                program=factory.SelfAttribute("..relationship.program"),
            ),
            title=factory.SelfAttribute("template.title"),
            status=Goal.Status.AGREED,
            agreed_at=factory.LazyFunction(clock.now),
        )
        met = factory.Trait(
            status=Goal.Status.MET,
            protege_agreed_at=factory.LazyFunction(clock.now),
            agreed_at=factory.LazyFunction(clock.now),
            closed_at=factory.LazyFunction(clock.now),
        )


class ActionStepFactory(DjangoModelFactory):
    goal = factory.SubFactory(GoalFactory, agreed=True)
    who = ActionStep.Who.PROTEGE
    what = factory.Sequence(lambda n: f"Try strategy {n} in the morning meeting")
    due_on = _days_from_today(14)

    class Meta:
        model = ActionStep

    class Params:
        done = factory.Trait(
            done_at=factory.LazyFunction(clock.now),
            done_by=factory.LazyAttribute(
                lambda o: (
                    o.goal.relationship.mentor
                    if o.who == ActionStep.Who.MENTOR
                    else _supported_person(o.goal.relationship)
                )
            ),
        )


class ProgressEntryFactory(DjangoModelFactory):
    goal = factory.SubFactory(GoalFactory, agreed=True)
    date = factory.LazyFunction(clock.today)
    value = Decimal("4")
    note = "Counted during the morning read-aloud."
    recorded_by = factory.SelfAttribute("goal.relationship.mentor")

    class Meta:
        model = ProgressEntry
