"""A few days before a relationship's first visit or first goal falls due, its mentor or coach
is told, by the rule the dashboard flags it with once the day has passed; on the day an action
step is due, its owners are reminded of it. Each once."""

import datetime

import pytest
from django.conf import settings

from core import clock
from goals.models import ActionStep
from nudges import notifications
from outbox import services as outbox
from reports import dashboard
from tests import factories
from tests.factories import in_days
from tests.nudges.helpers import at, keys, to

pytestmark = pytest.mark.django_db

DEADLINE = notifications.FIRST_DEADLINE
STEP = notifications.STEP_DUE


def new_relationship(*, days_to_first_visit=14, days_to_first_goal=None, started=-11, **fields):
    program = factories.ProgramFactory(
        days_to_first_visit=days_to_first_visit, days_to_first_goal=days_to_first_goal
    )
    return factories.SupportRelationshipFactory(
        program=program, starts_on=in_days(started), **fields
    )


# First visit and first goal ------------------------------------------------------------------


def test_the_mentor_hears_three_days_before_the_first_visit_is_due_once(mailoutbox, run):
    with at(2026, 11, 17, 8, 0):
        relationship = new_relationship(started=-10)  # due in four days
        run("first-deadlines")
        assert mailoutbox == []

    with at(2026, 11, 18, 7, 0):
        run("first-deadlines")
        run("first-deadlines")
    with at(2026, 11, 19, 7, 0):
        run("first-deadlines")

    [email] = mailoutbox
    assert email.to == [relationship.mentor.email]
    assert email.subject == (
        f"A first visit with {relationship.supported_name} is due by November 21"
    )
    assert "within 14 days of the start" in email.body
    assert "due by Saturday, November 21, 2026, in 3 days" in email.body
    assert settings.SITE_URL + relationship.get_absolute_url() in email.body
    assert keys(DEADLINE) == [f"{DEADLINE}:visit:{relationship.pk}:2026-11-21"]

    # The day after it falls due, the dashboard flags the same relationship.
    with at(2026, 11, 22, 9, 0):
        [row] = dashboard.relationship_rows(relationship.program)
        assert row.first_visit_due == datetime.date(2026, 11, 21)
        assert row.flags == ["First visit overdue", "No goal yet"]


def test_a_first_goal_due_across_the_year_end_is_told_in_december(mailoutbox, run):
    with at(2026, 12, 30, 7, 0):
        # Started on 3 December, with 30 days for a first goal: due on 2 January.
        relationship = new_relationship(
            days_to_first_visit=None, days_to_first_goal=30, started=-27
        )
        factories.VisitFactory(relationship=relationship, logged=True)
        run("first-deadlines")

    [email] = mailoutbox
    assert email.subject == (f"A first goal with {relationship.supported_name} is due by January 2")
    assert "No goal is set yet." in email.body
    assert keys(DEADLINE) == [f"{DEADLINE}:goal:{relationship.pk}:2027-01-02"]


def test_nothing_when_the_first_visit_and_goal_have_happened_or_nothing_is_expected(
    mailoutbox, run
):
    visited = new_relationship(days_to_first_goal=14)
    factories.VisitFactory(relationship=visited, logged=True)
    factories.GoalFactory(relationship=visited)
    new_relationship(days_to_first_visit=None)  # the program sets no deadline
    new_relationship(started=-20)  # already overdue: the dashboard's and the digest's
    paused = new_relationship(status="paused")

    run("first-deadlines")

    assert mailoutbox == []
    assert not to(mailoutbox, paused.mentor)


def test_a_deadline_met_before_the_worker_sends_the_email_is_not_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    from nudges import services

    relationship = new_relationship()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.first_deadlines_queue(today=clock.today()) == 1
        factories.VisitFactory(relationship=relationship, logged=True)

    assert mailoutbox == []


def test_no_deadline_email_for_someone_who_turned_it_off(mailoutbox, run):
    relationship = new_relationship()
    outbox.set_switches(relationship.mentor, {DEADLINE: False})

    run("first-deadlines")

    assert mailoutbox == []


# Action steps due today ----------------------------------------------------------------------


def step(relationship=None, *, who=ActionStep.Who.PROTEGE, due=0, **fields):
    relationship = relationship or factories.SupportRelationshipFactory()
    goal = factories.GoalFactory(relationship=relationship, agreed=True, title="Richer talk")
    return factories.ActionStepFactory(
        goal=goal, who=who, due_on=in_days(due), what="Ask the quiet children first", **fields
    )


def test_each_owner_is_reminded_of_their_steps_due_today_once(mailoutbox, run):
    with at(2026, 11, 30, 7, 0):
        relationship = factories.SupportRelationshipFactory()
        mine = step(relationship, who=ActionStep.Who.PROTEGE)
        both = step(relationship, who=ActionStep.Who.BOTH)
        step(relationship, who=ActionStep.Who.MENTOR, due=1)  # tomorrow
        step(relationship, who=ActionStep.Who.PROTEGE, done=True)
        run("steps-due")
        run("steps-due")

    protege, mentor = relationship.protege, relationship.mentor
    [to_protege] = to(mailoutbox, protege)
    [to_mentor] = to(mailoutbox, mentor)
    assert len(mailoutbox) == 2
    assert to_protege.subject == "2 action steps due today"
    assert "due today, Monday, November 30" in to_protege.body
    assert f"for the goal “Richer talk”, with {relationship.mentor_name}" in to_protege.body
    assert settings.SITE_URL + mine.goal.get_absolute_url() in to_protege.body
    assert to_mentor.subject == "1 action step due today"
    assert settings.SITE_URL + both.goal.get_absolute_url() in to_mentor.body
    # The words of the steps stay in the app.
    assert "Ask the quiet children first" not in to_protege.body + to_mentor.body
    assert keys(STEP) == sorted(
        [f"{STEP}:{protege.pk}:2026-11-30", f"{STEP}:{mentor.pk}:2026-11-30"]
    )


def test_each_member_of_a_team_is_reminded_of_the_teams_step(mailoutbox, run):
    relationship = factories.TeamRelationshipFactory()
    step(relationship)

    run("steps-due")

    members = list(relationship.team.members.all())
    assert len(members) == 2
    assert sorted(email.to[0] for email in mailoutbox) == sorted(m.email for m in members)
    assert not to(mailoutbox, relationship.mentor)


def test_a_step_done_before_the_worker_sends_it_is_not_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    from nudges import services

    due = step()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.due_steps_queue(today=clock.today()) == 1
        ActionStep.objects.filter(pk=due.pk).update(
            done_at=clock.now(), done_by=due.goal.relationship.protege
        )

    assert mailoutbox == []


def test_no_step_email_for_someone_who_turned_it_off_or_for_a_closed_goal(mailoutbox, run):
    turned_off = step()
    outbox.set_switches(turned_off.goal.relationship.protege, {STEP: False})
    closed = step()
    closed.goal.status = "met"
    closed.goal.closed_at = clock.now()
    closed.goal.save()

    run("steps-due")

    assert mailoutbox == []
