"""A program keeps relationship records for the years it chooses. `manage.py anonymize_expired`
(nightly) anonymizes the relationships that ended longer ago than that: their words go, the
names of people with nothing newer go, the figures stay. The cut-off is the day the period
ends: not the day before."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command

from core import clock
from privacy.models import Anonymization
from privacy.services import PLACEHOLDER_TEAM_NAME, REMOVED
from programs.models import Program
from relationships.models import SupportRelationship, Visit
from tests import factories
from tests.clock import local
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db

ENDED_ON = datetime.date(2027, 6, 15)


def anonymize_expired(*args: str) -> str:
    out = io.StringIO()
    call_command("anonymize_expired", *args, stdout=out)
    return out.getvalue()


def ended_relationship(program: Program, ended_on=ENDED_ON, **fields) -> SupportRelationship:
    relationship = factories.SupportRelationshipFactory(
        program=program,
        starts_on=ended_on - datetime.timedelta(days=200),
        status=SupportRelationship.Status.COMPLETED,
        ended_on=ended_on,
        end_reason="Jayden's teacher moved to Ohio",
        **fields,
    )
    visit = factories.VisitFactory(
        relationship=relationship,
        logged=True,
        date=ended_on - datetime.timedelta(days=30),
        duration_minutes=50,
        feedback="You helped Jayden with his coat",
        private_notes="PRIVATE",
    )
    factories.AcknowledgementFactory(visit=visit, reflection="Jayden is better")
    goal = factories.GoalFactory(relationship=relationship, agreed=True, statement="Jayden talks")
    factories.ActionStepFactory(goal=goal, what="Ask Jayden")
    factories.ProgressEntryFactory(goal=goal, note="Jayden said four words", value=4)
    return relationship


def words_are_gone(relationship: SupportRelationship) -> bool:
    relationship.refresh_from_db()
    visit = relationship.visits.get()
    goal = relationship.goals.get()
    return (
        relationship.end_reason == REMOVED
        and visit.feedback == REMOVED
        and visit.private_notes == ""
        and visit.acknowledgements.get().reflection == REMOVED
        and (goal.title, goal.statement) == (REMOVED, REMOVED)
        and goal.action_steps.get().what == REMOVED
        and goal.progress_entries.get().note == REMOVED
    )


@pytest.mark.parametrize(
    ("today", "anonymized"),
    [
        (datetime.date(2029, 6, 14), False),  # the day before the two years are up
        (datetime.date(2029, 6, 15), True),  # the day they are up
    ],
    ids=["day-before", "day-the-period-ends"],
)
def test_the_cut_off_is_the_day_the_period_ends(today, anonymized):
    program = factories.ProgramFactory(record_retention_years=2)
    relationship = ended_relationship(program)

    # Late in the evening, when the date in UTC is already the next day.
    with time_machine.travel(local(today.year, today.month, today.day, 23, 30), tick=False):
        assert clock.today() == today
        anonymize_expired()

    assert words_are_gone(relationship) is anonymized
    assert Anonymization.objects.filter(relationship=relationship).exists() is anonymized


def test_a_leap_day_end_waits_for_the_first_of_march():
    program = factories.ProgramFactory(record_retention_years=1)
    relationship = ended_relationship(program, ended_on=datetime.date(2028, 2, 29))

    with time_machine.travel(local(2029, 2, 28, 12, 0), tick=False):
        anonymize_expired()
    assert not words_are_gone(relationship)
    with time_machine.travel(local(2029, 3, 1, 12, 0), tick=False):
        anonymize_expired()
    assert words_are_gone(relationship)


def test_the_figures_stay_and_the_history_loses_the_words():
    program = factories.ProgramFactory(record_retention_years=1)
    relationship = ended_relationship(program)
    visit = relationship.visits.get()
    visit.focus_challenges = "Jayden bites"
    visit.save()

    with time_machine.travel(local(2030, 1, 10, 9, 0), tick=False):
        anonymize_expired()

    visit = Visit.objects.get(pk=visit.pk)
    assert (visit.status, visit.duration_minutes, visit.date, visit.activities) == (
        "logged",
        50,
        ENDED_ON - datetime.timedelta(days=30),
        ["observing", "feedback", "reflective_conversation"],
    )
    relationship.refresh_from_db()
    assert (relationship.status, relationship.ended_on) == ("completed", ENDED_ON)
    goal = relationship.goals.get()
    assert goal.status == "agreed"
    assert goal.progress_entries.get().value == 4
    for version in visit.history.all():
        assert "Jayden" not in version.feedback + version.focus_challenges
    for version in relationship.history.all():
        assert "Jayden" not in version.end_reason


def test_names_go_once_a_person_has_nothing_newer():
    program = factories.ProgramFactory(record_retention_years=1)
    relationship = ended_relationship(program)
    protege, mentor = relationship.protege, relationship.mentor
    # The mentor still supports someone: their name stays.
    factories.SupportRelationshipFactory(program=program, mentor=mentor)

    with time_machine.travel(local(2030, 1, 10, 9, 0), tick=False):
        output = anonymize_expired()

    assert "Anonymized 1 relationship(s); the names of 1 person(s)" in output
    protege.refresh_from_db()
    mentor.refresh_from_db()
    assert protege.get_full_name() == "Anonymized person"
    assert protege.email == ""
    assert not protege.is_active
    assert Anonymization.objects.get(person=protege).reason == "retention"
    assert mentor.username != f"anonymized-{mentor.pk}"
    assert mentor.is_active


def test_a_current_enrollment_or_coordinating_keeps_the_name():
    program = factories.ProgramFactory(record_retention_years=1)
    relationship = ended_relationship(program)
    factories.EnrollmentFactory(person=relationship.protege)
    factories.ProgramFactory(coordinators=[relationship.mentor])

    with time_machine.travel(local(2030, 1, 10, 9, 0), tick=False):
        anonymize_expired()

    assert words_are_gone(relationship)
    assert not Anonymization.objects.filter(person__isnull=False).exists()
    assert User.objects.filter(is_active=True, pk=relationship.protege.pk).exists()


def test_a_team_name_goes_with_its_last_relationship():
    program = factories.ProgramFactory(coaching=True, record_retention_years=1)
    team = factories.ClassroomTeamFactory(program=program, name="Ms. Garcia's room")
    relationship = ended_relationship(program, format="team", protege=None, team=team)

    with time_machine.travel(local(2030, 1, 10, 9, 0), tick=False):
        anonymize_expired()

    team.refresh_from_db()
    assert team.name == PLACEHOLDER_TEAM_NAME
    assert words_are_gone(relationship)
    assert set(team.members.values_list("first_name", flat=True)) == {"Anonymized"}


def test_what_is_kept_is_kept():
    keeps = factories.ProgramFactory(record_retention_years=None)
    kept = ended_relationship(keeps)
    short = factories.ProgramFactory(record_retention_years=1)
    still_open = factories.SupportRelationshipFactory(
        program=short, starts_on=ENDED_ON - datetime.timedelta(days=400)
    )
    factories.VisitFactory(relationship=still_open, logged=True, date=ENDED_ON)
    informal = ended_relationship(None)

    with time_machine.travel(local(2035, 1, 10, 9, 0), tick=False):
        output = anonymize_expired()

    assert "Anonymized 0 relationship(s)" in output
    for relationship in (kept, informal):
        assert not words_are_gone(relationship)
    assert still_open.visits.get().feedback != REMOVED


def test_a_dry_run_counts_and_changes_nothing_and_a_second_run_finds_nothing():
    program = factories.ProgramFactory(record_retention_years=1)
    relationship = ended_relationship(program)

    with time_machine.travel(local(2030, 1, 10, 9, 0), tick=False):
        dry = anonymize_expired("--dry-run")
        assert not words_are_gone(relationship)
        anonymize_expired()
        again = anonymize_expired()

    assert dry == (
        "Would anonymize 1 relationship(s); the names of 2 person(s) and 0 classroom team(s)."
        " Nothing was changed.\n"
    )
    assert words_are_gone(relationship)
    assert again.startswith("Anonymized 0 relationship(s); the names of 0 person(s)")


def test_a_coordinator_sets_the_period_in_the_program_configuration(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    url = f"/programs/{program.code}/edit/"
    page = client.get(url).content.decode()
    assert "Keeping records" in page

    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, "") and name in form.fields
    }
    data["sponsor"] = program.sponsor_id
    refused = client.post(url, {**data, "record_retention_years": "0"})
    assert refused.status_code == 200
    assert "Keep records for at least a year" in refused.content.decode()

    saved = client.post(url, {**data, "record_retention_years": "3"})
    assert saved.status_code == 302, saved.context["form"].errors
    program.refresh_from_db()
    assert program.record_retention_years == 3
