"""The jobs read everyone at once: their queries do not grow with the number of relationships,
visits, goals or steps, only with the number of emails they send (one queue each)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import ActionStep
from nudges import selectors
from outbox.models import Delivery
from programs.invitations import INVITATION
from tests import factories
from tests.factories import in_days
from tests.nudges.helpers import at, busy_relationship, to

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, 07:00: every job runs.
MONDAY = (2026, 11, 23, 7, 0)


def queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def counted_run(run, job: str) -> int:
    return queries(lambda: run(job))


@pytest.mark.parametrize("relationships", [1, 20])
def test_a_mentors_digest_costs_the_same_with_1_or_20_relationships(mailoutbox, run, relationships):
    with at(*MONDAY):
        mentor = factories.UserFactory()
        for _ in range(relationships):
            busy_relationship(mentor=mentor)
        # The job's reads (8), then one email: queued (6) and sent (14: claimed, the
        # recipient's language read, written from the same reads, recorded).
        assert counted_run(run, "mentor-digests") == 8 + 6 + 14

    [email] = to(mailoutbox, mentor)
    assert f"in {relationships} relationship" in email.subject


@pytest.mark.parametrize("mentors", [1, 20])
def test_what_waits_for_1_or_20_mentors_is_read_in_seven_queries(mentors):
    with at(*MONDAY):
        for _ in range(mentors):
            busy_relationship()
        everyone = User.objects.all()
        found: dict = {}
        count = queries(lambda: found.update(selectors.mentor_waiting(everyone, today=in_days(0))))

    assert count == 7
    assert len(found) == mentors


@pytest.mark.parametrize("relationships", [1, 20])
def test_a_coordinators_digest_costs_the_same_with_1_or_20_relationships(
    mailoutbox, run, coordinator, relationships
):
    with at(*MONDAY):
        program = factories.ProgramFactory(coordinators=[coordinator], days_to_first_visit=10)
        for _ in range(relationships):
            # Each newly overdue, with a protégé waiting and an invitation that failed.
            factories.SupportRelationshipFactory(program=program, starts_on=in_days(-12))
            waiting = factories.EnrollmentFactory(program=program)
            Delivery.objects.create(
                kind=INVITATION, recipient=waiting.person, status=Delivery.Status.FAILED
            )
        # The job's reads (11), then one email: queued (6) and sent (17: claimed, the
        # recipient's language read, written from the same reads, recorded).
        assert counted_run(run, "coordinator-digests") == 11 + 6 + 17

    [email] = to(mailoutbox, coordinator)
    assert f"First visit overdue: {relationships}" in email.body


@pytest.mark.parametrize("steps", [1, 20])
def test_reminding_a_protege_of_1_or_20_steps_costs_the_same(mailoutbox, run, steps):
    with at(*MONDAY):
        relationship = factories.TeamRelationshipFactory()
        goal = factories.GoalFactory(relationship=relationship, agreed=True)
        for _ in range(steps):
            factories.ActionStepFactory(goal=goal, who=ActionStep.Who.BOTH, due_on=in_days(0))
        # The job's reads (4), then an email to each member and to the coach, each queued
        # (5) and sent (9, the recipient's language read among them).
        assert counted_run(run, "steps-due") == 4 + 3 * (5 + 9)

    assert len(mailoutbox) == 3
    assert mailoutbox[0].subject == f"{steps} action step{'s' if steps > 1 else ''} due today"


@pytest.mark.parametrize("relationships", [1, 20])
def test_finding_first_deadlines_in_1_or_20_relationships_costs_the_same(relationships):
    with at(*MONDAY):
        program = factories.ProgramFactory(days_to_first_visit=14)
        for _ in range(relationships):
            factories.SupportRelationshipFactory(program=program, starts_on=in_days(-12))
        found: list = []
        count = queries(lambda: found.extend(selectors.first_deadlines(today=in_days(0), ahead=3)))

    assert count == 6
    assert len(found) == relationships
