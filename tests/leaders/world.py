"""A small world for the leaders' tests: a district with two schools, a program it sponsors
with relationships at both schools (visits logged, goals, enrollments), and its leader."""

import datetime
import itertools
from dataclasses import dataclass, field

from core import clock
from programs.models import Enrollment, Organization, OrganizationLeader, Program
from relationships import summary_refresh
from tests.factories import (
    EnrollmentFactory,
    GoalFactory,
    MentorProfileFactory,
    OrganizationFactory,
    ProgramFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    UserFactory,
    VisitFactory,
)


@dataclass
class World:
    district: Organization
    schools: list[Organization]
    program: Program
    leader: object
    relationships: list = field(default_factory=list)


def first_of_month(months_ago: int) -> datetime.date:
    day = clock.today().replace(day=1)
    for _ in range(months_ago):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return day


_surnames = itertools.count(1)


def add_relationships(program: Program, school: Organization, n: int, **visit_fields) -> list:
    """`n` relationships at `school`, each with a protégé enrolled since last year, a logged
    visit two months ago and an agreed goal."""
    made: list = []
    for _ in range(n):
        # A surname no page or PDF could hold by chance (Faker's "Small" or "Page" could), so
        # that finding it means a name leaked.
        protege = ProtegeProfileFactory(
            organization=school, user__last_name=f"Quillfeather{next(_surnames)}"
        ).user
        mentor = MentorProfileFactory(organization=school).user
        relationship = SupportRelationshipFactory(
            program=program,
            protege=protege,
            mentor=mentor,
            starts_on=first_of_month(3),
            visits_per_month=1,
        )
        EnrollmentFactory(
            program=program,
            person=protege,
            role=Enrollment.Role.PROTEGE,
            joined_on=first_of_month(3),
        )
        EnrollmentFactory(program=program, person=mentor, role=Enrollment.Role.MENTOR)
        VisitFactory(relationship=relationship, logged=True, date=first_of_month(2), **visit_fields)
        GoalFactory(relationship=relationship, agreed=True)
        made.append(relationship)
    # The refresh tasks run when a transaction commits, which a test's never does.
    summary_refresh.refresh([relationship.pk for relationship in made])
    return made


def district_world(*, at_first: int = 6, at_second: int = 3, program: Program | None = None):
    district = OrganizationFactory(name="Lakeside District", kind=Organization.Kind.DISTRICT)
    schools = [
        OrganizationFactory(name="North School", parent=district),
        OrganizationFactory(name="South School", parent=district),
    ]
    program = program or ProgramFactory(sponsor=district, name="District Induction")
    leader = UserFactory(username="districtleader")
    OrganizationLeader.objects.create(organization=district, user=leader)
    world = World(district=district, schools=schools, program=program, leader=leader)
    world.relationships += add_relationships(program, schools[0], at_first)
    world.relationships += add_relationships(program, schools[1], at_second)
    return world
