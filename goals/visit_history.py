"""A visit's history keeps the goals it addressed, as it did when they were a field of the
visit: each version of a visit (relationships' `HistoricalVisit`) has a `HistoricalVisitGoal`
row per goal it addressed then, and a change of the goals alone is a new version, by whoever
made it. Connected in goals/apps.py."""

from django.db.models.signals import m2m_changed
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from core import clock
from goals.models import Goal, HistoricalVisitGoal
from relationships.models import Visit

CHANGES = {"post_add", "post_remove", "post_clear"}


def _keep_goals(version) -> None:
    HistoricalVisitGoal.objects.bulk_create(
        HistoricalVisitGoal(history=version, id=row.pk, visit_id=row.visit_id, goal_id=row.goal_id)
        for row in Goal.visits.through.objects.filter(visit_id=version.id)
    )


def on_version(sender, history_instance, **kwargs) -> None:
    """A visit saved: its new version keeps the goals it addresses."""
    _keep_goals(history_instance)


def _signed_in_user():
    """Who made the change: the person of the request (simple_history's middleware keeps it),
    as for a version made by a save."""
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user if user is not None and user.is_authenticated else None


def on_goals_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """The goals of a visit changed: a new version of the visit, with them."""
    if action not in CHANGES:
        return
    visits = [instance] if reverse else list(Visit.objects.filter(pk__in=pk_set or ()))
    versions = Visit.history.bulk_history_create(
        visits, update=True, default_user=_signed_in_user(), default_date=clock.now()
    )
    for version in versions:
        _keep_goals(version)


def connect() -> None:
    post_create_historical_record.connect(
        on_version, sender=Visit.history.model, dispatch_uid="goals.visit_history.version"
    )
    m2m_changed.connect(
        on_goals_changed, sender=Goal.visits.through, dispatch_uid="goals.visit_history.goals"
    )
