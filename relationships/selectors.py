"""Reads for the mentor and coach workspace: the caseload, a relationship's timeline, the
upcoming visits of a person's calendar.

Each function costs a fixed number of queries however many rows there are: counts and dates
come from correlated subqueries, never from a query per row.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from programs.models import Enrollment
from programs.querytools import subquery_count
from relationships.models import (
    Acknowledgement,
    ClassroomTeam,
    SupportRelationship,
    Visit,
)


def _supervised_q(user: User) -> Q:
    return Q(protege__protege_profile__supervisor=user) | Q(
        team__members__protege_profile__supervisor=user
    )


def relationship_scope(user: User) -> QuerySet[SupportRelationship]:
    """Relationships whose pages a person may open: participants and the program's coordinators.

    The same as `SupportRelationship.objects.visible_to()`, except that an admin is not special
    here: admins read records through Django admin, not through the workspace pages.
    """
    if not user.is_authenticated:
        return SupportRelationship.objects.none()
    if not user.is_superuser:
        return SupportRelationship.objects.visible_to(user)
    participant = SupportRelationship.objects.for_participant(user).exclude(_supervised_q(user))
    return SupportRelationship.objects.filter(
        Q(pk__in=participant.values("pk")) | Q(program__coordinators=user)
    ).distinct()


def visit_scope(user: User) -> QuerySet[Visit]:
    return Visit.objects.filter(relationship__in=relationship_scope(user))


def calendar_relationships(user: User) -> QuerySet[SupportRelationship]:
    """Open relationships a person takes part in, as mentor, coach, protégé or team member."""
    return SupportRelationship.objects.open().for_participant(user).exclude(_supervised_q(user))


def usual_location(relationship: SupportRelationship) -> str:
    """Where this relationship usually meets: the place of its latest visit with one."""
    return (
        relationship.visits.exclude(location="")
        .exclude(status=Visit.Status.CANCELLED)
        .order_by("-date", "-pk")
        .values_list("location", flat=True)
        .first()
        or ""
    )


# Caseload -------------------------------------------------------------------------------------


def _month_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following


def caseload_for(
    user: User, *, today: datetime.date | None = None, ended: bool = False
) -> QuerySet[SupportRelationship]:
    """A mentor's or coach's relationships, grouped by program, with what the caseload page
    shows annotated on each row: last and next visit, this month's visits and minutes, goals
    and logs waiting for the protégé."""
    today = today or timezone.localdate()
    month_start, month_end = _month_bounds(today)
    logged = Visit.objects.filter(relationship=OuterRef("pk"), status=Visit.Status.LOGGED)
    logged_this_month = logged.filter(date__gte=month_start, date__lt=month_end)
    minutes = (
        logged_this_month.order_by()
        .values("relationship")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    Goal = apps.get_model("goals", "Goal")  # goals sits above relationships (DESIGN.md)

    # A log waits until every person supported has acknowledged it (each team member signs).
    waiting = (
        Visit.objects.filter(relationship=OuterRef("pk"), status=Visit.Status.LOGGED)
        .annotate(signed=subquery_count(Acknowledgement.objects.filter(visit=OuterRef("pk"))))
        .filter(signed__lt=OuterRef("people"))
    )
    queryset = SupportRelationship.objects.filter(mentor=user)
    if ended:
        queryset = queryset.exclude(status__in=["proposed", "active", "paused"])
    else:
        queryset = queryset.open()
    return (
        queryset.select_related("program", "protege", "protege__protege_profile", "team")
        .annotate(
            people=_people_count(),
            last_visit_on=Subquery(logged.order_by("-date").values("date")[:1]),
            next_visit_on=Subquery(
                Visit.objects.filter(
                    relationship=OuterRef("pk"),
                    status=Visit.Status.SCHEDULED,
                    date__gte=today,
                )
                .order_by("date", "start_time")
                .values("date")[:1]
            ),
            overdue_scheduled=subquery_count(
                Visit.objects.filter(
                    relationship=OuterRef("pk"),
                    status=Visit.Status.SCHEDULED,
                    date__lt=today,
                )
            ),
            visits_this_month=subquery_count(logged_this_month),
            minutes_this_month=Coalesce(Subquery(minutes, output_field=IntegerField()), 0),
            goal_count=subquery_count(Goal.objects.filter(relationship=OuterRef("pk"))),
            open_goals=subquery_count(Goal.objects.open().filter(relationship=OuterRef("pk"))),
            goals_awaiting_me=subquery_count(
                Goal.objects.filter(
                    relationship=OuterRef("pk"),
                    status=Goal.Status.PROPOSED,
                    mentor_agreed_at__isnull=True,
                )
            ),
            logs_unacknowledged=subquery_count(waiting),
        )
        .order_by("program__name", "program_id", "kind", "pk")
    )


def _people_count():
    """How many people a relationship supports: one, or the members of its team."""
    members = ClassroomTeam.members.through.objects.filter(classroomteam=OuterRef("team"))
    return Case(
        When(team__isnull=True, then=Value(1)),
        default=subquery_count(members),
        output_field=IntegerField(),
    )


@dataclass
class Due:
    """One line of what the dosage asks for now."""

    text: str
    overdue: bool = False


def dosage_due(
    relationship: SupportRelationship, *, today: datetime.date | None = None
) -> list[Due]:
    """What is due under the program's dosage, from the row's annotations (no queries)."""
    today = today or timezone.localdate()
    due: list[Due] = []
    if not relationship.is_open or relationship.status == SupportRelationship.Status.PAUSED:
        return due
    days_first_visit = relationship.expected("days_to_first_visit")
    if days_first_visit is not None and relationship.last_visit_on is None:
        deadline = relationship.starts_on + datetime.timedelta(days=days_first_visit)
        due.append(
            Due(
                f"First visit {'was due' if deadline < today else 'due by'} "
                f"{deadline:%b} {deadline.day}",
                overdue=deadline < today,
            )
        )
    days_first_goal = relationship.expected("days_to_first_goal")
    if days_first_goal is not None and not relationship.goal_count:
        deadline = relationship.starts_on + datetime.timedelta(days=days_first_goal)
        due.append(
            Due(
                f"First goal {'was due' if deadline < today else 'due by'} "
                f"{deadline:%b} {deadline.day}",
                overdue=deadline < today,
            )
        )
    visits = relationship.expected("visits_per_month")
    if visits:
        missing = visits - relationship.visits_this_month
        if missing > 0:
            due.append(Due(f"{missing} more visit{'s' if missing != 1 else ''} this month"))
    minutes = relationship.expected("minutes_per_month")
    if minutes:
        missing = minutes - relationship.minutes_this_month
        if missing > 0:
            due.append(Due(f"{missing} more minutes this month"))
    if relationship.overdue_scheduled:
        count = relationship.overdue_scheduled
        due.append(
            Due(
                f"{count} past scheduled visit{'s' if count != 1 else ''} to log or cancel",
                overdue=True,
            )
        )
    return due


# Relationship page ---------------------------------------------------------------------------


def supported_people(relationship: SupportRelationship) -> list[User]:
    """The protégé, or the team's members, with their profile and enrollment in the program
    (for the career stage, age group taught and why they take part). Two queries at most."""
    enrollments = Prefetch(
        "enrollments",
        queryset=Enrollment.objects.current().filter(
            program_id=relationship.program_id, role=Enrollment.Role.PROTEGE
        ),
        to_attr="program_enrollments",
    )
    if relationship.team_id:
        people = relationship.team.members.select_related("protege_profile")
    else:
        people = User.objects.filter(pk=relationship.protege_id).select_related("protege_profile")
    people = list(people.prefetch_related(enrollments).order_by("last_name", "first_name"))
    for person in people:
        person.program_enrollment = (
            person.program_enrollments[0] if person.program_enrollments else None
        )
        person.profile = getattr(person, "protege_profile", None)
    return people


@dataclass
class TimelineEvent:
    date: datetime.date
    kind: str  # "visit" or "goal"
    title: str
    visit: Visit | None = None
    goal: object | None = None
    detail: str = ""
    badges: list[str] = field(default_factory=list)
    sort_key: tuple = ()


def timeline(relationship: SupportRelationship) -> list[TimelineEvent]:
    """Logged and cancelled visits and goal events, newest first (scheduled visits are listed
    apart, as what is coming). Two queries, whatever the length."""
    events: list[TimelineEvent] = []
    visits = (
        relationship.visits.exclude(status=Visit.Status.SCHEDULED)
        .only(
            "code",
            "status",
            "date",
            "start_time",
            "duration_minutes",
            "location",
            "activities",
            "feedback",
            "cancel_reason",
            "relationship_id",
            "created_by_id",
        )
        .annotate(
            acknowledged_by=subquery_count(Acknowledgement.objects.filter(visit=OuterRef("pk")))
        )
    )
    for visit in visits:
        title = {
            Visit.Status.LOGGED: "Visit logged",
            Visit.Status.CANCELLED: "Visit cancelled",
        }[visit.status]
        events.append(
            TimelineEvent(
                date=visit.date,
                kind="visit",
                title=title,
                visit=visit,
                sort_key=(visit.date, 1, visit.pk),
            )
        )
    goals = relationship.goals.only(
        "code",
        "title",
        "status",
        "origin",
        "created_at",
        "agreed_at",
        "closed_at",
        "close_reason",
        "relationship_id",
    )
    for goal in goals:
        created = timezone.localdate(goal.created_at)
        events.append(
            TimelineEvent(
                date=created,
                kind="goal",
                title="Goal assigned" if goal.origin == "prescribed" else "Goal proposed",
                goal=goal,
                sort_key=(created, 0, goal.pk, 0),
            )
        )
        if goal.agreed_at and goal.origin == "collaborative":
            agreed = timezone.localdate(goal.agreed_at)
            events.append(
                TimelineEvent(
                    date=agreed,
                    kind="goal",
                    title="Goal agreed",
                    goal=goal,
                    sort_key=(agreed, 0, goal.pk, 1),
                )
            )
        if goal.closed_at:
            closed = timezone.localdate(goal.closed_at)
            events.append(
                TimelineEvent(
                    date=closed,
                    kind="goal",
                    title=f"Goal {goal.get_status_display().lower()}",
                    goal=goal,
                    detail=goal.close_reason,
                    sort_key=(closed, 0, goal.pk, 2),
                )
            )
    events.sort(key=lambda event: event.sort_key, reverse=True)
    return events


# Calendar -------------------------------------------------------------------------------------


def upcoming_visits(user: User, *, today: datetime.date | None = None) -> QuerySet[Visit]:
    """Scheduled visits from today on across the person's open relationships."""
    today = today or timezone.localdate()
    return (
        Visit.objects.scheduled()
        .filter(relationship__in=calendar_relationships(user), date__gte=today)
        .select_related(
            "relationship",
            "relationship__program",
            "relationship__protege",
            "relationship__team",
            "relationship__mentor",
        )
        .order_by("date", "start_time", "pk")
    )


def feed_visits(user: User) -> QuerySet[Visit]:
    """Every scheduled visit of the person's open relationships: what the iCalendar feed holds."""
    return (
        Visit.objects.scheduled()
        .filter(relationship__in=calendar_relationships(user))
        .select_related(
            "relationship",
            "relationship__program",
            "relationship__protege",
            "relationship__team",
            "relationship__mentor",
        )
        .order_by("date", "start_time", "pk")
    )
