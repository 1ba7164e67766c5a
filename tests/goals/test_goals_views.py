"""Goals through their pages: propose and agree, assign prescribed, steps, progress, close."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from goals.models import ActionStep, Goal
from tests.factories import (
    ActionStepFactory,
    GoalFactory,
    GoalTemplateFactory,
    ProgramFactory,
    ProgressEntryFactory,
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

GOAL_DATA = {
    "title": "More child talk",
    "statement": "Children talk with a partner in every read-aloud.",
    "focus_area": "Oral language",
    "student_focused": "on",
    "measure_description": "Children who talk (tally)",
    "baseline": "30",
    "target": "80",
    "unit": "% of children",
    "target_date": "",
}


def _chart(page: str) -> dict:
    match = re.search(
        r'<script id="goal-progress-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert match, "no chart data on the page"
    return json.loads(match.group(1))


def test_collaborative_goal_is_agreed_once_both_agree(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    page = client.get(reverse("goals:create", args=[relationship.code])).content.decode()
    for word in ("Powerful", "Easy", "Emotionally compelling", "Reachable", "Student-focused"):
        assert word in page  # PEERS guidance while writing

    response = client.post(reverse("goals:create", args=[relationship.code]), GOAL_DATA)
    goal = relationship.goals.get()
    assert response.status_code == 302
    assert goal.status == Goal.Status.PROPOSED and goal.mentor_agreed_at

    client.force_login(relationship.protege)
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "I agree to this goal" in page
    client.post(reverse("goals:agree", args=[goal.code]))
    goal.refresh_from_db()
    assert goal.status == Goal.Status.AGREED


def test_protege_can_propose_and_the_mentor_agrees(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.protege)
    client.post(reverse("goals:create", args=[relationship.code]), GOAL_DATA)
    goal = relationship.goals.get()
    assert goal.protege_agreed_at and not goal.mentor_agreed_at

    client.force_login(relationship.mentor)
    client.post(reverse("goals:agree", args=[goal.code]))
    goal.refresh_from_db()
    assert goal.status == Goal.Status.AGREED


def test_bad_goal_input_stays_on_the_page_with_a_message(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    response = client.post(
        reverse("goals:create", args=[relationship.code]),
        {**GOAL_DATA, "statement": "", "target": "lots"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Enter a number." in page
    assert 'value="More child talk"' in page
    assert not relationship.goals.exists()


def test_prescribed_program_sends_the_mentor_to_its_templates(client):
    program = ProgramFactory(coaching=True)
    relationship = SupportRelationshipFactory(program=program)
    client.force_login(relationship.mentor)
    response = client.get(reverse("goals:create", args=[relationship.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("goals:assign", args=[relationship.code])

    client.force_login(relationship.protege)
    assert client.get(reverse("goals:create", args=[relationship.code])).status_code == 403


def test_coach_assigns_a_prescribed_goal_that_every_team_member_sees(client):
    relationship = TeamRelationshipFactory()
    template = GoalTemplateFactory(program=relationship.program, title="Interactive read-alouds")
    GoalTemplateFactory(program=relationship.program, title="Retired one", retired_at=clock.now())
    client.force_login(relationship.mentor)

    page = client.get(reverse("goals:assign", args=[relationship.code])).content.decode()
    assert "Interactive read-alouds" in page and "Retired one" not in page

    response = client.post(
        reverse("goals:assign", args=[relationship.code]),
        {"template": template.pk, "baseline": "2", "target": "8", "unit": "questions"},
    )
    goal = relationship.goals.get()
    assert response.status_code == 302
    assert goal.origin == Goal.Origin.PRESCRIBED and goal.status == Goal.Status.AGREED
    assert goal.measure_description == template.suggested_measure

    for member in relationship.team.members.all():
        client.force_login(member)
        page = client.get(goal.get_absolute_url()).content.decode()
        assert "Interactive read-alouds" in page


def test_progress_points_are_drawn_against_the_target(client):
    goal = GoalFactory(agreed=True, baseline=Decimal("2"), target=Decimal("8"))
    visit = VisitFactory(relationship=goal.relationship, logged=True)
    client.force_login(goal.relationship.mentor)

    form = client.get(
        reverse("goals:progress", args=[goal.code]) + f"?visit={visit.code}"
    ).content.decode()
    assert f'value="{visit.code}" selected' in form

    for day, value in ((-20, "3"), (-10, "5")):
        client.post(
            reverse("goals:progress", args=[goal.code]),
            {
                "progress-date": (clock.today() + datetime.timedelta(days=day)).isoformat(),
                "progress-value": value,
                "progress-note": "",
            },
        )
    client.post(
        reverse("goals:progress", args=[goal.code]),
        {
            "progress-date": visit.date.isoformat(),
            "progress-value": "6",
            "progress-visit": str(visit.code),
        },
    )

    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS
    assert goal.progress_entries.filter(visit=visit).count() == 1
    chart = _chart(client.get(goal.get_absolute_url()).content.decode())
    assert chart["values"] == [3.0, 5.0, 6.0]
    assert chart["target"] == 8.0 and chart["baseline"] == 2.0


def test_protege_records_progress_only_where_the_program_allows(client):
    goal = GoalFactory(agreed=True, relationship__program__proteges_record_progress=False)
    client.force_login(goal.relationship.protege)
    assert client.get(reverse("goals:progress", args=[goal.code])).status_code == 403
    assert "Record a data point" not in client.get(goal.get_absolute_url()).content.decode()


def test_action_steps_who_what_when_and_marking_done(client):
    goal = GoalFactory(agreed=True)
    relationship = goal.relationship
    client.force_login(relationship.mentor)
    client.post(
        reverse("goals:step_add", args=[goal.code]),
        {"step-who": "protege", "step-what": "Post the partner chart", "step-due_on": ""},
    )
    client.post(
        reverse("goals:step_add", args=[goal.code]),
        {"step-who": "mentor", "step-what": "Bring the video", "step-due_on": ""},
    )
    mine = goal.action_steps.get(who=ActionStep.Who.PROTEGE)
    mentors = goal.action_steps.get(who=ActionStep.Who.MENTOR)

    client.force_login(relationship.protege)
    client.post(reverse("goals:step_done", args=[goal.code]), {"step": mine.pk, "done": "on"})
    client.post(reverse("goals:step_done", args=[goal.code]), {"step": mentors.pk, "done": "on"})
    mine.refresh_from_db()
    mentors.refresh_from_db()
    assert mine.done_by == relationship.protege
    assert mentors.done_at is None  # the mentor's step is the mentor's to mark

    other_goal_step = ActionStepFactory()
    response = client.post(
        reverse("goals:step_done", args=[goal.code]),
        {"step": other_goal_step.pk, "done": "on"},
        follow=True,
    )
    assert "not part of this goal" in response.content.decode()


def test_close_with_a_reason_and_reopen(client):
    goal = GoalFactory(agreed=True)
    client.force_login(goal.relationship.mentor)
    url = reverse("goals:close", args=[goal.code])

    response = client.post(url, {"status": "closed", "reason": ""})
    assert "Give a reason for closing the goal." in response.content.decode()

    client.post(url, {"status": "closed", "reason": "The teacher moved rooms."})
    goal.refresh_from_db()
    assert goal.status == Goal.Status.CLOSED
    assert "The teacher moved rooms." in client.get(goal.get_absolute_url()).content.decode()

    client.post(reverse("goals:reopen", args=[goal.code]))
    goal.refresh_from_db()
    assert goal.is_open


def test_protege_cannot_close_and_outsiders_get_404(client):
    goal = GoalFactory(agreed=True)
    client.force_login(goal.relationship.protege)
    assert client.get(reverse("goals:close", args=[goal.code])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(goal.get_absolute_url()).status_code == 404


def test_goal_page_query_count_is_the_same_for_1_and_50_points_and_steps(client):
    small, large = GoalFactory(agreed=True), GoalFactory(agreed=True)
    for goal, count in ((small, 1), (large, 50)):
        for _ in range(count):
            ProgressEntryFactory(goal=goal)
            ActionStepFactory(goal=goal)

    def queries(goal) -> int:
        client.force_login(goal.relationship.mentor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(goal.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    assert queries(small) == queries(large)
