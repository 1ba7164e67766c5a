"""Coaching cycles cost a program without stages nothing: its relationship page and its
dashboard ask the database exactly what they asked before cycles existed (the counts below
were measured on the commit before them). With stages, the cost is fixed, whatever the
number of relationships or visits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles.services import coaching_cycle_end, coaching_cycle_start
from tests.cycles.world import cycle_world
from tests.factories import VisitFactory, in_days
from tests.programs.coordinator_world import coordinated_program, relationship_in
from tests.programs.test_dashboard_views import QUERIES
from tests.test_query_counts import own_queries

pytestmark = pytest.mark.django_db

# Measured without the cycles' tags: the relationship page (a relationship with a logged visit)
# for each viewer, and the dashboard (one relationship). The relationship's own people pay for
# the observations (their tools and scores) and the videos to review; a coordinator reads
# neither here (the program does not share logs). The dashboard, for the domains' averages.
RELATIONSHIP_PAGE = {"mentor": 13, "protege": 12, "coordinator": 10}
# The dashboard's own count (tests/programs/test_dashboard_views.py, QUERIES): cycles add none
# to a program without stages.
DASHBOARD = QUERIES
# A coaching program's relationship page with a cycle under way: five queries more than
# without cycles (the stages, the cycles, the current one's stages, the pauses since the
# current stage began, its visits).
WITH_A_CYCLE = {"coach": 18, "protege": 17, "coordinator": 15}


def _count(client, user, url: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return own_queries(queries)


@pytest.mark.parametrize("viewer", ["mentor", "protege", "coordinator"])
def test_relationship_page_without_stages_costs_what_it_did(client, viewer):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    VisitFactory(relationship=relationship, logged=True, date=in_days(-3))
    user = {
        "mentor": relationship.mentor,
        "protege": relationship.protege,
        "coordinator": coordinator,
    }[viewer]
    assert _count(client, user, relationship.get_absolute_url()) == RELATIONSHIP_PAGE[viewer]


def test_dashboard_without_stages_costs_what_it_did(client):
    program, coordinator = coordinated_program()
    relationship_in(program)
    assert _count(client, coordinator, f"/programs/{program.code}/") == DASHBOARD


@pytest.mark.parametrize("viewer", ["coach", "protege", "coordinator"])
def test_relationship_page_with_a_cycle_costs_the_same_for_1_and_30_visits(client, viewer):
    counts = []
    for visits in (1, 30):
        world = cycle_world()
        coaching_cycle_start(relationship=world.relationship, by=world.coach, goal=world.goal)
        coaching_cycle_end(cycle=world.relationship.coaching_cycles.get(), by=world.coach)
        coaching_cycle_start(relationship=world.relationship, by=world.coach, goal=world.goal)
        for _ in range(visits):
            VisitFactory(relationship=world.relationship, logged=True, date=in_days(0))
        user = {
            "coach": world.coach,
            "protege": world.protege,
            "coordinator": world.coordinator,
        }[viewer]
        counts.append(_count(client, user, world.relationship.get_absolute_url()))
    # The cycle's section: its stages, the cycles, the current one's records, its visits.
    assert counts == [WITH_A_CYCLE[viewer]] * 2


def test_dashboard_with_cycles_costs_the_same_for_1_and_30_relationships(client):
    """Four queries more than a program without stages, whatever the number of cycles: the
    pauses since each current stage began are one of them."""
    world = cycle_world()
    coaching_cycle_start(relationship=world.relationship, by=world.coach)
    one = _count(client, world.coordinator, f"/programs/{world.program.code}/")
    for _ in range(29):
        relationship = relationship_in(world.program, kind="coaching")
        coaching_cycle_start(relationship=relationship, by=relationship.mentor)
    many = _count(client, world.coordinator, f"/programs/{world.program.code}/")
    assert one == many == DASHBOARD + 4
