"""Who owns each action step, in names on the goal page: the mentor's or coach's, the
protégé's or the team, with "(you)" for the person reading."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import ActionStep
from tests.factories import (
    ActionStepFactory,
    GoalFactory,
    ProgramFactory,
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WHO = ActionStep.Who


def _owners(client, goal) -> dict[str, str]:
    """Each step's text and the line under it, up to its due date, as the page shows them."""
    response = client.get(goal.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    steps = html[html.index('id="steps-heading"') :]
    found = re.findall(r"<span[^>]*>([^<]+)</span>\s*<div[^>]*>([^<·]+?)\s*(?:·|</div>)", steps)
    return {what: owner for what, owner in found}


def _david_and_maya():
    return SupportRelationshipFactory(
        mentor__first_name="David",
        mentor__last_name="Kim",
        protege__first_name="Maya",
        protege__last_name="Thompson",
    )


def _goal_with_steps(relationship):
    goal = GoalFactory(relationship=relationship, agreed=True)
    ActionStepFactory(goal=goal, who=WHO.PROTEGE, what="Post the partner chart")
    ActionStepFactory(goal=goal, who=WHO.MENTOR, what="Bring the video")
    ActionStepFactory(goal=goal, who=WHO.BOTH, what="Tally who talks")
    return goal


def test_each_step_names_its_owner_and_the_reader_is_you(client):
    relationship = _david_and_maya()
    goal = _goal_with_steps(relationship)

    client.force_login(relationship.mentor)
    assert _owners(client, goal) == {
        "Post the partner chart": "Maya Thompson",
        "Bring the video": "David Kim (you)",
        "Tally who talks": "David Kim (you) and Maya Thompson",
    }

    client.force_login(relationship.protege)
    assert _owners(client, goal) == {
        "Post the partner chart": "Maya Thompson (you)",
        "Bring the video": "David Kim",
        "Tally who talks": "David Kim and Maya Thompson (you)",
    }


def test_a_coordinator_who_reads_shared_logs_sees_the_names_without_you(client):
    coordinator = UserFactory()
    relationship = SupportRelationshipFactory(
        program=ProgramFactory(coordinators=[coordinator], coordinators_read_shared_logs=True),
        mentor__first_name="David",
        mentor__last_name="Kim",
        protege__first_name="Maya",
        protege__last_name="Thompson",
    )
    goal = _goal_with_steps(relationship)
    client.force_login(coordinator)

    assert _owners(client, goal) == {
        "Post the partner chart": "Maya Thompson",
        "Bring the video": "David Kim",
        "Tally who talks": "David Kim and Maya Thompson",
    }


def test_a_team_goal_gives_the_protege_steps_to_the_team(client):
    relationship = TeamRelationshipFactory(mentor__first_name="Ana", mentor__last_name="Cruz")
    goal = _goal_with_steps(relationship)

    client.force_login(relationship.mentor)
    assert _owners(client, goal) == {
        "Post the partner chart": "The team",
        "Bring the video": "Ana Cruz (you)",
        "Tally who talks": "Ana Cruz (you) and the team",
    }

    client.force_login(relationship.team.members.order_by("pk").first())
    assert _owners(client, goal) == {
        "Post the partner chart": "Your team",
        "Bring the video": "Ana Cruz",
        "Tally who talks": "Ana Cruz and your team",
    }


@pytest.mark.parametrize("team", [False, True])
def test_the_names_cost_no_query_per_step(client, team):
    factory = TeamRelationshipFactory if team else SupportRelationshipFactory
    counts = []
    for steps in (1, 50):
        relationship = factory()
        goal = GoalFactory(relationship=relationship, agreed=True)
        for n in range(steps):
            ActionStepFactory(goal=goal, who=list(WHO)[n % 3])
        reader = relationship.team.members.first() if team else relationship.protege
        client.force_login(reader)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(goal.get_absolute_url()).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_new_step_form_and_my_support_use_the_same_names(client):
    relationship = _david_and_maya()
    goal = _goal_with_steps(relationship)
    client.force_login(relationship.mentor)
    page = client.get(goal.get_absolute_url()).content.decode()
    choices = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', page)
    assert dict(choices) == {
        "protege": "Maya Thompson",
        "mentor": "David Kim (you)",
        "both": "David Kim (you) and Maya Thompson",
    }

    client.force_login(relationship.protege)
    support = client.get("/relationships/my-support/").content.decode()
    owners = re.findall(r'text-body-secondary">\((.+?)(?:, by [^)]*)?\)</span>', support)
    assert sorted(owners) == [
        "David Kim",
        "David Kim and Maya Thompson (you)",
        "Maya Thompson (you)",
    ]
