"""The roll-up grouped in the database (`build_rollup`) shows what the plain count,
relationship by relationship (`rollup_per_relationship`), shows: every table, cell for cell,
with the same cells suppressed, for periods that cut months in two, for each filter, and for a
world where most cells are small (fewer than 5 people) and suppression decides the tables."""

import dataclasses

import pytest

from reports.rollup.figures import build_rollup, rollup_per_relationship
from reports.rollup.scope import leader_scope
from tests.leaders.test_rollup_summaries import PERIODS, busy_world
from tests.leaders.world import district_world

pytestmark = pytest.mark.django_db


def cells(rollup):
    return {
        table.slug: (table.columns, table.rows, table.total, table.links, table.chart)
        for table in rollup.tables
    }


@pytest.mark.parametrize("filters", PERIODS, ids=["last-year", "this-year", "cut", "one-month"])
def test_grouped_equals_the_count_relationship_by_relationship(
    filters, django_capture_on_commit_callbacks
):
    world = busy_world(django_capture_on_commit_callbacks)
    scope = leader_scope(world.leader)
    grouped = build_rollup(scope, filters)
    assert cells(grouped) == cells(rollup_per_relationship(scope, filters))
    assert any(cell.suppressed for table in grouped.tables for row in table.rows for cell in row)


@pytest.mark.parametrize(
    "narrowed",
    [{"kind": "coaching"}, {"kind": "mentoring"}, {"sort": "-3"}, {"cohort": 2025}, {}],
)
def test_grouped_equals_the_count_for_each_filter(narrowed):
    world = district_world()
    scope = leader_scope(world.leader)
    for filters in PERIODS[:3]:
        filters = dataclasses.replace(filters, **narrowed)
        assert cells(build_rollup(scope, filters)) == cells(rollup_per_relationship(scope, filters))
        one = dataclasses.replace(filters, program=next(iter(scope.programs)))
        assert cells(build_rollup(scope, one)) == cells(rollup_per_relationship(scope, one))
