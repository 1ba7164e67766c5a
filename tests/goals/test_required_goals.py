"""Required goal templates take effect: assigned to each relationship matched in a program
that prescribes goals, flagged on the dashboard when a relationship lacks one, assigned from
there by a coordinator; and a template's focus area is one of the program's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import Goal, GoalTemplate
from goals.services import goal_close
from programs.models import Program, role_for_kind
from tests.factories import GoalTemplateFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in
from tests.relationships.test_coordinator_matching import (
    enroll_mentor,
    enroll_protege,
    match_url,
    post_data,
)

pytestmark = pytest.mark.django_db


def match(client, program, coordinator, kind="coaching"):
    protege = enroll_protege(program)
    coach = enroll_mentor(program, "Cora", role=role_for_kind(kind))
    client.force_login(coordinator)
    response = client.post(match_url(program), post_data(protege, coach, kind=kind))
    assert response.status_code == 302
    return program.relationships.get(protege=protege.person)


@pytest.mark.parametrize("policy", [Program.GoalPolicy.PRESCRIBED, Program.GoalPolicy.BOTH])
def test_matching_assigns_the_required_templates(client, policy):
    program, coordinator = coordinated_program(coaching=True, goal_policy=policy)
    required = GoalTemplateFactory(program=program, title="Read-alouds", required=True)
    GoalTemplateFactory(program=program, title="Optional one")
    GoalTemplateFactory(
        program=program, title="Retired", required=True, retired_at="2026-01-01T00:00Z"
    )
    relationship = match(client, program, coordinator)
    goals = list(relationship.goals.all())
    assert [(goal.template, goal.status, goal.origin) for goal in goals] == [
        (required, Goal.Status.AGREED, Goal.Origin.PRESCRIBED)
    ]
    page = client.get(relationship.get_absolute_url()).content.decode()
    assert "Read-alouds" in page and "Optional one" not in page


def test_a_program_with_collaborative_goals_assigns_nothing(client):
    program, coordinator = coordinated_program(coaching=True, goal_policy="collaborative")
    GoalTemplateFactory(program=program, required=True)
    relationship = match(client, program, coordinator)
    assert not relationship.goals.exists()


FLAG = '<span class="badge text-bg-warning me-1 mb-1">Required goal missing</span>'


def dashboard(client, program) -> str:
    return client.get(f"/programs/{program.code}/").content.decode()


def test_a_template_required_after_the_match_is_flagged_and_assigned_from_the_dashboard(client):
    program, coordinator = coordinated_program(coaching=True)
    relationship = relationship_in(program, kind="coaching")
    template = GoalTemplateFactory(program=program, title="Oral language", required=True)
    client.force_login(coordinator)
    page = dashboard(client, program)
    assign_url = f"/goals/for/{relationship.code}/required/"
    assert FLAG in page and assign_url in page
    # The dashboard's flag filter finds it.
    filtered = client.get(f"/programs/{program.code}/", {"flag": "required_goal"}).content.decode()
    assert relationship.get_absolute_url() in filtered

    confirm = client.get(assign_url).content.decode()
    assert "Oral language" in confirm and "Assign 1 required goal" in confirm
    response = client.post(assign_url)
    assert response.status_code == 302
    goal = relationship.goals.get()
    assert goal.template == template and goal.created_by == coordinator
    assert FLAG not in dashboard(client, program)
    assert "misses no required goal" in client.get(assign_url).content.decode()


def test_a_closed_required_goal_counts_as_missing_a_met_one_does_not(client):
    program, coordinator = coordinated_program(coaching=True)
    GoalTemplateFactory(program=program, title="Oral language", required=True)
    relationship = match(client, program, coordinator)
    goal = relationship.goals.get()
    assert FLAG not in dashboard(client, program)
    goal_close(goal=goal, by=relationship.mentor, status=Goal.Status.CLOSED, reason="Withdrawn")
    assert FLAG in dashboard(client, program)
    client.post(f"/goals/for/{relationship.code}/required/")
    assert relationship.goals.open().count() == 1


def test_only_the_programs_coordinators_assign_required_goals(client):
    program, _ = coordinated_program(coaching=True)
    relationship = relationship_in(program, kind="coaching")
    GoalTemplateFactory(program=program, required=True)
    url = f"/goals/for/{relationship.code}/required/"
    client.force_login(relationship.mentor)  # sees the relationship, may not manage it
    assert client.post(url).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    _, other_coordinator = coordinated_program(coordinator=UserFactory(), coaching=True)
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    assert not relationship.goals.exists()


def test_assign_required_query_count_is_the_same_for_1_and_50_templates(client):
    def count(n: int) -> int:
        program, coordinator = coordinated_program(coordinator=UserFactory(), coaching=True)
        relationship = relationship_in(program, kind="coaching")
        for _ in range(n):
            GoalTemplateFactory(program=program, required=True)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/goals/for/{relationship.code}/required/")
        assert response.status_code == 200
        assert response.content.decode().count("<li><strong>") == n
        return len(queries)

    assert count(1) == count(50)


def test_the_dashboard_query_count_stays_the_same_with_required_goals_missing(client):
    def count(n: int) -> int:
        program, coordinator = coordinated_program(coordinator=UserFactory(), coaching=True)
        GoalTemplateFactory(program=program, required=True)
        for _ in range(n):
            relationship_in(program, kind="coaching")
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/programs/{program.code}/").content.decode()
        assert page.count('/required/"') == min(n, 25)
        return len(queries)

    assert count(1) == count(50)


def test_a_templates_focus_area_is_one_of_the_programs(client):
    program, coordinator = coordinated_program(coaching=True)
    client.force_login(coordinator)
    url = f"/goals/programs/{program.code}/templates/new/"
    response = client.post(
        url, {"title": "Behaviour", "description": "Kept words", "focus_area": "Behaviour"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and not GoalTemplate.objects.exists()
    assert "Select a valid choice" in page and "Kept words" in page
    client.post(url, {"title": "Vocabulary", "focus_area": "Oral language and vocabulary"})
    assert GoalTemplate.objects.get().focus_area == "Oral language and vocabulary"


def test_an_old_focus_area_no_longer_the_programs_is_refused_on_editing(client):
    program, coordinator = coordinated_program(coaching=True)
    template = GoalTemplateFactory(program=program, focus_area="Phonics")
    client.force_login(coordinator)
    url = f"/goals/templates/{template.code}/edit/"
    assert '<option value="Phonics" selected>' in client.get(url).content.decode()
    page = client.post(url, {"title": "Renamed", "focus_area": "Phonics"}).content.decode()
    assert "“Phonics” is not one of" in page
    template.refresh_from_db()
    assert template.title != "Renamed"
