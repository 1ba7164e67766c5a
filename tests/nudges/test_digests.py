"""Once a week, on Monday morning, a mentor or coach hears what waits for them and a
coordinator what needs attention in their programs; nobody with nothing to hear gets one, and
nobody gets two in one ISO week."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from core import clock
from cycles.services import coaching_cycle_start
from nudges import notifications
from nudges.services import iso_week
from outbox import services as outbox
from outbox.models import Delivery
from programs.invitations import INVITATION
from programs.models import Enrollment, Program
from tests import factories
from tests.cycles.world import cycle_world
from tests.factories import in_days
from tests.nudges.helpers import PRIVATE, at, busy_relationship, keys, quiet_relationship, to

pytestmark = pytest.mark.django_db

MENTOR_DIGEST = notifications.MENTOR_DIGEST
COORDINATOR_DIGEST = notifications.COORDINATOR_DIGEST

# Mentors and coaches -------------------------------------------------------------------------


def test_a_mentor_hears_on_monday_morning_what_waits_in_each_relationship(mailoutbox, run):
    with at(2026, 11, 23, 7, 0):  # a Monday
        busy = busy_relationship()
        mentor = busy.mentor
        quiet_relationship(mentor=mentor)
        assert run("mentor-digests") == {"mentor-digests": "1 queued"}

    [email] = to(mailoutbox, mentor)
    assert email.subject == "This week: what waits for you in 1 relationship"
    body = email.body
    assert f"{busy.supported_name}, mentoring in {busy.program.name}:" in body
    assert "1 scheduled visit gone by, to log" in body
    assert "1 goal waits for your agreement" in body
    assert "2 action steps of yours due this week, 1 of them overdue" in body
    assert "behind the visits or minutes the program expects" in body
    assert settings.SITE_URL + busy.get_absolute_url() in body
    assert settings.SITE_URL + reverse("relationships:caseload") in body
    # Counts and names only: no goal's, step's or log's words.
    for words in ("Calmer transitions", "Film a transition", PRIVATE):
        assert words not in body
    assert keys(MENTOR_DIGEST) == [f"{MENTOR_DIGEST}:2026-W48:{mentor.pk}"]


def test_the_digest_goes_once_a_week_on_mondays_only(mailoutbox, run):
    with at(2026, 11, 23, 6, 30):
        relationship = busy_relationship()
        assert run("mentor-digests") == {"mentor-digests": "nothing before 07:00"}
    with at(2026, 11, 23, 7, 0):
        run("mentor-digests")
    with at(2026, 11, 23, 18, 0):
        assert run("mentor-digests") == {"mentor-digests": "0 queued"}
    with at(2026, 11, 24, 7, 0):
        assert run("mentor-digests") == {"mentor-digests": "not the day for it"}
    with at(2026, 11, 30, 7, 0):
        run("mentor-digests")

    assert len(to(mailoutbox, relationship.mentor)) == 2
    assert keys(MENTOR_DIGEST) == [
        f"{MENTOR_DIGEST}:2026-W48:{relationship.mentor.pk}",
        f"{MENTOR_DIGEST}:2026-W49:{relationship.mentor.pk}",
    ]


def test_the_weeks_are_iso_weeks_across_the_year_end(mailoutbox, run):
    assert iso_week(datetime.date(2026, 12, 28)) == "2026-W53"
    assert iso_week(datetime.date(2027, 1, 4)) == "2027-W01"
    assert iso_week(datetime.date(2029, 12, 31)) == "2030-W01"
    with at(2026, 12, 28, 7, 0):
        mentor = busy_relationship().mentor
        run("mentor-digests")
    with at(2027, 1, 4, 7, 0):
        run("mentor-digests")
    with at(2029, 12, 31, 9, 0):
        run("mentor-digests")
        run("mentor-digests")

    assert len(to(mailoutbox, mentor)) == 3
    assert keys(MENTOR_DIGEST) == [
        f"{MENTOR_DIGEST}:2026-W53:{mentor.pk}",
        f"{MENTOR_DIGEST}:2027-W01:{mentor.pk}",
        f"{MENTOR_DIGEST}:2030-W01:{mentor.pk}",
    ]


def test_no_digest_for_a_mentor_with_nothing_waiting_or_who_turned_it_off(mailoutbox, run):
    with at(2026, 11, 23, 7, 0):
        quiet = quiet_relationship()
        turned_off = busy_relationship()
        outbox.set_switches(turned_off.mentor, {MENTOR_DIGEST: False})
        ended = busy_relationship()
        ended.status, ended.ended_on, ended.end_reason = "completed", clock.today(), "Done."
        ended.save()
        run("mentor-digests")

    assert mailoutbox == []
    assert not to(mailoutbox, quiet.mentor)
    assert not Delivery.objects.filter(kind=MENTOR_DIGEST).exists()


# Coordinators --------------------------------------------------------------------------------


def test_a_coordinator_hears_each_programs_flags_waiting_proteges_and_failed_invitations(
    mailoutbox, run, coordinator
):
    with at(2026, 11, 16, 9, 0):
        program = factories.ProgramFactory(
            name="Induction", coordinators=[coordinator], days_to_first_visit=10
        )
        waiting = factories.EnrollmentFactory(
            program=program, person__first_name="Wanda", person__last_name="Wait"
        )
        invited = factories.EnrollmentFactory(
            program=program,
            role=Enrollment.Role.MENTOR,
            person__first_name="Ivan",
            person__last_name="Invited",
        )
        Delivery.objects.create(
            kind=INVITATION, recipient=invited.person, status=Delivery.Status.FAILED
        )
    with at(2026, 11, 23, 7, 0):
        # Its first visit fell due on Friday: newly overdue.
        overdue = factories.SupportRelationshipFactory(
            program=program, starts_on=in_days(-13), mentor__first_name="Olga"
        )
        # Long overdue, flagged, but not new this week.
        factories.SupportRelationshipFactory(program=program, starts_on=in_days(-40))
        matched = factories.SupportRelationshipFactory(program=program)
        factories.VisitFactory(relationship=matched, logged=True)
        factories.EnrollmentFactory(program=program, person=matched.protege)
        quiet_relationship(program=factories.ProgramFactory(coordinators=[coordinator]))
        assert run("coordinator-digests") == {"coordinator-digests": "1 queued"}
        run("coordinator-digests")

    [email] = to(mailoutbox, coordinator)
    assert email.subject == "This week in Induction: what needs attention"
    body = email.body
    dashboard = settings.SITE_URL + reverse("programs:detail", args=[program.code])
    assert "First visit overdue: 2" in body
    assert "No goal yet: 3" in body
    assert f"{dashboard}?flag=first_visit" in body
    assert (
        f"Olga {overdue.mentor.last_name} with {overdue.supported_name}: first visit was due "
        "November 20" in body
    )
    assert "Wanda Wait, waiting 7 days (since November 16)" in body
    assert matched.supported_name not in body.split("Protégés waiting for a match")[1]
    assert settings.SITE_URL + reverse("relationships:match", args=[program.code]) in body
    assert "Ivan Invited (last tried November 16)" in body
    assert settings.SITE_URL + reverse("programs:participants", args=[program.code]) in body
    assert waiting.person.email not in body
    assert keys(COORDINATOR_DIGEST) == [f"{COORDINATOR_DIGEST}:2026-W48:{coordinator.pk}"]


def test_a_coordinator_hears_of_required_goals_missing_and_cycle_stages_overdue(
    mailoutbox, run, coordinator
):
    """The digest counts every flag the dashboard shows, the two that goals and cycles add
    included (goals/required.py, cycles/selectors.py)."""
    with at(2026, 11, 2, 9, 0):
        world = cycle_world()
        world.program.coordinators.set([coordinator])
        world.program.goal_policy = Program.GoalPolicy.BOTH
        world.program.save()
        factories.GoalTemplateFactory(program=world.program, required=True)  # added later
        coaching_cycle_start(relationship=world.relationship, by=world.coach)  # Focus: 7 days
    with at(2026, 11, 23, 7, 0):
        run("coordinator-digests")
    [email] = to(mailoutbox, coordinator)
    assert "Required goal missing: 1" in email.body
    assert "Cycle stage overdue: 1" in email.body
    dashboard = settings.SITE_URL + reverse("programs:detail", args=[world.program.code])
    assert f"{dashboard}?flag=required_goal" in email.body
    assert f"{dashboard}?flag=cycle_stage" in email.body


def test_a_protege_in_a_coached_team_is_not_waiting_and_one_whose_match_ended_is(
    mailoutbox, run, coordinator
):
    with at(2026, 11, 23, 7, 0):
        team_relationship = quiet_relationship(
            for_team=True,
            program=factories.ProgramFactory(coaching=True, coordinators=[coordinator]),
        )
        program = team_relationship.program
        for member in team_relationship.team.members.all():
            factories.EnrollmentFactory(program=program, person=member)
        ended = quiet_relationship(program=program, starts_on=in_days(-90))
        ended.status, ended.ended_on, ended.end_reason = "ended_early", in_days(-14), "Moved."
        ended.save()
        factories.EnrollmentFactory(program=program, person=ended.protege, joined_on=in_days(-90))
        run("coordinator-digests")

    [email] = to(mailoutbox, coordinator)
    waiting = email.body.split("Protégés waiting for a match:")[1].split("Match them")[0]
    assert waiting.strip().splitlines() == [
        f"- {ended.supported_name}, waiting 14 days (since November 9)"
    ]


def test_an_invitation_sent_again_or_a_person_who_logged_in_is_no_longer_reported(
    mailoutbox, run, coordinator
):
    with at(2026, 11, 23, 7, 0):
        program = factories.ProgramFactory(coordinators=[coordinator])
        resent = factories.UserFactory()
        logged_in = factories.UserFactory(last_login=clock.now())
        for person in (resent, logged_in):
            factories.EnrollmentFactory(program=program, person=person)
            quiet_relationship(program=program, protege=person)
        Delivery.objects.create(
            kind=INVITATION,
            recipient=resent,
            status=Delivery.Status.FAILED,
            created_at=clock.now() - datetime.timedelta(days=2),
        )
        Delivery.objects.create(kind=INVITATION, recipient=resent, status=Delivery.Status.SENT)
        Delivery.objects.create(kind=INVITATION, recipient=logged_in, status=Delivery.Status.FAILED)
        run("coordinator-digests")

    # Nothing else to report either: no digest at all.
    assert mailoutbox == []


def test_no_digest_for_a_coordinator_with_nothing_to_report_or_who_turned_it_off(
    mailoutbox, run, coordinator
):
    with at(2026, 11, 23, 7, 0):
        program = factories.ProgramFactory(coordinators=[coordinator])
        relationship = quiet_relationship(program=program)
        factories.EnrollmentFactory(program=program, person=relationship.protege)
        other = factories.UserFactory()
        busy_relationship(program=factories.ProgramFactory(coordinators=[other]))
        outbox.set_switches(other, {COORDINATOR_DIGEST: False})
        archived = factories.ProgramFactory(
            coordinators=[factories.UserFactory()], archived_at=clock.now()
        )
        factories.EnrollmentFactory(program=archived)
        run("coordinator-digests")

    assert mailoutbox == []
    assert not Delivery.objects.filter(kind=COORDINATOR_DIGEST).exists()


# The settings page ---------------------------------------------------------------------------


def test_each_person_is_offered_the_switches_of_the_emails_that_concern_them(client):
    relationship = factories.SupportRelationshipFactory()
    program = relationship.program
    program.coordinators.add(factories.UserFactory())
    url = reverse("relationships:settings")

    def switches(person) -> set[str]:
        client.force_login(person)
        page = client.get(url).content.decode()
        return {
            kind
            for kind in (
                notifications.VISIT_REMINDER,
                notifications.VISIT_UNLOGGED,
                notifications.FIRST_DEADLINE,
                notifications.STEP_DUE,
                MENTOR_DIGEST,
                COORDINATOR_DIGEST,
            )
            if f'name="email_{kind}"' in page
        }

    assert switches(relationship.mentor) == {
        notifications.VISIT_REMINDER,
        notifications.VISIT_UNLOGGED,
        notifications.FIRST_DEADLINE,
        notifications.STEP_DUE,
        MENTOR_DIGEST,
    }
    assert switches(relationship.protege) == {notifications.STEP_DUE}
    assert switches(program.coordinators.get()) == {COORDINATOR_DIGEST}
