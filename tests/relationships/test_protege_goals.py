"""Goals from the protégé's side, through the shared goal pages: propose one (in collaborative
programs), agree to one the mentor proposed, mark their own action steps done, record their
own progress where the program allows it. Entry points are on "My support"."""

import html

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from core import clock
from goals.models import ActionStep, Goal
from tests import factories

pytestmark = pytest.mark.django_db

MY_SUPPORT = reverse("relationships:my_support")


def text(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_a_protege_proposes_a_goal_and_it_waits_for_the_mentor(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.protege)
    propose = reverse("goals:create", args=[relationship.code])
    assert propose in client.get(MY_SUPPORT).content.decode()

    response = client.post(
        propose,
        {"title": "Calmer transitions", "statement": "Children tidy up in five minutes."},
    )

    goal = Goal.objects.get(title="Calmer transitions")
    assert response.status_code == 302
    assert goal.status == Goal.Status.PROPOSED
    assert goal.protege_agreed_at and not goal.mentor_agreed_at
    page = text(client.get(MY_SUPPORT))
    assert f"Waiting for {relationship.mentor_name}'s agreement" in page
    assert "Goals waiting for your agreement" not in page


def test_no_propose_link_where_the_program_prescribes_goals(client):
    program = factories.ProgramFactory(coaching=True)  # prescribed goals
    relationship = factories.SupportRelationshipFactory(program=program, kind="coaching")
    client.force_login(relationship.protege)

    page = client.get(MY_SUPPORT).content.decode()

    assert reverse("goals:create", args=[relationship.code]) not in page
    assert "goals come from the program's goal templates" in html.unescape(page)


def test_agreeing_to_the_mentor_s_goal_from_my_support(client):
    goal = factories.GoalFactory()  # proposed by the mentor
    client.force_login(goal.relationship.protege)
    page = client.get(MY_SUPPORT).content.decode()
    agree = reverse("goals:agree", args=[goal.code])
    assert f'action="{agree}"' in page

    client.post(agree)

    goal.refresh_from_db()
    assert goal.status == Goal.Status.AGREED
    assert "Goals waiting for your agreement" not in text(client.get(MY_SUPPORT))


def test_marking_my_own_action_step_done_but_not_the_mentor_s(client):
    goal = factories.GoalFactory(agreed=True)
    mine = factories.ActionStepFactory(goal=goal, who=ActionStep.Who.PROTEGE, what="Mine")
    theirs = factories.ActionStepFactory(goal=goal, who=ActionStep.Who.MENTOR, what="Theirs")
    client.force_login(goal.relationship.protege)
    page = text(client.get(MY_SUPPORT))
    assert "Mark done: Mine" in page
    assert "Mark done: Theirs" not in page

    done = reverse("goals:step_done", args=[goal.code])
    client.post(done, {"step": mine.pk, "done": "1"})
    client.post(done, {"step": theirs.pk, "done": "1"})

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.done_at and mine.done_by == goal.relationship.protege
    assert theirs.done_at is None
    assert "1 of 2 done" in text(client.get(MY_SUPPORT))


@pytest.mark.parametrize("allowed", [True, False])
def test_recording_my_own_progress_only_where_the_program_allows_it(client, allowed):
    program = factories.ProgramFactory(proteges_record_progress=allowed)
    goal = factories.GoalFactory(
        agreed=True, relationship=factories.SupportRelationshipFactory(program=program)
    )
    client.force_login(goal.relationship.protege)
    record = reverse("goals:progress", args=[goal.code])

    assert (record in client.get(MY_SUPPORT).content.decode()) is allowed
    response = client.post(
        record,
        {"progress-date": clock.today().isoformat(), "progress-value": "4"},
    )

    assert goal.progress_entries.exists() is allowed
    assert response.status_code == (302 if allowed else 403)
    if allowed:
        assert 'data-chart="line"' in client.get(MY_SUPPORT).content.decode()


def test_a_team_member_agrees_for_the_team_and_sees_the_team_goals(client):
    relationship = factories.TeamRelationshipFactory()
    second = relationship.team.members.order_by("pk").last()
    goal = factories.GoalFactory(
        relationship=relationship,
        origin=Goal.Origin.COLLABORATIVE,
        title="Team read-alouds",
    )
    client.force_login(second)
    assert "Team read-alouds" in text(client.get(MY_SUPPORT))

    client.post(reverse("goals:agree", args=[goal.code]))

    goal.refresh_from_db()
    assert goal.status == Goal.Status.AGREED
