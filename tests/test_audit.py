"""The access log: every read of conversation-tier text by someone outside the relationship
(a coordinator of a program that shares logs), every export download, each in one INSERT; and
the protégé's "Who has read my logs". Admin views are in tests/test_admin.py."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from tests import factories
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db

WHO_READ = reverse("audit:who_read_my_logs")


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(html.unescape(response.content.decode()).split())


def inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "audit_accesslogentry"')]


@pytest.fixture
def sharing():
    """A program whose coordinator, Cora, reads shared logs; one relationship with a log and a
    goal written since."""
    program, coordinator = coordinated_program(
        name="Induction",
        coordinators_read_shared_logs=True,
        coordinator=factories.UserFactory(first_name="Cora", last_name="Coordinator"),
    )
    relationship = relationship_in(program)
    visit = factories.VisitFactory(relationship=relationship, logged=True)
    goal = factories.GoalFactory(relationship=relationship, agreed=True)
    return program, coordinator, relationship, visit, goal


def test_a_coordinator_reading_a_log_is_recorded_in_one_insert(client, sharing):
    program, coordinator, relationship, visit, _goal = sharing
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as queries:
        assert visit.feedback in page_text(client, visit.get_absolute_url())
    assert len(inserts(queries)) == 1

    entry = AccessLogEntry.objects.get()
    assert (entry.reader, entry.kind, entry.role) == (coordinator, "visit", "coordinator")
    assert (entry.relationship, entry.visit, entry.program) == (relationship, visit, program)


def test_reads_by_the_people_in_the_relationship_are_not_recorded(client, sharing):
    _, _, relationship, visit, goal = sharing
    for person in (relationship.mentor, relationship.protege):
        client.force_login(person)
        for url in (
            visit.get_absolute_url(),
            goal.get_absolute_url(),
            relationship.get_absolute_url(),
        ):
            page_text(client, url)
    assert not AccessLogEntry.objects.exists()


def test_a_coordinator_who_reads_logistics_only_is_not_recorded(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    visit = factories.VisitFactory(relationship=relationship, logged=True)
    client.force_login(coordinator)
    assert visit.feedback not in page_text(client, visit.get_absolute_url())
    assert not AccessLogEntry.objects.exists()


def test_the_protege_sees_who_read_their_log_and_their_goal(client, sharing):
    _program, coordinator, relationship, visit, goal = sharing
    client.force_login(coordinator)
    page_text(client, visit.get_absolute_url())
    page_text(client, goal.get_absolute_url())

    client.force_login(relationship.protege)
    page = page_text(client, WHO_READ)
    assert "Cora Coordinator" in page
    assert "Coordinator of Induction" in page
    assert f"The goal “{goal.title}”" in page
    assert f"of the visit on {visit.date:%A}, {visit.date:%B} {visit.date.day}" in page
    # Linked from the protégé's own pages.
    for url in (reverse("relationships:my_support"), reverse("relationships:feedback")):
        assert WHO_READ in client.get(url).content.decode()


def test_nobody_else_sees_those_reads(client, sharing):
    _, coordinator, relationship, visit, _ = sharing
    client.force_login(coordinator)
    page_text(client, visit.get_absolute_url())
    profile = relationship.protege.protege_profile
    profile.supervisor = supervisor = factories.UserFactory()
    profile.save()
    for person in (relationship.mentor, supervisor, factories.UserFactory(), coordinator):
        client.force_login(person)
        page = page_text(client, WHO_READ)
        assert "Nobody outside your mentoring and coaching has read your logs." in page


def test_every_member_of_a_team_sees_who_read_the_team_log(client):
    program, coordinator = coordinated_program(coaching=True, coordinators_read_shared_logs=True)
    relationship = factories.TeamRelationshipFactory(program=program)
    visit = factories.VisitFactory(relationship=relationship, logged=True)
    client.force_login(coordinator)
    page_text(client, visit.get_absolute_url())
    for member in relationship.team.members.all():
        client.force_login(member)
        assert coordinator.get_full_name() in page_text(client, WHO_READ)


def test_a_relationship_page_that_shows_a_goal_closing_reason_is_recorded(client, sharing):
    _, coordinator, relationship, _, goal = sharing
    factories.GoalFactory(
        relationship=relationship,
        status="closed",
        close_reason="Moved to another room.",
        closed_at=goal.created_at,
    )
    client.force_login(coordinator)
    assert "Moved to another room." in page_text(client, relationship.get_absolute_url())
    assert AccessLogEntry.objects.get().kind == "relationship"


def test_every_export_download_is_recorded_with_the_relationships_it_shows(client, sharing):
    program, coordinator, relationship, _visit, _goal = sharing
    # A relationship the coordinator mentors: their own, not an outside read.
    own = relationship_in(program, mentor=coordinator)
    factories.VisitFactory(relationship=own, logged=True)
    quiet = relationship_in(program)  # nothing shared written: nothing read
    client.force_login(coordinator)

    for what in ("relationships", "visits"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("programs:export", args=[program.code, what]))
            b"".join(response.streaming_content)
        assert len(inserts(queries)) == 1, what

    downloads = AccessLogEntry.objects.filter(relationship=None)
    assert sorted(downloads.values_list("what", flat=True)) == [
        "Downloaded relationships.csv",
        "Downloaded visits.csv",
    ]
    shown = AccessLogEntry.objects.exclude(relationship=None)
    assert [(entry.relationship, entry.what) for entry in shown] == [
        (relationship, "Downloaded visits.csv, with the shared visits")
    ]
    assert quiet.pk not in shown.values_list("relationship", flat=True)
    client.force_login(relationship.protege)
    assert "Downloaded visits.csv, with the shared visits" in page_text(client, WHO_READ)


def test_who_read_my_logs_runs_the_same_queries_for_1_and_50_reads(client, sharing):
    program, coordinator, relationship, visit, _goal = sharing

    def count() -> int:
        client.force_login(relationship.protege)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(WHO_READ).status_code == 200
        return len(queries)

    AccessLogEntry.objects.create(
        reader=coordinator,
        role="coordinator",
        kind="visit",
        what="A log",
        relationship=relationship,
        program=program,
        visit=visit,
    )
    one = count()
    for n in range(49):
        reader = factories.UserFactory()
        other = relationship_in(factories.ProgramFactory(), protege=relationship.protege)
        AccessLogEntry.objects.create(
            reader=reader,
            role="admin" if n % 2 else "coordinator",
            kind="goal",
            what=f"Goal {n}",
            relationship=other,
            program=other.program,
        )
    assert count() == one
