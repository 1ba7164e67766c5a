"""The home page shows each person what they hold, in each of their roles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_coordinator_sees_the_programs_they_coordinate(client):
    coordinator = factories.UserFactory()
    mine = factories.ProgramFactory(name="Resident Educator Induction", coordinators=[coordinator])
    factories.ProgramFactory(name="Someone Else's Program")
    factories.SupportRelationshipFactory(program=mine)

    page = home(client, coordinator)

    assert "Programs you coordinate" in page
    assert "Resident Educator Induction" in page
    assert "1 open relationship" in page
    assert "Someone Else&#x27;s Program" not in page


def test_mentor_sees_their_caseload(client):
    relationship = factories.SupportRelationshipFactory(
        protege__first_name="Maya", protege__last_name="Lopez"
    )
    other = factories.SupportRelationshipFactory(
        protege__first_name="Hidden", protege__last_name="Teacher"
    )

    page = home(client, relationship.mentor)

    assert ">My caseload</h2>" in page
    assert "Maya Lopez" in page
    assert "Hidden Teacher" not in page
    assert other.mentor.get_full_name() not in page


def test_protege_with_two_supports_sees_both_and_what_waits(client):
    protege = factories.ProtegeProfileFactory().user
    program = factories.ProgramFactory(support_model="both")
    mentoring = factories.SupportRelationshipFactory(
        program=program, kind="mentoring", protege=protege, mentor__first_name="Mona"
    )
    factories.SupportRelationshipFactory(
        program=program, kind="coaching", protege=protege, mentor__first_name="Carl"
    )
    factories.VisitFactory(relationship=mentoring, logged=True)

    page = home(client, protege)

    assert ">My support</h2>" in page
    assert "your mentor" in page and "your coach" in page
    assert "Mona" in page and "Carl" in page
    assert "1 log to acknowledge" in page
    assert "Neither a mentor nor a coach is your supervisor" in page


def test_team_member_sees_their_team_support(client):
    relationship = factories.TeamRelationshipFactory()
    member = relationship.team.members.first()

    page = home(client, member)

    assert relationship.team.name in page
    assert relationship.mentor.get_full_name() in page


def test_supervisor_sees_only_that_they_supervise(client):
    supervisor = factories.UserFactory()
    profile = factories.ProtegeProfileFactory(supervisor=supervisor)
    relationship = factories.SupportRelationshipFactory(protege=profile.user)

    page = home(client, supervisor)

    assert "You are recorded as the supervisor of 1 teacher" in page
    assert relationship.mentor.get_full_name() not in page


def test_someone_with_no_role_is_told_what_will_appear(client):
    page = home(client, factories.UserFactory())
    assert "Nothing here yet" in page


def count_home_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_runs_the_same_queries_with_one_or_fifty_rows(client):
    person = factories.UserFactory()
    factories.ProtegeProfileFactory(user=person)
    program = factories.ProgramFactory(coordinators=[person], support_model="both")

    def add_rows():
        factories.SupportRelationshipFactory(program=program, mentor=person)
        relationship = factories.SupportRelationshipFactory(
            program=factories.ProgramFactory(coordinators=[person]), protege=person
        )
        factories.VisitFactory(relationship=relationship, logged=True)
        factories.GoalFactory(relationship=relationship)

    add_rows()
    with_one = count_home_queries(client, person)
    for _ in range(49):
        add_rows()
    with_fifty = count_home_queries(client, person)

    assert with_one == with_fifty


def test_home_lists_the_first_ten_and_counts_them_all(client):
    person = factories.UserFactory()
    programs = [factories.ProgramFactory(coordinators=[person]) for _ in range(12)]
    for _ in range(11):
        factories.SupportRelationshipFactory(program=programs[0], mentor=person)
    client.force_login(person)
    page = client.get("/").content.decode()
    assert "All 12 programs" in page
    assert ">My caseload (11)</a>" in page
    shown = sum(program.get_absolute_url() in page for program in programs)
    assert shown == 10
