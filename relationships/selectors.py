"""Reads for the mentor and coach workspace: the caseload, a relationship's timeline, the
upcoming visits of a person's calendar.

Each function costs a fixed number of queries however many rows there are: counts and dates
come from grouped queries or correlated subqueries, never from a query per row.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import User
from django.db.models import F, Model, OuterRef, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core import clock
from core.querytools import head_and_total, subquery_count
from programs.models import Enrollment, ProtegeProfile
from relationships.figures import (
    NO_GOALS,
    NO_VISITS,
    GoalFigures,
    VisitFigures,
    goal_figures,
    visit_figures,
)
from relationships.models import (
    OPEN_STATUSES,
    Acknowledgement,
    ClassroomTeam,
    SupportRelationship,
    Visit,
    first_deadline,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def calendar_relationships(user: User) -> QuerySet[SupportRelationship]:
    """Open relationships a person takes part in, as mentor, coach, protégé or team member."""
    # Compared with the person's role sets: joining to the supervisors of protégés and team
    # members made PostgreSQL scan every relationship (0.4 s at state scale).
    return SupportRelationship.objects.open().taken_part_in_by(user)


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


class CaseloadAnnotations(TypedDict):
    team_size: int
    career_stage: str | None


if TYPE_CHECKING:
    # A relationship of `caseload_for`, with what it annotates.
    CaseloadRelationship = WithAnnotations[SupportRelationship, CaseloadAnnotations]


def caseload_for(user: User, *, ended: bool = False) -> "QuerySet[CaseloadRelationship]":
    """A mentor's or coach's open (or ended) relationships, grouped by program, with the size
    of their team (`team_size`, 0 for one protégé): what the caseload page paginates. The
    page's figures come from `caseload_rows`, for its rows only."""
    # A subquery rather than Count("team__members"): a GROUP BY over five joined tables
    # doubled PostgreSQL's planning time (1.4 to 2.7 ms) to save 0.5 ms of Python.
    team_members = ClassroomTeam.members.through.objects.filter(classroomteam=OuterRef("team"))
    queryset = SupportRelationship.objects.filter(mentor=user)
    if ended:
        queryset = queryset.exclude(status__in=OPEN_STATUSES)
    else:
        queryset = queryset.open()
    return (
        queryset.select_related("program", "protege", "team")
        .annotate(
            team_size=subquery_count(team_members),
            # The card shows the stage alone: a column, not a profile object per row.
            career_stage=F("protege__protege_profile__career_stage"),
        )
        .order_by("program__name", "program_id", "kind", "pk")
    )


@dataclass
class Due:
    """One line of what the dosage asks for now."""

    text: str
    overdue: bool = False


@dataclass(frozen=True)
class CaseloadRow:
    """One relationship of the caseload, with its figures and what is due."""

    relationship: SupportRelationship
    visits: VisitFigures
    goals: GoalFigures
    logs_unacknowledged: int
    due: list[Due]
    career_stage: str  # the protégé's ("" for a team or a protégé without one)


def caseload_rows(
    relationships: "Sequence[CaseloadRelationship]", *, today: datetime.date
) -> list[CaseloadRow]:
    """The rows of a page of `caseload_for`: three queries, whatever their number. The figures
    come from grouped queries over the page's relationships, not from a correlated subquery
    per figure on every row of the caseload, which cost more to build and compile than to
    run."""
    if not relationships:
        return []
    ids = [relationship.pk for relationship in relationships]
    visits = visit_figures(ids, today=today)
    goals = goal_figures(ids)
    waiting = logs_waiting(
        {relationship.pk: _people(relationship) for relationship in relationships}
    )
    rows = []
    for relationship in relationships:
        row_visits = visits.get(relationship.pk, NO_VISITS)
        row_goals = goals.get(relationship.pk, NO_GOALS)
        rows.append(
            CaseloadRow(
                relationship=relationship,
                visits=row_visits,
                goals=row_goals,
                logs_unacknowledged=waiting.get(relationship.pk, 0),
                due=dosage_due(relationship, row_visits, row_goals, today=today),
                career_stage=relationship.career_stage or "",
            )
        )
    return rows


def _people(relationship: "CaseloadRelationship") -> int:
    """How many people a relationship of `caseload_for` supports: one, or its team's members."""
    return relationship.team_size if relationship.team_id else 1


def logs_waiting(people: dict[int, int]) -> dict[int, int]:
    """How many logs of each relationship wait for an acknowledgement, by id (one query).

    `people`: how many people each relationship supports, by id. A log waits until every one
    of them has acknowledged it: the protégé, or each member of the team, who signs for
    themselves. Only logs with fewer signatures than the largest number come back."""
    if not people:
        return {}
    # A correlated count, looked up in the index for each of these logs: a join to the
    # acknowledgements lets PostgreSQL hash every acknowledgement in the database instead.
    signatures = (
        Visit.objects.logged()
        .filter(relationship__in=list(people))
        .annotate(signed=subquery_count(Acknowledgement.objects.filter(visit=OuterRef("pk"))))
        .filter(signed__lt=max(people.values()))
        .order_by()
        .values_list("relationship_id", "signed")
    )
    return dict(Counter(pk for pk, signed in signatures if signed < people[pk]))


def _first_due(what: str, deadline: datetime.date, today: datetime.date) -> Due:
    overdue = deadline < today
    day = date_format(deadline, pgettext("short month and day", "M j"))
    if what == "visit":
        text = _("First visit was due %(day)s") if overdue else _("First visit due by %(day)s")
    else:
        text = _("First goal was due %(day)s") if overdue else _("First goal due by %(day)s")
    return Due(text % {"day": day}, overdue)


def dosage_due(
    relationship: SupportRelationship,
    visits: VisitFigures,
    goals: GoalFigures,
    *,
    today: datetime.date | None = None,
) -> list[Due]:
    """What is due under the program's dosage, and what the mentor's logs still lack, from the
    relationship's figures (no queries)."""
    today = today or clock.today()
    due: list[Due] = []
    if not relationship.is_open:
        return due
    if relationship.status != SupportRelationship.Status.PAUSED:
        due.extend(_dosage_lines(relationship, visits, goals, today))
    if visits.observations_to_complete:  # not a matter of dosage: a paused relationship too
        count = visits.observations_to_complete
        due.append(
            Due(
                ngettext(
                    "%(count)s observation log needs feedback",
                    "%(count)s observation logs need feedback",
                    count,
                )
                % {"count": count},
                overdue=True,
            )
        )
    return due


def _dosage_lines(
    relationship: SupportRelationship,
    visits: VisitFigures,
    goals: GoalFigures,
    today: datetime.date,
) -> list[Due]:
    """What the program's dosage asks for now (an active or proposed relationship)."""
    due: list[Due] = []
    for what, days, done in (
        ("visit", "days_to_first_visit", visits.last_visit_on is not None),
        ("goal", "days_to_first_goal", bool(goals.goal_count)),
    ):
        deadline = first_deadline(relationship.starts_on, relationship.expected(days), done=done)
        if deadline is not None:
            due.append(_first_due(what, deadline, today))
    expected_visits = relationship.expected("visits_per_month")
    if expected_visits:
        missing = expected_visits - visits.visits_this_month
        if missing > 0:
            due.append(
                Due(
                    ngettext(
                        "%(count)s more visit this month",
                        "%(count)s more visits this month",
                        missing,
                    )
                    % {"count": missing}
                )
            )
    expected_minutes = relationship.expected("minutes_per_month")
    if expected_minutes:
        missing = expected_minutes - visits.minutes_this_month
        if missing > 0:
            due.append(
                Due(
                    ngettext(
                        "%(count)s more minute this month",
                        "%(count)s more minutes this month",
                        missing,
                    )
                    % {"count": missing}
                )
            )
    if visits.overdue_scheduled:
        count = visits.overdue_scheduled
        due.append(
            Due(
                ngettext(
                    "%(count)s past scheduled visit to log or cancel",
                    "%(count)s past scheduled visits to log or cancel",
                    count,
                )
                % {"count": count},
                overdue=True,
            )
        )
    return due


# Relationship page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportedPerson:
    """One person a relationship supports, as its page describes them."""

    person: User
    profile: ProtegeProfile | None
    enrollment: Enrollment | None  # their current enrollment as a protégé in the program


def supported_people(relationship: SupportRelationship) -> list[SupportedPerson]:
    """The protégé, or the team's members, with their profile and enrollment in the program
    (for the career stage, age group taught and why they take part). Two queries at most."""
    if relationship.team is not None:
        people = relationship.team.members.all()
    elif relationship.protege_id is not None:
        people = User.objects.filter(pk=relationship.protege_id)
    else:
        return []
    found = list(people.select_related("protege_profile").order_by("last_name", "first_name"))
    enrollments: dict[int, Enrollment] = {}
    if found:
        for enrollment in Enrollment.objects.current().filter(
            program_id=relationship.program_id,
            role=Enrollment.Role.PROTEGE,
            person__in=[person.pk for person in found],
        ):
            enrollments.setdefault(enrollment.person_id, enrollment)
    return [
        SupportedPerson(
            person=person,
            profile=getattr(person, "protege_profile", None),
            enrollment=enrollments.get(person.pk),
        )
        for person in found
    ]


@dataclass
class TimelineEvent:
    date: datetime.date
    kind: str  # "visit" or "goal"
    title: str
    visit: Visit | None = None
    goal: Model | None = None  # a goals.Goal (the app above)
    detail: str = ""
    badges: list[str] = field(default_factory=list)
    sort_key: tuple = ()


class Timeline(Sequence):
    """The newest events of a relationship's timeline and how many there are in all: what a
    Paginator needs, without reading the visits of pages nobody asked for."""

    def __init__(self, events: list[TimelineEvent], total: int):
        self.events, self.total = events, total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.events[index]


def timeline(relationship: SupportRelationship, *, newest: int) -> Timeline:
    """Logged and cancelled visits and goal events, newest first (scheduled visits are listed
    apart, as what is coming), correct for the `newest` first events. Two queries, whatever
    the length: the newest `newest` visits with their count, and the goals (a handful)."""
    events: list[TimelineEvent] = []
    visits, visit_total = head_and_total(
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
        .order_by("-date", "-pk"),
        # The first `newest` events hold at most `newest` visits, and no older visit can come
        # before them: the goal events fill in between.
        newest,
    )
    for visit in visits:
        title = {
            Visit.Status.LOGGED: _("Visit logged"),
            Visit.Status.CANCELLED: _("Visit cancelled"),
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
        created = clock.local_date(goal.created_at)
        events.append(
            TimelineEvent(
                date=created,
                kind="goal",
                title=_("Goal assigned") if goal.origin == "prescribed" else _("Goal proposed"),
                goal=goal,
                sort_key=(created, 0, goal.pk, 0),
            )
        )
        if goal.agreed_at and goal.origin == "collaborative":
            agreed = clock.local_date(goal.agreed_at)
            events.append(
                TimelineEvent(
                    date=agreed,
                    kind="goal",
                    title=_("Goal agreed"),
                    goal=goal,
                    sort_key=(agreed, 0, goal.pk, 1),
                )
            )
        if goal.closed_at:
            closed = clock.local_date(goal.closed_at)
            events.append(
                TimelineEvent(
                    date=closed,
                    kind="goal",
                    title=_("Goal %(status)s") % {"status": goal.get_status_display().lower()},
                    goal=goal,
                    detail=goal.close_reason,
                    sort_key=(closed, 0, goal.pk, 2),
                )
            )
    events.sort(key=lambda event: event.sort_key, reverse=True)
    goal_events = len(events) - len(visits)
    return Timeline(events[:newest], visit_total + goal_events)


# Calendar -------------------------------------------------------------------------------------


def feed_visits(user: User) -> QuerySet[Visit]:
    """Every scheduled visit of the person's open relationships: what the iCalendar feed holds."""
    # The relationships' ids as a list (a person has a few dozen at most): as a subquery beside
    # five joins, PostgreSQL spent 17 ms planning a query that ran in 1 ms.
    relationship_ids = list(calendar_relationships(user).values_list("pk", flat=True))
    return (
        Visit.objects.scheduled()
        .filter(relationship__in=relationship_ids)
        .select_related(
            "relationship",
            "relationship__program",
            "relationship__protege",
            "relationship__team",
            "relationship__mentor",
        )
        .order_by("date", "start_time", "pk")
    )


def upcoming_visits(user: User, *, today: datetime.date | None = None) -> QuerySet[Visit]:
    """Scheduled visits from today on across the person's open relationships."""
    return feed_visits(user).filter(date__gte=today or clock.today())


def predecessors(relationship: SupportRelationship, user: User) -> list[SupportRelationship]:
    """The relationships this one continues, the latest first: who the protégé (or team) had
    before when a mentor or coach left (relationships/turnover.py). Only those `user` may see
    (the logistics tier of each: its own people, the program's coordinators), in one query."""
    if relationship.continues_id is None:
        return []
    same = SupportRelationship.objects.filter(
        program=relationship.program_id, kind=relationship.kind
    )
    if relationship.team_id is not None:
        same = same.filter(team=relationship.team_id)
    else:
        same = same.filter(protege=relationship.protege_id)
    chain = {r.pk: r for r in same.visible_to(user).select_related("mentor")}
    found = []
    previous = chain.get(relationship.continues_id)
    while previous is not None and previous not in found:
        found.append(previous)
        previous = chain.get(previous.continues_id) if previous.continues_id else None
    return found
