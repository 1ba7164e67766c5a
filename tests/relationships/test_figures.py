"""The per-relationship visit figures (relationships/figures.py): the lean reading the
dashboard asks for gives the same figures as the whole one for what the flags read."""

import datetime

import pytest

from core import clock
from relationships.figures import NO_VISITS, visit_figures
from tests.factories import SupportRelationshipFactory, VisitFactory

pytestmark = pytest.mark.django_db

FLAG_FIGURES = (
    "last_visit_on",
    "visits_this_month",
    "minutes_this_month",
    "window_visits",
    "window_minutes",
    "observations_without_feedback",
)


def test_the_flags_figures_alone_equal_the_whole_figures_and_leave_the_rest_at_zero():
    today = clock.today()
    busy, planned_only, quiet = SupportRelationshipFactory.create_batch(3)
    VisitFactory(relationship=busy, logged=True, date=today, feedback="")  # an observation gap
    VisitFactory(relationship=busy, logged=True, date=today - datetime.timedelta(days=40))
    VisitFactory(relationship=busy, logged=True, date=today - datetime.timedelta(days=400))
    VisitFactory(relationship=busy, cancelled=True, date=today)
    VisitFactory(relationship=busy, date=today + datetime.timedelta(days=3))  # planned
    VisitFactory(relationship=busy, date=today - datetime.timedelta(days=3))  # plan overdue
    VisitFactory(relationship=planned_only, date=today + datetime.timedelta(days=1))
    ids = [busy.pk, planned_only.pk, quiet.pk]

    whole = visit_figures(ids, today=today)
    lean = visit_figures(ids, today=today, flags_only=True)

    for pk in ids:
        for name in FLAG_FIGURES:
            got = getattr(lean.get(pk, NO_VISITS), name)
            assert got == getattr(whole.get(pk, NO_VISITS), name), (pk, name)
    assert whole[busy.pk].observations_without_feedback == 1
    assert whole[busy.pk].next_visit_on and whole[busy.pk].overdue_scheduled == 1
    assert lean[busy.pk].next_visit_on is None and lean[busy.pk].overdue_scheduled == 0
    assert lean[busy.pk].observations_to_complete == 0
    assert planned_only.pk not in lean  # no logged visit: nothing for the flags to read
