"""The workspace pages fetch their object by code and test a rule (relationships/lookups.py):
the rules must let in exactly whom the scoped querysets let in, admins aside, and the caseload's
figures must say what they said when they came from annotations."""

import datetime

import pytest
import rules
from django.contrib.auth.models import User
from django.urls import reverse

from relationships import selectors
from relationships.figures import GoalFigures, VisitFigures
from relationships.models import SupportRelationship, Visit
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = (
    "coordinator",
    "mentor",
    "coach",
    "protege",
    "team_member",
    "supervisor",
    "lead",
    "outsider",
    "admin",
)


@pytest.fixture
def world():
    """An individual, a team and an informal relationship in a program that shares logs with
    its coordinators, one of whom supervises the protégé and a team member; another member of
    the team (the lead) supervises the third."""
    people = {name: factories.UserFactory(username=name) for name in ROLES}
    User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)
    program = factories.ProgramFactory(
        support_model="both",
        coordinators_read_shared_logs=True,
        coordinators=[people["coordinator"], people["supervisor"]],
    )
    for name in ("protege", "team_member"):
        factories.ProtegeProfileFactory(user=people[name], supervisor=people["supervisor"])
    assistant = factories.ProtegeProfileFactory(supervisor=people["lead"]).user
    relationships = [
        factories.SupportRelationshipFactory(
            program=program, kind="mentoring", mentor=people["mentor"], protege=people["protege"]
        ),
        factories.SupportRelationshipFactory(
            program=program,
            kind="coaching",
            mentor=people["coach"],
            protege=None,
            team=factories.ClassroomTeamFactory(
                members=[people["team_member"], people["lead"], assistant]
            ),
            format="team",
        ),
        factories.SupportRelationshipFactory(
            program=None, kind="mentoring", mentor=people["coach"], protege=people["protege"]
        ),
    ]
    for relationship in relationships:
        factories.VisitFactory(relationship=relationship, logged=True)
    return relationships


def fresh(username: str) -> User:
    """The person as a new request sees them (role sets are cached on the user object)."""
    return User.objects.get(username=username)


@pytest.mark.parametrize("role", ROLES)
def test_page_rules_let_in_whom_the_scoped_querysets_do(world, role):
    user = fresh(role)
    logistics = set(SupportRelationship.objects.visible_to(user))
    conversation = set(Visit.objects.conversation_visible_to(user))
    for relationship in world:
        visit = relationship.visits.get()
        # Admins see every record through Django admin, not through the workspace pages.
        expected = relationship in logistics and role != "admin"
        assert rules.test_rule("relationships.open_relationship_page", user, relationship) is (
            expected
        )
        assert rules.test_rule("relationships.open_visit_page", user, visit) is expected
        assert rules.test_rule("relationships.read_visit", user, visit) is (visit in conversation)


def test_out_of_scope_pages_are_not_found(world, client):
    individual = world[0]
    visit = individual.visits.get()
    goal = factories.GoalFactory(relationship=individual)
    pages = {
        "relationship": individual.get_absolute_url(),
        "visit": visit.get_absolute_url(),
        "acknowledge": reverse("relationships:visit_acknowledge", args=[visit.code]),
        "goal": reverse("goals:detail", args=[goal.code]),
    }

    def statuses(username: str) -> dict[str, int]:
        client.force_login(fresh(username))
        return {name: client.get(url).status_code for name, url in pages.items()}

    assert statuses("admin") == dict.fromkeys(pages, 404)
    assert statuses("outsider") == dict.fromkeys(pages, 404)
    # The supervisor coordinates the program: its logistics, never the conversation.
    assert statuses("supervisor") == {
        "relationship": 200,
        "visit": 200,
        "acknowledge": 404,
        "goal": 404,
    }


# Caseload --------------------------------------------------------------------------------------


def test_logs_wait_until_every_person_supported_acknowledges():
    individual = factories.SupportRelationshipFactory()
    acknowledged = factories.VisitFactory(relationship=individual, logged=True)
    factories.AcknowledgementFactory(visit=acknowledged)
    factories.VisitFactory(relationship=individual, logged=True)
    factories.VisitFactory(relationship=individual)  # scheduled: nothing to acknowledge
    team = factories.TeamRelationshipFactory(team__members=3)
    first, second, _ = team.team.members.order_by("pk")
    for signers in ([], [first], [first, second]):
        visit = factories.VisitFactory(relationship=team, logged=True)
        for person in signers:
            factories.AcknowledgementFactory(visit=visit, protege=person)
    done = factories.VisitFactory(relationship=team, logged=True)
    for person in team.team.members.all():
        factories.AcknowledgementFactory(visit=done, protege=person)
    empty_team = factories.TeamRelationshipFactory(team__members=0)
    factories.VisitFactory(relationship=empty_team, logged=True)

    people = {individual.pk: 1, team.pk: 3, empty_team.pk: 0}
    assert selectors.logs_waiting(people) == {individual.pk: 1, team.pk: 3}
    assert [row.team_size for row in selectors.caseload_for(team.mentor)] == [3]


def test_dosage_due_reads_the_figures():
    program = factories.ProgramFactory(
        visits_per_month=3,
        minutes_per_month=120,
        days_to_first_visit=7,
        days_to_first_goal=14,
    )
    today = datetime.date(2026, 3, 20)
    relationship = factories.SupportRelationshipFactory(
        program=program, starts_on=datetime.date(2026, 3, 10)
    )

    nothing_yet = selectors.dosage_due(relationship, VisitFigures(), GoalFigures(), today=today)
    assert [(due.text, due.overdue) for due in nothing_yet] == [
        ("First visit was due Mar 17", True),
        ("First goal due by Mar 24", False),
        ("3 more visits this month", False),
        ("120 more minutes this month", False),
    ]
    visits = VisitFigures(
        last_visit_on=today,
        visits_this_month=2,
        minutes_this_month=120,
        overdue_scheduled=1,
    )
    under_way = selectors.dosage_due(relationship, visits, GoalFigures(goal_count=1), today=today)
    assert [due.text for due in under_way] == [
        "1 more visit this month",
        "1 past scheduled visit to log or cancel",
    ]
