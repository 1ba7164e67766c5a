"""When a stage is due and when it is overdue, on the relationship page and the dashboard, at
the instants where day counting breaks (tests/clock.py): a stage is due `cadence_days` after
the day it started, on the program's wall clock, and overdue from the day after."""

import datetime
import html
import re

import pytest
import time_machine

from core import clock
from cycles.models import CycleStage, CycleStageRecord
from cycles.services import coaching_cycle_start
from relationships.models import SupportRelationship
from relationships.services import relationship_pause, relationship_resume
from tests.clock import local
from tests.cycles.world import CycleWorld, cycle_world
from tests.programs.coordinator_world import relationship_in

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def in_stage_since(world: CycleWorld, started_on: datetime.date, *, relationship=None):
    """A cycle of the world's relationship (or `relationship`) in its first stage (Focus, 7
    days) since `started_on`."""
    relationship = relationship or world.relationship
    cycle = coaching_cycle_start(relationship=relationship, by=relationship.mentor)
    cycle.stage_records.update(started_on=started_on)
    type(cycle).objects.filter(pk=cycle.pk).update(started_on=started_on)
    return cycle


def relationship_page(client, world: CycleWorld) -> str:
    client.force_login(world.coach)
    return text_of(client.get(world.relationship.get_absolute_url()))


def dashboard(client, world: CycleWorld, query: str = "") -> str:
    client.force_login(world.coordinator)
    return text_of(client.get(f"/programs/{world.program.code}/{query}"))


def ago(days: int) -> datetime.date:
    return clock.today() - datetime.timedelta(days=days)


def test_a_stage_started_today_is_not_overdue(client, boundary):
    world = cycle_world()
    in_stage_since(world, clock.today())
    page = relationship_page(client, world)
    due = clock.today() + datetime.timedelta(days=7)
    assert f"due {due:%b} {due.day}, {due.year}" in page
    assert "Overdue" not in page and "Due today" not in page
    assert "No coaching cycle stage is overdue." in dashboard(client, world)


def test_on_the_day_it_is_due_a_stage_is_due_today_not_overdue(client, boundary):
    world = cycle_world()
    in_stage_since(world, ago(7))
    page = relationship_page(client, world)
    assert "Due today" in page and "Overdue" not in page
    assert "No coaching cycle stage is overdue." in dashboard(client, world)


def test_the_day_after_a_stage_is_overdue_by_one_day(client, boundary):
    world = cycle_world()
    in_stage_since(world, ago(8))
    page = relationship_page(client, world)
    assert "Overdue by 1 day" in page
    board = dashboard(client, world)
    assert "1 active relationship has a coaching cycle stage past its days." in board
    assert "Cycle stage overdue" in board


def test_the_last_evening_of_a_month_is_still_that_day(client):
    """At 22:15 on March 31 in New York it is already April 1 in UTC: a stage due March 31 is
    due today, not overdue."""
    world = cycle_world()
    with time_machine.travel(local(2027, 3, 24, 9, 0), tick=False):
        in_stage_since(world, clock.today())
    with time_machine.travel(local(2027, 3, 31, 22, 15), tick=False):
        page = relationship_page(client, world)
        assert "due Mar 31, 2027" in page and "Due today" in page and "Overdue" not in page
    with time_machine.travel(local(2027, 4, 1, 0, 5), tick=False):
        assert "Overdue by 1 day" in relationship_page(client, world)


@pytest.mark.parametrize(
    ("year", "due"),
    [(2027, datetime.date(2027, 3, 2)), (2028, datetime.date(2028, 3, 1))],
    ids=["common-year", "leap-year"],
)
def test_days_run_across_the_end_of_february(client, year, due):
    """A 30-day stage started on January 31 is due on March 2, or March 1 in a leap year."""
    world = cycle_world()
    stage = world.stages()[0]
    CycleStage.objects.filter(pk=stage.pk).update(cadence_days=30)
    with time_machine.travel(local(year, 1, 31, 10, 0), tick=False):
        in_stage_since(world, clock.today())
    with time_machine.travel(local(due.year, due.month, due.day, 12, 0), tick=False):
        page = relationship_page(client, world)
        assert f"due {due:%b} {due.day}, {due.year}" in page and "Due today" in page
    after = due + datetime.timedelta(days=1)
    with time_machine.travel(local(after.year, after.month, after.day, 8, 0), tick=False):
        assert "Overdue by 1 day" in relationship_page(client, world)
        assert "1 active relationship has" in dashboard(client, world)


def test_a_stage_due_on_leap_day(client):
    world = cycle_world()
    with time_machine.travel(local(2028, 2, 22, 10, 0), tick=False):
        in_stage_since(world, clock.today())
    with time_machine.travel(local(2028, 2, 29, 12, 0), tick=False):
        page = relationship_page(client, world)
        assert "due Feb 29, 2028" in page and "Due today" in page
    with time_machine.travel(local(2028, 3, 1, 9, 0), tick=False):
        assert "Overdue by 1 day" in relationship_page(client, world)


def test_the_dashboard_lists_only_the_overdue_with_its_filter(client):
    world = cycle_world()
    in_stage_since(world, ago(10))
    on_time = relationship_in(world.program, kind="coaching")
    in_stage_since(world, ago(2), relationship=on_time)
    paused = relationship_in(world.program, kind="coaching")
    in_stage_since(world, ago(30), relationship=paused)
    SupportRelationship.objects.filter(pk=paused.pk).update(status="paused")

    board = dashboard(client, world)
    assert "1 active relationship has a coaching cycle stage past its days." in board
    assert "Cycle 1: Focus, due" in board

    flagged = dashboard(client, world, "?flag=cycle_stage")
    assert world.relationship.supported_name in flagged
    assert on_time.supported_name not in flagged
    assert paused.supported_name not in flagged  # a paused relationship is not judged

    # Moving the cycle on clears the flag: the next stage has its own days.
    record = CycleStageRecord.objects.get(cycle__relationship=world.relationship)
    client.force_login(world.coach)
    client.post(f"/cycles/{record.cycle.code}/next-stage/", {"from_stage": str(record.stage.code)})
    assert "No coaching cycle stage is overdue." in dashboard(client, world)


def test_the_days_a_relationship_was_paused_do_not_count_against_its_stage(client):
    """A 7-day stage started March 1, paused on the 3rd and resumed on the 13th (ten days
    paused), is due on March 18, not March 8: no flag the day the coach comes back."""
    world = cycle_world()
    with time_machine.travel(local(2027, 3, 1, 9, 0), tick=False):
        in_stage_since(world, clock.today())
    with time_machine.travel(local(2027, 3, 3, 9, 0), tick=False):
        relationship_pause(relationship=world.relationship, reason="Family leave")
    with time_machine.travel(local(2027, 3, 13, 9, 0), tick=False):
        relationship_resume(relationship=SupportRelationship.objects.get(pk=world.relationship.pk))
        page = relationship_page(client, world)
        assert "due Mar 18, 2027" in page and "Overdue" not in page
        assert "No coaching cycle stage is overdue." in dashboard(client, world)
    with time_machine.travel(local(2027, 3, 19, 9, 0), tick=False):
        assert "Overdue by 1 day" in relationship_page(client, world)
        assert "1 active relationship has a coaching cycle stage past its days." in dashboard(
            client, world
        )
