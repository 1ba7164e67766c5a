"""The protégé's "My support" page: each relationship side by side, its role explained, who sees
what, and their goals."""

import datetime
import html
import json
import re

import pytest
from django.urls import reverse

from goals.models import ActionStep
from programs.models import Program
from programs.role_descriptions import describe
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("relationships:my_support")


@pytest.fixture
def resident():
    """A resident teacher with a program mentor and an instructional coach."""
    supervisor = factories.UserFactory(first_name="Dana", last_name="Director")
    protege = factories.ProtegeProfileFactory(
        supervisor=supervisor, user__first_name="Rosa", user__last_name="Resident"
    ).user
    induction = factories.ProgramFactory(name="Resident Educator Induction")
    coaching = factories.ProgramFactory(
        name="Early Literacy Coaching",
        coaching=True,
        coordinators_read_shared_logs=True,
        coordinators=[factories.UserFactory(first_name="Cora", last_name="Coordinator")],
    )
    mentoring = factories.SupportRelationshipFactory(
        program=induction,
        protege=protege,
        mentor=factories.MentorProfileFactory(
            user__first_name="Maria", user__last_name="Mentor"
        ).user,
    )
    coach = factories.SupportRelationshipFactory(
        program=coaching,
        kind="coaching",
        protege=protege,
        mentor=factories.MentorProfileFactory(user__first_name="Cam", user__last_name="Coach").user,
    )
    protege.test_relationships = (mentoring, coach)
    return protege


def test_both_supports_show_side_by_side_each_with_its_role_explained(client, resident):
    mentoring, coaching = resident.test_relationships
    client.force_login(resident)

    page = html.unescape(client.get(URL).content.decode())

    assert "Your mentor: Maria Mentor" in page
    assert "Your coach: Cam Coach" in page
    assert "row-cols-lg-2" in page  # side by side on a wide screen
    for relationship in (mentoring, coaching):
        first_sentence = describe(relationship.program, relationship.kind).split(".")[0]
        assert first_sentence in page
    assert "Neither Cam Coach nor Maria Mentor is your supervisor." in page or (
        "Neither Maria Mentor nor Cam Coach is your supervisor." in page
    )
    assert "Your supervisor, Dana Director, cannot read" in page


def test_the_page_says_when_the_program_lets_coordinators_read_shared_logs(client, resident):
    client.force_login(resident)

    program = Program.objects.get(name="Early Literacy Coaching")
    since = datetime.datetime(2025, 11, 3, 14, 0, tzinfo=datetime.UTC)
    Program.objects.filter(pk=program.pk).update(shared_logs_since=since)

    page = " ".join(html.unescape(client.get(URL).content.decode()).split())

    assert (
        "Early Literacy Coaching lets its coordinators read the shared logs written since "
        "November 3, 2025." in page
    )
    assert "what was written before stays between you and" in page
    assert "Cora Coordinator" in page
    # The induction program keeps its coordinators to the logistics.
    assert "see only that you meet" in page


def test_a_goal_waiting_for_agreement_is_shown_first_with_its_steps_and_progress(client, resident):
    mentoring, _ = resident.test_relationships
    waiting = factories.GoalFactory(relationship=mentoring, title="Open-ended questions")
    agreed = factories.GoalFactory(relationship=mentoring, agreed=True, title="Calm transitions")
    factories.ActionStepFactory(goal=agreed, what="Try the clean-up song", who="protege")
    factories.ActionStepFactory(goal=agreed, what="Film a transition", who=ActionStep.Who.MENTOR)
    entry = factories.ProgressEntryFactory(goal=agreed, value=3)
    client.force_login(resident)

    page = html.unescape(client.get(URL).content.decode())

    assert "Goals waiting for your agreement" in page
    assert page.index("Open-ended questions") < page.index("Calm transitions")
    assert "Waiting for your agreement" in page
    assert "Try the clean-up song" in page
    assert "0 of 2 done" in page
    assert f'data-chart-source="goal-chart-{agreed.code}"' in page
    chart = re.search(
        rf'id="goal-chart-{agreed.code}" type="application/json">(.*?)</script>', page
    )
    assert json.loads(chart.group(1))["dates"] == [entry.date.isoformat()]  # placed by date
    assert waiting.get_absolute_url() in page


def test_nobody_supporting_you_is_said_plainly(client):
    client.force_login(factories.UserFactory())

    page = html.unescape(client.get(URL).content.decode())

    assert "Nobody is mentoring or coaching you at the moment." in page


def test_a_team_member_sees_the_team_relationship_and_their_teammates(client):
    relationship = factories.TeamRelationshipFactory()
    first, second = relationship.team.members.order_by("pk")
    client.force_login(first)

    page = html.unescape(client.get(URL).content.decode())

    assert f"Your coach: {relationship.mentor_name}" in page
    assert relationship.team.name in page
    assert second.get_full_name() in page  # "You and X, and your team (Y), read..."


def test_a_mentor_does_not_see_their_own_caseload_here(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    page = html.unescape(client.get(URL).content.decode())

    assert relationship.protege.get_full_name() not in page
    assert "Nobody is mentoring or coaching you" in page


def test_the_supervisor_sees_none_of_the_supervised_protege_s_support(client, resident):
    supervisor = resident.protege_profile.supervisor
    client.force_login(supervisor)

    page = html.unescape(client.get(URL).content.decode())

    assert "Maria Mentor" not in page
    assert "Cam Coach" not in page


def test_ended_relationships_are_listed_below_as_past_support(client, resident):
    factories.SupportRelationshipFactory(
        protege=resident,
        ended=True,
        mentor=factories.MentorProfileFactory(
            user__first_name="Olga", user__last_name="Oldmentor"
        ).user,
    )
    client.force_login(resident)

    page = html.unescape(client.get(URL).content.decode())

    assert "Support you had before" in page
    assert "Olga Oldmentor" in page
    assert "Your mentor: Olga Oldmentor" not in page


def test_the_query_count_does_not_grow_with_goals(client, resident, django_assert_num_queries):
    mentoring, coaching = resident.test_relationships
    client.force_login(resident)
    factories.GoalFactory(relationship=mentoring)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(10):
        goal = factories.GoalFactory(relationship=coaching, agreed=True)
        factories.ActionStepFactory(goal=goal)
        factories.ProgressEntryFactory(goal=goal)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(one)
