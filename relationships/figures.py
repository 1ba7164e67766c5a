"""Per-relationship figures from the visits and goals tables, for many relationships at once.

Lists (the coordinator's dashboard, a mentor's caseload, exports) show for each relationship
its last and next visit, this month's visits and minutes, and the like. Each figure here comes
from one grouped query over the visits (or goals) of all the relationships asked for, with
filtered aggregates: PostgreSQL reads each visit once, and Django builds one small query instead
of a correlated subquery per figure, which at state scale cost more to compile than to run.

Pass the relationships as a queryset (it becomes a subquery) or as a list of ids.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.db.models import (
    Count,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Trim
from django.db.models.lookups import Contains, Exact, IsNull

from core.months import month_bounds
from core.querytools import any_of
from relationships.models import Acknowledgement, ClassroomTeam, Pause, Visit
from relationships.pace import Spell, window_start


@dataclass(frozen=True)
class VisitFigures:
    """What the visits of one relationship add up to (zeros when it has none)."""

    last_visit_on: datetime.date | None = None
    next_visit_on: datetime.date | None = None
    visits_this_month: int = 0
    minutes_this_month: int = 0
    # Logged in the dosage pace window: last month and this month so far (relationships/pace.py).
    window_visits: int = 0
    window_minutes: int = 0
    overdue_scheduled: int = 0
    observations_without_feedback: int = 0
    # Of those, the ones not acknowledged yet, so that their mentor can still add the feedback.
    observations_to_complete: int = 0

    @property
    def has_observation_gap(self) -> bool:
        """A visit logged as an observation with no feedback written: an incomplete log."""
        return self.observations_without_feedback > 0


NO_VISITS = VisitFigures()


def _of(relationships: QuerySet | Iterable[int]) -> Q:
    """The filter for the rows of these relationships: a subquery, or a list of ids (as one
    array parameter on PostgreSQL: `core.querytools.any_of`)."""
    if isinstance(relationships, QuerySet):
        return Q(relationship__in=relationships)
    return any_of("relationship_id", relationships)


def visit_figures(
    relationships: QuerySet | Iterable[int], *, today: datetime.date, flags_only: bool = False
) -> dict[int, VisitFigures]:
    """VisitFigures by relationship id, in one query. Relationships without visits are left
    out: read with `.get(pk, NO_VISITS)`.

    `flags_only`: only the figures the flags and the dashboard's rows read (the last visit,
    this month's and the window's visits and minutes, the observations without feedback), from
    the logged visits alone; the next visit, the plans overdue and the logs still to complete
    (the caseload's and the digests') stay at zero. The dashboard asks this of every open
    relationship of its program, 2,000 of them in a big one: without the per-visit look-up of
    the acknowledgements, PostgreSQL reads a sixth fewer visits and no longer judges the query
    dear enough to compile it first (15 ms of JIT in a 49 ms query)."""
    month_start, month_end = month_bounds(today)
    logged = Q(status=Visit.Status.LOGGED)
    scheduled = Q(status=Visit.Status.SCHEDULED)
    this_month = logged & Q(date__gte=month_start, date__lt=month_end)
    in_window = logged & Q(date__gte=window_start(today), date__lte=today)
    # The cheap test first; the activities are searched as text, which SQLite and PostgreSQL
    # both do (JSON containment is PostgreSQL's only), and case-sensitively (no UPPER()).
    no_feedback = Q(Exact(Trim("feedback"), Value("")))
    observed = Q(Contains(Cast("activities", TextField()), f'"{Visit.Activity.OBSERVING}"'))
    observation_gap = logged & no_feedback & observed
    figures = {
        "last_visit_on": Max("date", filter=logged),
        "visits_this_month": Count("pk", filter=this_month),
        "minutes_this_month": Sum("duration_minutes", filter=this_month, default=0),
        "window_visits": Count("pk", filter=in_window),
        "window_minutes": Sum("duration_minutes", filter=in_window, default=0),
        "observations_without_feedback": Count("pk", filter=observation_gap),
    }
    visits = Visit.objects.filter(_of(relationships))
    if flags_only:
        visits = visits.filter(logged)
    else:
        # A log is edited until it is acknowledged. The test comes last, and is a scalar
        # subquery (`(SELECT id ... LIMIT 1) IS NULL`), not NOT EXISTS: PostgreSQL may turn a
        # NOT EXISTS into a hashed subplan that reads every acknowledgement in the database
        # once per query (7 ms at state scale), where a scalar subquery is looked up in the
        # index only for the few visits that pass the other tests. tests/test_explain.py
        # holds it to that.
        first_acknowledgement = (
            Acknowledgement.objects.filter(visit=OuterRef("pk")).order_by().values("pk")
        )
        still_editable = Q(IsNull(Subquery(first_acknowledgement[:1]), True))
        figures |= {
            "next_visit_on": Min("date", filter=scheduled & Q(date__gte=today)),
            "overdue_scheduled": Count("pk", filter=scheduled & Q(date__lt=today)),
            "observations_to_complete": Count("pk", filter=observation_gap & still_editable),
        }
    # The annotations' names come from a dict, which the type checker cannot follow.
    grouped = visits.order_by().values("relationship_id").annotate(**figures)
    rows = cast(Iterable[dict[str, Any]], grouped)
    return {
        row["relationship_id"]: VisitFigures(
            last_visit_on=row["last_visit_on"],
            next_visit_on=row.get("next_visit_on"),
            visits_this_month=row["visits_this_month"],
            minutes_this_month=row["minutes_this_month"],
            window_visits=row["window_visits"],
            window_minutes=row["window_minutes"],
            overdue_scheduled=row.get("overdue_scheduled", 0),
            observations_without_feedback=row["observations_without_feedback"],
            observations_to_complete=row.get("observations_to_complete", 0),
        )
        for row in rows
    }


def pauses(
    relationships: QuerySet | Iterable[int], *, today: datetime.date
) -> dict[int, list[Spell]]:
    """The pauses of these relationships that reach into the pace window, by relationship id
    (one query; relationships never paused then are left out)."""
    rows = (
        Pause.objects.filter(_of(relationships), starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=window_start(today)))
        .order_by()
        .values_list("relationship_id", "starts_on", "ends_on")
    )
    found: dict[int, list[Spell]] = {}
    for pk, starts_on, ends_on in rows:
        found.setdefault(pk, []).append((starts_on, ends_on))
    return found


@dataclass(frozen=True)
class GoalFigures:
    """How many goals one relationship has, open or not (zeros when it has none)."""

    goal_count: int = 0
    open_goals: int = 0
    goals_awaiting_mentor: int = 0


NO_GOALS = GoalFigures()


def goal_figures(relationships: QuerySet | Iterable[int]) -> dict[int, GoalFigures]:
    """GoalFigures by relationship id, in one query (`.get(pk, NO_GOALS)` for the rest)."""
    Goal = apps.get_model("goals", "Goal")  # goals sits above relationships (docs/design.md)
    rows = (
        Goal.objects.filter(_of(relationships))
        .order_by()
        .values("relationship_id")
        .annotate(
            goal_count=Count("pk"),
            open_goals=Count("pk", filter=Q(status__in=Goal.OPEN_STATUSES)),
            goals_awaiting_mentor=Count(
                "pk", filter=Q(status=Goal.Status.PROPOSED, mentor_agreed_at__isnull=True)
            ),
        )
    )
    return {
        row["relationship_id"]: GoalFigures(
            goal_count=row["goal_count"],
            open_goals=row["open_goals"],
            goals_awaiting_mentor=row["goals_awaiting_mentor"],
        )
        for row in rows
    }


def team_sizes(team_ids: Iterable[int]) -> dict[int, int]:
    """How many members each team has, by team id (one query)."""
    members = ClassroomTeam.members.through.objects.filter(classroomteam_id__in=set(team_ids))
    rows = members.order_by().values("classroomteam_id").annotate(n=Count("pk"))
    return {row["classroomteam_id"]: row["n"] for row in rows}
