"""Coaching cycles through the pages: a coordinator configures a program's stages, a coach
starts, moves on and ends a relationship's cycle, and the others see what they may."""

import html
import re

import pytest

from cycles.models import CoachingCycle, CycleStage
from cycles.services import coaching_cycle_start
from tests.cycles.world import cycle_world
from tests.factories import UserFactory, VisitFactory, in_days
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's words, without tags, on one line."""
    assert response.status_code == 200, response.status_code
    page = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def stage_names(program) -> list[str]:
    return list(program.cycle_stages.active().order_by("order").values_list("name", flat=True))


# The coordinator's stages ---------------------------------------------------------------------


def test_a_program_without_stages_offers_the_common_four(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    url = f"/cycles/programs/{program.code}/stages/"

    page = text_of(client.get(url))
    assert "does not organise coaching in cycles" in page
    assert "Use the common four stages" in page

    response = client.post(f"/cycles/programs/{program.code}/stages/common/", follow=True)
    page = text_of(response)
    assert stage_names(program) == ["Focus", "Observe", "Reflect and give feedback", "Plan"]
    assert "7 days" in page and "Use the common four stages" not in page
    program.refresh_from_db()
    assert program.has_cycle_stages

    # A second click (a stale page) adds nothing.
    client.post(f"/cycles/programs/{program.code}/stages/common/")
    assert len(stage_names(program)) == 4


def test_the_coordinator_adds_renames_reorders_and_removes_stages(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    url = f"/cycles/programs/{program.code}/stages/"

    client.post(url, {"name": "Observe", "description": "", "cadence_days": "10"})
    client.post(url, {"name": "Debrief", "description": "Talk it over", "cadence_days": "5"})
    assert stage_names(program) == ["Observe", "Debrief"]

    debrief = program.cycle_stages.get(name="Debrief")
    client.post(f"/cycles/stages/{debrief.code}/move/", {"direction": "up"})
    assert stage_names(program) == ["Debrief", "Observe"]
    client.post(f"/cycles/stages/{debrief.code}/move/", {"direction": "down"})
    assert stage_names(program) == ["Observe", "Debrief"]
    # Already last: down does nothing.
    client.post(f"/cycles/stages/{debrief.code}/move/", {"direction": "down"})
    assert stage_names(program) == ["Observe", "Debrief"]

    response = client.post(
        f"/cycles/stages/{debrief.code}/edit/",
        {"name": "Reflect", "description": "Talk it over", "cadence_days": "3"},
        follow=True,
    )
    page = text_of(response)
    assert "Reflect" in page and "3 days" in page
    assert stage_names(program) == ["Observe", "Reflect"]

    page = text_of(client.get(f"/cycles/stages/{debrief.code}/remove/"))
    assert "Remove the stage “Reflect”" in page
    client.post(f"/cycles/stages/{debrief.code}/remove/")
    assert stage_names(program) == ["Observe"]
    assert not CycleStage.objects.filter(pk=debrief.pk).exists()  # no cycle went through it

    observe = program.cycle_stages.get()
    page = text_of(client.get(f"/cycles/stages/{observe.code}/remove/"))
    assert "the program no longer organises coaching in cycles" in page
    client.post(f"/cycles/stages/{observe.code}/remove/")
    program.refresh_from_db()
    assert stage_names(program) == [] and not program.has_cycle_stages


def test_bad_stage_input_is_explained_and_kept(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    url = f"/cycles/programs/{program.code}/stages/"
    client.post(url, {"name": "Observe", "cadence_days": "7"})

    page = text_of(
        client.post(url, {"name": "observe", "description": "Watch a lesson", "cadence_days": "7"})
    )
    assert "The program has a stage of that name already" in page
    assert "Watch a lesson" in page  # what was typed stays

    page = text_of(client.post(url, {"name": "Plan", "description": "Next", "cadence_days": "0"}))
    assert "greater than or equal to 1" in page
    assert (
        'value="Plan"' in client.post(url, {"name": "Plan", "cadence_days": "400"}).content.decode()
    )
    assert stage_names(program) == ["Observe"]


def test_a_stage_a_cycle_is_in_cannot_be_removed_and_a_used_one_is_retired(client):
    world = cycle_world()
    focus = world.stages()[0]
    cycle = coaching_cycle_start(relationship=world.relationship, by=world.coach)
    client.force_login(world.coordinator)

    page = text_of(client.get(f"/cycles/stages/{focus.code}/remove/"))
    assert "A cycle is in this stage now" in page
    response = client.post(f"/cycles/stages/{focus.code}/remove/", follow=True)
    assert "A cycle is in “Focus” now" in text_of(response)
    assert "Focus" in stage_names(world.program)

    client.force_login(world.coach)
    client.post(f"/cycles/{cycle.code}/end/")
    client.force_login(world.coordinator)
    client.post(f"/cycles/stages/{focus.code}/remove/")
    focus.refresh_from_db()
    assert focus.retired_at is not None  # kept for the cycle's record
    assert "Focus" not in stage_names(world.program)


def test_a_closed_program_shows_its_stages_without_forms(client):
    world = cycle_world()
    world.program.closed_at = world.program.created_at
    world.program.closed_on = in_days(0)
    world.program.save()
    client.force_login(world.coordinator)
    page = text_of(client.get(f"/cycles/programs/{world.program.code}/stages/"))
    assert "Observe" in page and "Add a stage" not in page
    client.post(
        f"/cycles/programs/{world.program.code}/stages/", {"name": "More", "cadence_days": "3"}
    )
    assert "More" not in stage_names(world.program)


# The coach's cycle ---------------------------------------------------------------------------


def test_the_coach_starts_moves_on_and_ends_a_cycle(client):
    world = cycle_world()
    relationship = world.relationship
    VisitFactory(relationship=relationship, logged=True, date=in_days(-5))  # before the cycle
    client.force_login(world.coach)

    page = text_of(client.get(relationship.get_absolute_url()))
    assert "No coaching cycle is under way." in page and "Start a cycle" in page

    start = f"/cycles/for/{relationship.code}/start/"
    page = text_of(client.get(start))
    assert "starts today in its first stage, Focus" in page
    response = client.post(
        start, {"goal": world.goal.pk, "focus": "Wait time after questions"}, follow=True
    )
    page = text_of(response)
    assert "Cycle 1 has started." in page
    assert "Now: Focus" in page and f"due {in_days(7):%b} {in_days(7).day}" in page
    assert "Goal: Open-ended questions" in page
    assert "Focus: Wait time after questions" in page
    assert "No visit logged since the cycle started." in page

    VisitFactory(relationship=relationship, logged=True, date=in_days(0), duration_minutes=45)
    cycle = CoachingCycle.objects.get()
    focus = world.stages()[0]
    response = client.post(
        f"/cycles/{cycle.code}/next-stage/", {"from_stage": str(focus.code)}, follow=True
    )
    page = text_of(response)
    assert "The cycle is now in “Observe”" in page
    assert "Now: Observe" in page and "45 min" in page
    # The same click again (a stale page) does not skip a stage.
    response = client.post(
        f"/cycles/{cycle.code}/next-stage/", {"from_stage": str(focus.code)}, follow=True
    )
    assert "The cycle had moved on already." in text_of(response)
    assert "Now: Observe" in text_of(response)

    page = text_of(client.get(f"/cycles/{cycle.code}/end/"))
    assert "The cycle ends today, in “Observe”" in page
    response = client.post(f"/cycles/{cycle.code}/end/", follow=True)
    page = text_of(response)
    assert "Cycle 1 has ended." in page
    assert "No coaching cycle is under way." in page and "Earlier cycles" in page
    cycle.refresh_from_db()
    assert cycle.ended_on == in_days(0)
    assert not cycle.stage_records.filter(completed_on__isnull=True).exists()

    # The next cycle is number 2.
    client.post(start, {"goal": "", "focus": ""})
    assert list(relationship.coaching_cycles.values_list("number", flat=True)) == [2, 1]


def test_the_last_stage_ends_rather_than_moves_on(client):
    world = cycle_world()
    cycle = coaching_cycle_start(relationship=world.relationship, by=world.coach)
    client.force_login(world.coach)
    for stage in world.stages()[:3]:
        client.post(f"/cycles/{cycle.code}/next-stage/", {"from_stage": str(stage.code)})
    page = text_of(client.get(world.relationship.get_absolute_url()))
    assert "Now: Plan" in page and "Move on to" not in page and "End this cycle" in page
    page = text_of(client.get(f"/cycles/{cycle.code}/next-stage/"))
    assert "The cycle is in its last stage" in page


def test_the_protege_reads_the_cycle_and_cannot_move_it(client):
    world = cycle_world()
    cycle = coaching_cycle_start(
        relationship=world.relationship, by=world.coach, goal=world.goal, focus="Wait time"
    )
    client.force_login(world.protege)
    page = text_of(client.get(world.relationship.get_absolute_url()))
    assert "Cycle 1" in page and "Now: Focus" in page and "Focus: Wait time" in page
    assert "Move on to" not in page and "End this cycle" not in page
    assert client.post(f"/cycles/{cycle.code}/next-stage/").status_code == 403
    assert client.post(f"/cycles/{cycle.code}/end/").status_code == 403
    assert client.get(f"/cycles/for/{world.relationship.code}/start/").status_code == 403
    cycle.refresh_from_db()
    assert cycle.is_open and cycle.stage_records.count() == 1


def test_the_coordinator_sees_the_logistics_of_the_cycle_not_its_focus(client):
    world = cycle_world()
    coaching_cycle_start(
        relationship=world.relationship, by=world.coach, goal=world.goal, focus="Wait time"
    )
    client.force_login(world.coordinator)
    page = text_of(client.get(world.relationship.get_absolute_url()))
    assert "Now: Focus" in page and "Goal: Open-ended questions" in page
    assert "Wait time" not in page
    assert "Move on to" not in page


def test_a_program_without_stages_shows_no_cycle(client):
    world = cycle_world(stages=False)
    for user in (world.coach, world.protege, world.coordinator):
        client.force_login(user)
        page = text_of(client.get(world.relationship.get_absolute_url()))
        assert "cycle" not in page.lower()
    client.force_login(world.coordinator)
    page = text_of(client.get(f"/programs/{world.program.code}/"))
    assert "Cycle stage overdue" not in page and "cycle_stage" not in page
    client.force_login(world.coach)
    assert client.get(f"/cycles/for/{world.relationship.code}/start/").status_code == 404


# Who gets a 404 ------------------------------------------------------------------------------


def test_outsiders_and_the_supervisor_get_404_on_every_cycle_url(client):
    world = cycle_world()
    cycle = coaching_cycle_start(relationship=world.relationship, by=world.coach)
    stage = world.stages()[1]
    urls = [
        f"/cycles/programs/{world.program.code}/stages/",
        f"/cycles/programs/{world.program.code}/stages/common/",
        f"/cycles/stages/{stage.code}/edit/",
        f"/cycles/stages/{stage.code}/move/",
        f"/cycles/stages/{stage.code}/remove/",
        f"/cycles/for/{world.relationship.code}/start/",
        f"/cycles/{cycle.code}/next-stage/",
        f"/cycles/{cycle.code}/end/",
    ]
    for person in (UserFactory(), world.supervisor):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"direction": "up"}).status_code == 404, url
    cycle.refresh_from_db()
    assert cycle.is_open and cycle.stage_records.count() == 1
    assert stage_names(world.program)[1] == "Observe"
