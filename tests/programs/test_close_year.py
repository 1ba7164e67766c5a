"""Closing a program year through its page (reports/views/years.py): the year's figures before
the close, every open relationship and current enrollment completed in one step, nothing
deleted, a second click harmless, and the closed year read-only yet readable."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from programs.models import Enrollment, Program
from relationships.models import SupportRelationship, Visit
from tests.factories import (
    EnrollmentFactory,
    GoalFactory,
    ProgramFactory,
    SupportRelationshipFactory,
    UserFactory,
    VisitFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def close_url(program: Program) -> str:
    return reverse("programs:close_year", args=[program.code])


@pytest.fixture
def coordinator():
    return UserFactory()


def a_year(coordinator, *, relationships: int = 2, **program) -> Program:
    """A program with `relationships` open relationships, their people enrolled, a visit of
    45 minutes and a met goal each; one more relationship ended early; one protégé left."""
    program = ProgramFactory(coordinators=[coordinator], **program)
    for _ in range(relationships):
        relationship = SupportRelationshipFactory(program=program)
        joined = {"program": program, "joined_on": in_days(-60)}
        EnrollmentFactory(person=relationship.mentor, role="mentor", **joined)
        EnrollmentFactory(person=relationship.protege, **joined)
        VisitFactory(relationship=relationship, logged=True, duration_minutes=45)
        GoalFactory(relationship=relationship, met=True)
    SupportRelationshipFactory(
        program=program,
        status="ended_early",
        ended_on=in_days(-3),
        end_reason="Moved away.",
    )
    EnrollmentFactory(program=program, left=True)
    return program


def figure(response, name: str) -> str:
    html = response.content.decode()
    start = html.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return html[start : html.index("</dd>", start)]


def test_the_page_sums_up_the_year_before_the_close(client, coordinator):
    program = a_year(coordinator)
    client.force_login(coordinator)
    response = client.get(close_url(program))
    assert response.status_code == 200
    assert figure(response, "open") == "2"
    assert figure(response, "completed") == "0"
    assert figure(response, "ended_early") == "1"
    assert figure(response, "visits") == "2"
    assert figure(response, "minutes").startswith("90 (1.5 hours)")
    assert figure(response, "goals_met").startswith("2 of 2")
    assert figure(response, "retention").startswith("67%")  # 2 current of 3 protégés
    assert b"Close the year</button>" in response.content


def test_closing_completes_every_open_relationship_and_enrollment(client, coordinator):
    program = a_year(coordinator, ends_on=in_days(30), starts_on=in_days(-200))
    client.force_login(coordinator)
    response = client.post(close_url(program))
    assert response.status_code == 302
    assert response.url == reverse("programs:next_year", args=[program.code])

    today = clock.today()
    relationships = SupportRelationship.objects.filter(program=program)
    assert relationships.count() == 3  # nothing deleted
    completed = relationships.filter(status="completed")
    assert completed.count() == 2
    assert set(completed.values_list("ended_on", "end_reason")) == {
        (today, "The program year closed")
    }
    assert relationships.get(status="ended_early").end_reason == "Moved away."
    enrollments = Enrollment.objects.filter(program=program)
    assert enrollments.count() == 5
    assert not enrollments.current().exists()
    assert enrollments.filter(leaving_reason="completed", left_on=today).count() == 4
    assert Visit.objects.filter(relationship__program=program).count() == 2

    program.refresh_from_db()
    assert program.is_closed and program.closed_on == today

    # The figures stay readable, now with the completions counted in the retention.
    page = client.get(close_url(program))
    assert figure(page, "open") == "0"
    assert figure(page, "completed") == "2"
    assert figure(page, "retention").startswith("67%")  # 2 completed of 3 protégés
    assert b"Close the year</button>" not in page.content
    assert client.get(reverse("programs:detail", args=[program.code])).status_code == 200
    assert b"Year closed</span>" in client.get(reverse("programs:list")).content


def test_a_year_past_its_end_closes_on_its_last_day(client, coordinator):
    program = a_year(coordinator, starts_on=in_days(-300), ends_on=in_days(-10))
    late = EnrollmentFactory(program=program, joined_on=in_days(-2))
    client.force_login(coordinator)
    client.post(close_url(program))
    ended = SupportRelationship.objects.filter(program=program, status="completed")
    assert set(ended.values_list("ended_on", flat=True)) == {in_days(-10)}
    left = Enrollment.objects.filter(program=program, leaving_reason="completed").exclude(
        pk=late.pk
    )
    assert set(left.values_list("left_on", flat=True)) == {in_days(-10)}
    late.refresh_from_db()  # who joined after the end leaves the day they joined
    assert (late.leaving_reason, late.left_on) == ("completed", in_days(-2))


def test_a_relationship_started_after_the_end_ends_on_its_start(client, coordinator):
    program = ProgramFactory(coordinators=[coordinator], ends_on=in_days(-10))
    relationship = SupportRelationshipFactory(program=program, starts_on=in_days(-5))
    client.force_login(coordinator)
    client.post(close_url(program))
    relationship.refresh_from_db()
    assert (relationship.status, relationship.ended_on) == ("completed", in_days(-5))


def test_a_second_or_stale_confirm_changes_nothing(client, coordinator):
    program = a_year(coordinator)
    client.force_login(coordinator)
    client.post(close_url(program))
    program.refresh_from_db()
    closed_at = program.closed_at
    # Someone then records a relationship by other means; a stale confirm must not touch it.
    late = SupportRelationshipFactory(program=program)
    response = client.post(close_url(program), follow=True)
    assert b"already closed" in response.content
    program.refresh_from_db()
    late.refresh_from_db()
    assert program.closed_at == closed_at
    assert late.status == "active"


def test_a_closed_year_is_read_only(client, coordinator):
    program = a_year(coordinator)
    client.force_login(coordinator)
    client.post(close_url(program))
    detail = client.get(reverse("programs:detail", args=[program.code]))
    assert b"This year was closed on" in detail.content
    assert "Match a protégé</a>" not in detail.content.decode()
    for name in ("programs:edit", "relationships:match"):
        response = client.get(reverse(name, args=[program.code]), follow=True)
        assert b"closed: its records are kept and read-only" in response.content
    response = client.post(
        reverse("programs:enroll", args=[program.code]),
        {"who": "existing", "person": UserFactory().username, "role": "protege"},
    )
    assert not Enrollment.objects.current().filter(program=program).exists()
    relationship = SupportRelationship.objects.filter(program=program).first()
    page = client.get(relationship.get_absolute_url())
    assert b"End the relationship" not in page.content


def test_an_archived_program_cannot_be_closed(client, coordinator):
    program = a_year(coordinator, archived_at=clock.now())
    client.force_login(coordinator)
    client.post(close_url(program))
    program.refresh_from_db()
    assert not program.is_closed
    assert SupportRelationship.objects.open().filter(program=program).count() == 2


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_page_costs_the_same_for_1_and_50_relationships(client, coordinator):
    client.force_login(coordinator)
    counts = [
        count_queries(client, close_url(a_year(coordinator, relationships=n))) for n in (1, 50)
    ]
    assert counts[0] == counts[1]


def test_closing_at_a_boundary_ends_on_that_day(client, coordinator, boundary):
    program = a_year(coordinator, starts_on=datetime.date(2026, 8, 1))
    client.force_login(coordinator)
    client.post(close_url(program))
    program.refresh_from_db()
    assert program.closed_on == boundary.date()
    assert set(
        SupportRelationship.objects.filter(program=program, status="completed").values_list(
            "ended_on", flat=True
        )
    ) == {boundary.date()}


def test_a_closed_years_templates_teams_roles_and_relationships_take_no_changes(
    client, coordinator
):
    program = a_year(coordinator, relationships=1)
    client.force_login(coordinator)
    client.post(close_url(program))
    for name in ("goals:template_create", "relationships:team_create", "programs:roles_edit"):
        response = client.get(reverse(name, args=[program.code]), follow=True)
        assert b"closed: its records are kept and read-only" in response.content, name
    late = SupportRelationshipFactory(program=program)  # recorded by other means
    response = client.post(
        reverse("relationships:end", args=[late.code]), {"reason": "Over", "completed": "on"}
    )
    assert response.status_code == 403
    late.refresh_from_db()
    assert late.is_open
