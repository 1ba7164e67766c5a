"""Constant queries for the key pages that had no 1-versus-50 test of their own: the visit page
(acknowledgements of a team, goals addressed, progress recorded at the visit), the visit log
form (the relationship's open goals to tick) and the page that reassigns a caseload (a choice of
successor for each relationship). The other pages have theirs next to their views'
tests (caseload, relationship page, calendar, feedback, dashboard, exports, home, lists)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Enrollment
from tests.factories import (
    AcknowledgementFactory,
    EnrollmentFactory,
    GoalFactory,
    MentorProfileFactory,
    OrganizationFactory,
    ProgressEntryFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
    VisitFactory,
)
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def own_queries(queries: CaptureQueriesContext) -> int:
    """A page's own queries, for exact counts: the session's read is left out, for it is a
    query with the sessions in the database and a cache read with Redis (.ci/run's PostgreSQL
    run keeps them in both)."""
    return sum(1 for query in queries.captured_queries if "django_session" not in query["sql"])


def count_own_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return own_queries(queries)


def team_visit(members: int):
    """A logged visit of a team of `members`, each of whom acknowledged it, addressing
    `members` goals with a progress entry each."""
    relationship = TeamRelationshipFactory(team__members=members)
    goals = [GoalFactory(relationship=relationship, agreed=True) for _ in range(members)]
    visit = VisitFactory(relationship=relationship, logged=True, goals=goals)
    for person in relationship.team.members.all():
        AcknowledgementFactory(visit=visit, protege=person)
    for goal in goals:
        ProgressEntryFactory(goal=goal, visit=visit, recorded_by=relationship.mentor)
    return visit


def test_visit_page_query_count_is_the_same_for_1_and_50_rows(client):
    small, large = team_visit(1), team_visit(50)
    counts = []
    for visit in (small, large):
        client.force_login(visit.relationship.mentor)
        counts.append(
            count_queries(client, reverse("relationships:visit_detail", args=[visit.code]))
        )
    assert counts[0] == counts[1]


def test_visit_log_form_query_count_is_the_same_for_1_and_50_open_goals(client):
    counts = []
    for n in (1, 50):
        relationship = TeamRelationshipFactory()
        for _ in range(n):
            GoalFactory(relationship=relationship, agreed=True)
        client.force_login(relationship.mentor)
        url = reverse("relationships:visit_log_new", args=[relationship.code])
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1]


def enroll_mentor_in(program, name: str, **profile) -> Enrollment:
    user = UserFactory(first_name=name, last_name="Mentor")
    MentorProfileFactory(user=user, **profile)
    return EnrollmentFactory(program=program, person=user, role=Enrollment.Role.MENTOR)


def open_relationship_of(program, mentor, name: str) -> None:
    protege = ProtegeProfileFactory(user__first_name=name).user
    EnrollmentFactory(program=program, person=protege)
    SupportRelationshipFactory(program=program, mentor=mentor, protege=protege)


def reassign_queries(client, n: int) -> int:
    program, coordinator = coordinated_program(coordinator=UserFactory())
    leaving = enroll_mentor_in(program, "Leaving")
    for number in range(3):
        enroll_mentor_in(program, f"Other{number}", organization=OrganizationFactory())
    for number in range(n):
        open_relationship_of(program, leaving.person, f"P{number}")
    TeamRelationshipFactory(program=program, mentor=leaving.person, kind="mentoring")
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/relationships/coordinate/{program.code}/reassign/{leaving.code}/")
    assert response.status_code == 200
    assert response.content.decode().count("<select") == n + 1
    return len(queries.captured_queries)


def test_the_reassign_page_query_count_is_the_same_for_1_and_50_relationships(client):
    assert reassign_queries(client, 1) == reassign_queries(client, 50)
