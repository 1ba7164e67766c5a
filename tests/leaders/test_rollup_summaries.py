"""The roll-up reads the monthly summary rows (relationships/summaries.py): its figures equal
those of a fresh recount (`rebuild_summaries`) and those counted straight from the visits, for
visits on either side of a month's end and a year's, for a program year and for a period that
cuts months in two."""

import datetime
from collections import defaultdict

import pytest
from django.core.management import call_command

from relationships.models import Activity, Pause, Visit
from relationships.summary_refresh import split_minutes
from reports.rollup.figures import build_rollup, judged_months, load_relationships, pace_of
from reports.rollup.filters import Filters
from reports.rollup.scope import leader_scope
from tests.factories import VisitFactory
from tests.leaders.world import district_world

pytestmark = pytest.mark.django_db

D = datetime.date
PERIODS = (
    Filters(starts_on=D(2025, 8, 1), ends_on=D(2026, 7, 31)),  # last program year
    Filters(starts_on=D(2026, 8, 1), ends_on=D(2027, 7, 31)),  # this one (today: 2026-11-18)
    Filters(starts_on=D(2025, 12, 15), ends_on=D(2026, 10, 20)),  # months cut at both ends
    Filters(starts_on=D(2026, 1, 10), ends_on=D(2026, 1, 20)),  # inside one month
)
DAYS = (
    *(D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 15), D(2026, 1, 31), D(2026, 2, 1)),
    *(D(2026, 9, 30), D(2026, 10, 1), D(2026, 10, 20), D(2026, 10, 21), D(2026, 11, 2)),
)


def busy_world(on_commit):
    """The district's relationships, started long ago, with visits on both sides of month
    ends (two activities, three, none; odd minutes), a cancelled one and a pause. Each write
    commits its callbacks: the summaries are kept by the refresh tasks, as in production."""
    with on_commit(execute=True):
        return _busy_world()


def _busy_world():
    world = district_world(at_first=3, at_second=2)
    for n, relationship in enumerate(world.relationships):
        relationship.starts_on = D(2025, 9, 1)
        relationship.save()
        for i, day in enumerate(DAYS[n % 2 :: 1 + n % 2]):
            listed = [Activity.values[(i + k) % len(Activity.values)] for k in range(i % 4)]
            VisitFactory(
                relationship=relationship,
                logged=True,
                date=day,
                duration_minutes=25 + 7 * i + n,
                activities=listed,
            )
        VisitFactory(relationship=relationship, cancelled=True, date=D(2026, 1, 5))
    Pause.objects.create(
        relationship=world.relationships[0], starts_on=D(2026, 1, 10), ends_on=D(2026, 2, 20)
    )
    return world


def live(scope, filters):
    """What the roll-up counted before the summaries: each relationship's logged visits in
    the period by month, and by activity (a visit's minutes shared between its activities)."""
    months: dict = defaultdict(lambda: [0, 0])
    activities: dict = defaultdict(lambda: [0, 0])
    for pk, day, minutes, listed in Visit.objects.filter(
        status=Visit.Status.LOGGED, date__gte=filters.starts_on, date__lte=filters.ends_on
    ).values_list("relationship_id", "date", "duration_minutes", "activities"):
        months[(pk, day.replace(day=1))][0] += 1
        months[(pk, day.replace(day=1))][1] += minutes
        for name, share in split_minutes(minutes, listed):
            activities[(pk, name)][0] += 1
            activities[(pk, name)][1] += share
    return {k: tuple(v) for k, v in months.items()}, {k: tuple(v) for k, v in activities.items()}


def read(scope, filters):
    found = load_relationships(scope, filters)
    months = {(pk, m): v for pk, r in found.items() for m, v in r.months.items()}
    activities = {(pk, a): v for pk, r in found.items() for a, v in r.activities.items()}
    return found, months, activities


def cells(rollup):
    return {table.slug: (table.rows, table.total) for table in rollup.tables}


@pytest.mark.parametrize("filters", PERIODS, ids=["last-year", "this-year", "cut", "one-month"])
def test_the_figures_from_the_summaries_equal_a_fresh_recount_and_the_visits(
    filters, django_capture_on_commit_callbacks
):
    world = busy_world(django_capture_on_commit_callbacks)
    scope = leader_scope(world.leader)
    found, months, activities = read(scope, filters)
    assert months, "the period holds visits"
    assert (months, activities) == live(scope, filters)
    # What each month asked, from the summary rows, is what the pace rule counts afresh.
    judged = judged_months(filters, D(2026, 11, 18))
    for relationship in found.values():
        from_rows = pace_of(relationship, judged)
        relationship.owed.clear()
        assert pace_of(relationship, judged) == from_rows
    before = cells(build_rollup(scope, filters))
    call_command("rebuild_summaries", verbosity=0)
    assert read(scope, filters)[1:] == (months, activities)
    assert cells(build_rollup(scope, filters)) == before


def test_a_visit_moved_across_a_months_end_moves_in_the_roll_up(
    django_capture_on_commit_callbacks,
):
    world = busy_world(django_capture_on_commit_callbacks)
    scope = leader_scope(world.leader)
    filters = PERIODS[0]
    visit = Visit.objects.filter(status=Visit.Status.LOGGED, date=D(2026, 1, 31)).first()
    visit.date = D(2026, 2, 1)
    with django_capture_on_commit_callbacks(execute=True):
        visit.save()
    assert read(scope, filters)[1:] == live(scope, filters)
