"""A visit's history (Django admin's) keeps the goals it addressed at each version, now that the
goals a visit addresses are a field of the goal (goals/visit_history.py)."""

import pytest

from core import clock
from goals.models import HistoricalVisitGoal
from relationships import services
from relationships.models import Visit
from tests import factories

pytestmark = pytest.mark.django_db


def _kept(visit: Visit) -> list[tuple[str, list[str]]]:
    versions = visit.history.order_by("history_date", "history_id")
    return [
        (
            version.history_type,
            sorted(
                visit.goals.model.objects.filter(
                    pk__in=HistoricalVisitGoal.objects.filter(history=version).values("goal_id")
                ).values_list("title", flat=True)
            ),
        )
        for version in versions
    ]


def test_each_version_of_a_visit_keeps_the_goals_it_addressed_then():
    relationship = factories.SupportRelationshipFactory()
    reading = factories.GoalFactory(relationship=relationship, title="Read-alouds")
    questions = factories.GoalFactory(relationship=relationship, title="Open questions")
    visit = services.visit_log(
        relationship=relationship,
        by=relationship.mentor,
        date=clock.today(),
        duration_minutes=45,
        goals=[reading],
    )
    assert _kept(visit) == [("+", []), ("~", ["Read-alouds"])]

    services.visit_update(visit=visit, by=relationship.mentor, goals=[reading, questions])
    services.visit_update(visit=visit, by=relationship.mentor, goals=[reading, questions])

    assert [title for title in visit.goals.values_list("title", flat=True).order_by("title")] == [
        "Open questions",
        "Read-alouds",
    ]
    assert _kept(visit)[2:] == [
        ("~", ["Read-alouds"]),  # the save, before the goals changed
        ("~", ["Open questions", "Read-alouds"]),
    ]


def test_a_goal_changed_in_django_admin_is_a_version_by_the_admin(admin_client, admin_user):
    visit = factories.VisitFactory()
    goal = factories.GoalFactory(relationship=visit.relationship, title="Read-alouds")
    page = admin_client.get(f"/admin/relationships/visit/{visit.pk}/change/")
    form = page.context["adminform"].form
    data = {
        field.html_name: field.value()
        for field in form
        if field.value() is not None and field.name != "goals"
    }
    data["goals"] = [goal.pk]
    for prefix in ("acknowledgements",):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = admin_client.post(f"/admin/relationships/visit/{visit.pk}/change/", data)

    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    )
    assert list(visit.goals.all()) == [goal]
    latest = visit.history.order_by("history_date", "history_id").last()
    assert latest.history_user == admin_user
    assert list(HistoricalVisitGoal.objects.filter(history=latest).values_list("goal_id")) == [
        (goal.pk,)
    ]
