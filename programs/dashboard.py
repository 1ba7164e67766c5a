"""What the coordinator's program dashboard shows, as selectors.

Every figure comes from a fixed number of queries, however many relationships, visits or goals
the program has: per-relationship figures are correlated subqueries and CASE expressions on one
query, never a query per row. Everything here is logistics (dates, counts, statuses): nothing
from the shared conversation or the private tier.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, Trim, TruncMonth
from django.utils import timezone

from programs.models import Enrollment, Program
from programs.querytools import subquery_count

STATUS_FILTERS = {
    "open": ("Open", ("proposed", "active", "paused")),
    "active": ("Active", ("active",)),
    "paused": ("Paused", ("paused",)),
    "ended": ("Ended", ("completed", "ended_early")),
    "all": ("All", None),
}

FLAGS = {
    "flag_first_visit": "First visit overdue",
    "flag_no_goal": "No goal yet",
    "flag_behind": "Behind dosage",
    "flag_observation": "Observation without feedback",
}
FLAG_FILTERS = {
    "any": "Any flag",
    "first_visit": FLAGS["flag_first_visit"],
    "no_goal": FLAGS["flag_no_goal"],
    "behind": FLAGS["flag_behind"],
    "observation": FLAGS["flag_observation"],
}


@dataclass
class Filters:
    status: str = "open"
    kind: str = ""
    mentor: int | None = None
    flag: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data) -> "Filters":
        status = data.get("status") or "open"
        kind = data.get("kind") or ""
        flag = data.get("flag") or ""
        try:
            mentor = int(data.get("mentor") or 0) or None
        except ValueError:
            mentor = None
        return cls(
            status=status if status in STATUS_FILTERS else "open",
            kind=kind if kind in ("mentoring", "coaching") else "",
            mentor=mentor,
            flag=flag if flag in FLAG_FILTERS else "",
            q=(data.get("q") or "").strip()[:100],
        )

    def as_query(self) -> dict[str, str]:
        values = {
            "status": self.status,
            "kind": self.kind,
            "mentor": str(self.mentor or ""),
            "flag": self.flag,
            "q": self.q,
        }
        return {name: value for name, value in values.items() if value}


def month_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following


def pace(expected: int | None, today: datetime.date) -> int:
    """How much of a monthly expectation should be done by today (rounded down)."""
    if not expected:
        return 0
    days = calendar.monthrange(today.year, today.month)[1]
    return expected * today.day // days


def _overrides(program: Program) -> dict[str, set[int]]:
    """The relationship-level dosage values that differ from the program's (one query)."""
    names = ("days_to_first_visit", "days_to_first_goal", "visits_per_month", "minutes_per_month")
    found: dict[str, set[int]] = {name: set() for name in names}
    rows = (
        program.relationships.filter(
            Q(days_to_first_visit__isnull=False)
            | Q(days_to_first_goal__isnull=False)
            | Q(visits_per_month__isnull=False)
            | Q(minutes_per_month__isnull=False)
        )
        .values_list(*names)
        .distinct()
    )
    for row in rows:
        for name, value in zip(names, row, strict=True):
            if value is not None:
                found[name].add(value)
    return found


def _per_expectation(program: Program, overrides: dict, name: str, build) -> Q:
    """OR of `build(value)` over the program's value (rows without their own) and each
    relationship-level value: a way to compare with a per-row expectation in plain SQL."""
    condition = Q(pk__in=[])
    own = getattr(program, name)
    if own is not None:
        condition |= Q(**{f"{name}__isnull": True}) & build(own)
    for value in overrides[name]:
        condition |= Q(**{name: value}) & build(value)
    return condition


def _flag(condition: Q):
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def relationship_rows(
    program: Program, filters: Filters | None = None, *, today: datetime.date | None = None
) -> QuerySet:
    """The program's relationships with everything a dashboard row shows, annotated."""
    from goals.models import Goal
    from relationships.models import ClassroomTeam, SupportRelationship, Visit

    filters = filters or Filters()
    today = today or timezone.localdate()
    month_start, month_end = month_bounds(today)
    overrides = _overrides(program)

    logged = Visit.objects.filter(relationship=OuterRef("pk"), status=Visit.Status.LOGGED)
    this_month = logged.filter(date__gte=month_start, date__lt=month_end)
    minutes = (
        this_month.order_by()
        .values("relationship")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    observation_without_feedback = logged.annotate(trimmed_feedback=Trim("feedback")).filter(
        activities__icontains='"observing"', trimmed_feedback=""
    )
    members = ClassroomTeam.members.through.objects.filter(classroomteam=OuterRef("team"))

    queryset = SupportRelationship.objects.filter(program=program)
    statuses = STATUS_FILTERS[filters.status][1]
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.mentor:
        queryset = queryset.filter(mentor_id=filters.mentor)
    if filters.q:
        words = Q()
        for word in filters.q.split():
            words &= (
                Q(mentor__first_name__icontains=word)
                | Q(mentor__last_name__icontains=word)
                | Q(mentor__username__icontains=word)
                | Q(protege__first_name__icontains=word)
                | Q(protege__last_name__icontains=word)
                | Q(protege__username__icontains=word)
                | Q(team__name__icontains=word)
            )
        queryset = queryset.filter(words)

    active = Q(status=SupportRelationship.Status.ACTIVE)
    first_visit_late = _per_expectation(
        program,
        overrides,
        "days_to_first_visit",
        lambda days: Q(starts_on__lt=today - datetime.timedelta(days=days)),
    )
    behind = (
        _per_expectation(
            program,
            overrides,
            "visits_per_month",
            lambda n: Q(visits_this_month__lt=pace(n, today)),
        )
        | _per_expectation(
            program,
            overrides,
            "minutes_per_month",
            lambda n: Q(minutes_this_month__lt=pace(n, today)),
        )
    ) & Q(starts_on__lt=month_start)

    queryset = (
        queryset.select_related("program", "mentor", "protege", "team")
        .annotate(
            people=Case(
                When(team__isnull=True, then=Value(1)),
                default=subquery_count(members),
                output_field=IntegerField(),
            ),
            last_visit_on=Subquery(logged.order_by("-date").values("date")[:1]),
            visits_this_month=subquery_count(this_month),
            minutes_this_month=Coalesce(Subquery(minutes, output_field=IntegerField()), 0),
            goal_count=subquery_count(Goal.objects.filter(relationship=OuterRef("pk"))),
            has_observation_gap=Exists(observation_without_feedback),
        )
        .annotate(
            flag_first_visit=_flag(active & Q(last_visit_on__isnull=True) & first_visit_late),
            flag_no_goal=_flag(active & Q(goal_count=0)),
            flag_behind=_flag(active & behind),
            flag_observation=_flag(Q(has_observation_gap=True)),
        )
        .annotate(
            flag_count=Case(When(flag_first_visit=True, then=1), default=0)
            + Case(When(flag_no_goal=True, then=1), default=0)
            + Case(When(flag_behind=True, then=1), default=0)
            + Case(When(flag_observation=True, then=1), default=0)
        )
    )
    if filters.flag == "any":
        queryset = queryset.filter(flag_count__gt=0)
    elif filters.flag:
        queryset = queryset.filter(**{f"flag_{filters.flag}": True})
    return queryset.order_by(
        "-flag_count", F("last_visit_on").asc(nulls_first=True), "starts_on", "pk"
    )


@dataclass
class RowView:
    """One dashboard row, ready for the template (no queries)."""

    relationship: object
    flags: list[str] = field(default_factory=list)
    days_since_contact: int | None = None
    visits_expected: int | None = None
    minutes_expected: int | None = None
    first_visit_due: datetime.date | None = None
    first_goal_due: datetime.date | None = None


def row_view(relationship, *, today: datetime.date | None = None) -> RowView:
    today = today or timezone.localdate()
    view = RowView(relationship=relationship)
    view.flags = [label for name, label in FLAGS.items() if getattr(relationship, name)]
    last = relationship.last_visit_on
    view.days_since_contact = (today - last).days if last else None
    view.visits_expected = relationship.expected("visits_per_month")
    view.minutes_expected = relationship.expected("minutes_per_month")
    days = relationship.expected("days_to_first_visit")
    if days is not None and last is None:
        view.first_visit_due = relationship.starts_on + datetime.timedelta(days=days)
    days = relationship.expected("days_to_first_goal")
    if days is not None and not relationship.goal_count:
        view.first_goal_due = relationship.starts_on + datetime.timedelta(days=days)
    return view


def mentor_choices(program: Program) -> list[tuple[int, str]]:
    """Mentors and coaches with a relationship in the program, for the filter (one query)."""
    people = (
        User.objects.filter(pk__in=program.relationships.values("mentor_id"))
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
        .values_list("pk", "first_name", "last_name", "username")
    )
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in people]


# Program-wide figures ------------------------------------------------------------------------


def status_counts(program: Program) -> dict[str, int]:
    from relationships.models import SupportRelationship

    counts = dict.fromkeys(SupportRelationship.Status.values, 0)
    for row in program.relationships.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


@dataclass
class GoalFigures:
    counts: dict[str, int]
    labels: dict[str, str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def closed(self) -> int:
        return self.counts["met"] + self.counts["not_met"] + self.counts["closed"]

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def attainment(self) -> int | None:
        """Of the goals that reached a verdict (met or not met), the share met, in %."""
        decided = self.counts["met"] + self.counts["not_met"]
        return round(100 * self.counts["met"] / decided) if decided else None

    def chart(self) -> dict:
        items = [(self.labels[s], n) for s, n in self.counts.items() if n]
        return {
            "labels": [label for label, _ in items],
            "values": [n for _, n in items],
        }


def goal_figures(program: Program) -> GoalFigures:
    from goals.models import Goal

    counts = dict.fromkeys(Goal.Status.values, 0)
    rows = (
        Goal.objects.filter(relationship__program=program)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    return GoalFigures(counts=counts, labels=dict(Goal.Status.choices))


@dataclass
class Retention:
    enrolled: int
    current: int
    completed: int
    left: int
    reasons: list[tuple[str, int]]

    @property
    def rate(self) -> int | None:
        """Protégés still in the program or who completed it, of all who joined, in %."""
        if not self.enrolled:
            return None
        return round(100 * (self.current + self.completed) / self.enrolled)


def retention(program: Program) -> Retention:
    """Retention of protégés: who stays, who completed, who left and why (one query)."""
    rows = list(
        Enrollment.objects.filter(program=program, role=Enrollment.Role.PROTEGE)
        .order_by()
        .values("leaving_reason")
        .annotate(n=Count("pk"))
    )
    by_reason = {row["leaving_reason"]: row["n"] for row in rows}
    labels = dict(Enrollment.LeavingReason.choices)
    completed = by_reason.get(Enrollment.LeavingReason.COMPLETED, 0)
    current = by_reason.get("", 0)
    total = sum(by_reason.values())
    reasons = sorted(
        ((labels.get(reason, reason), n) for reason, n in by_reason.items() if reason),
        key=lambda item: -item[1],
    )
    return Retention(
        enrolled=total,
        current=current,
        completed=completed,
        left=total - current - completed,
        reasons=reasons,
    )


def visits_per_month(
    program: Program, *, today: datetime.date | None = None, months: int = 12
) -> list[dict]:
    """Logged visits and minutes for each of the last `months` months (one query)."""
    from relationships.models import Visit

    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = (
        Visit.objects.filter(
            relationship__program=program, status=Visit.Status.LOGGED, date__gte=first
        )
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(visits=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0))
    )
    found = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        found[month.replace(day=1)] = row
    result = []
    month = first
    for _ in range(months):
        row = found.get(month, {})
        result.append(
            {
                "month": month,
                "visits": row.get("visits", 0),
                "minutes": row.get("minutes", 0),
            }
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


def visits_chart(months: list[dict]) -> dict:
    return {
        "labels": [f"{row['month']:%b %Y}" for row in months],
        "values": [row["visits"] for row in months],
        "label": "Visits logged",
    }


def caseloads(program: Program) -> QuerySet:
    """The program's current mentors and coaches with their open relationships (across all
    programs, since a caseload is a person's whole load) against their limit."""
    from relationships.models import SupportRelationship

    open_rel = SupportRelationship.objects.open().filter(mentor=OuterRef("pk"))
    return (
        User.objects.filter(
            pk__in=Enrollment.objects.current()
            .filter(program=program, role=Enrollment.Role.MENTOR)
            .values("person_id")
        )
        .select_related("mentor_profile")
        .annotate(
            caseload=subquery_count(open_rel),
            in_program=subquery_count(open_rel.filter(program=program)),
            limit=Coalesce(F("mentor_profile__caseload_limit"), Value(12)),
        )
        .annotate(room=F("limit") - F("caseload"), over=F("caseload") - F("limit"))
        .order_by("room", Lower("last_name"), Lower("first_name"), "pk")
    )
