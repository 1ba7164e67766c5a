"""CSV exports of a program's relationships, visits and goals, for the dashboard's filters.

Logistics only (dates, durations, activities, statuses, goal titles), unless the program lets
coordinators read shared logs: then the log sections and goal details are added, for the
relationships the person may read in that tier (never a supervised protégé's). Private notes
and private reflections are never exported.

Rows are streamed: the query count is fixed and memory stays flat however large the program.
"""

import csv
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.timezone import localdate

from programs.dashboard import FLAGS, Filters, relationship_rows
from programs.models import Program

KINDS = ("relationships", "visits", "goals")


class _Echo:
    def write(self, value):
        return value


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _date(value) -> str:
    return value.isoformat() if value else ""


def _supported(relationship) -> str:
    return relationship.team.name if relationship.team_id else _name(relationship.protege)


def shares_logs(program: Program, user: User) -> bool:
    """Whether this person reads the shared tier in this program as its coordinator."""
    return (
        program.coordinators_read_shared_logs and program.coordinators.filter(pk=user.pk).exists()
    )


def relationship_csv(program: Program, filters: Filters, user: User) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            "relationship",
            "kind",
            "format",
            "mentor or coach",
            "protégé or team",
            "people",
            "status",
            "starts on",
            "planned end",
            "ended on",
            "last visit",
            "visits this month",
            "visits expected per month",
            "minutes this month",
            "minutes expected per month",
            "goals",
            "flags",
        ]
    )
    for rel in relationship_rows(program, filters).iterator(chunk_size=500):
        yield writer.writerow(
            [
                rel.code,
                rel.get_kind_display(),
                rel.get_format_display(),
                _name(rel.mentor),
                _supported(rel),
                rel.people,
                rel.get_status_display(),
                _date(rel.starts_on),
                _date(rel.planned_end_on),
                _date(rel.ended_on),
                _date(rel.last_visit_on),
                rel.visits_this_month,
                rel.expected("visits_per_month") or "",
                rel.minutes_this_month,
                rel.expected("minutes_per_month") or "",
                rel.goal_count,
                "; ".join(label for name, label in FLAGS.items() if getattr(rel, name)),
            ]
        )


def _filtered_relationships(program: Program, filters: Filters) -> QuerySet:
    return relationship_rows(program, filters).values("pk")


SHARED_VISIT_FIELDS = (
    ("whats_working", "what's working"),
    ("focus_challenges", "current focus / challenges"),
    ("feedback", "feedback"),
    ("protege_next_steps", "protégé's next steps"),
    ("mentor_next_steps", "mentor's next steps"),
    ("next_meeting_focus", "next meeting focus"),
)


def visit_csv(program: Program, filters: Filters, user: User) -> Iterator[str]:
    from relationships.models import Visit

    shared = shares_logs(program, user)
    writer = csv.writer(_Echo())
    header = [
        "visit",
        "relationship",
        "kind",
        "mentor or coach",
        "protégé or team",
        "status",
        "date",
        "duration (minutes)",
        "activities",
        "next meeting",
        "cancel reason",
    ]
    if shared:
        header += [label for _, label in SHARED_VISIT_FIELDS]
    yield writer.writerow(header)
    visits = (
        Visit.objects.filter(relationship__in=_filtered_relationships(program, filters))
        .select_related("relationship", "relationship__mentor", "relationship__protege")
        .select_related("relationship__team")
        .order_by("-date", "-pk")
    )
    fields = [
        "code",
        "status",
        "date",
        "duration_minutes",
        "activities",
        "next_meeting_on",
        "cancel_reason",
        "relationship__code",
        "relationship__kind",
        "relationship__team_id",
        "relationship__team__name",
        "relationship__mentor__first_name",
        "relationship__mentor__last_name",
        "relationship__mentor__username",
        "relationship__protege__first_name",
        "relationship__protege__last_name",
        "relationship__protege__username",
    ]
    if shared:
        from relationships.models import SupportRelationship

        readable = SupportRelationship.objects.conversation_visible_to(user).filter(
            pk=OuterRef("relationship_id")
        )
        visits = visits.annotate(readable=Exists(readable))
        fields += [name for name, _ in SHARED_VISIT_FIELDS]
    # .only() keeps private notes out of the query altogether.
    visits = visits.only(*fields)
    for visit in visits.iterator(chunk_size=1000):
        rel = visit.relationship
        row = [
            visit.code,
            rel.code,
            rel.get_kind_display(),
            _name(rel.mentor),
            _supported(rel),
            visit.get_status_display(),
            _date(visit.date),
            visit.duration_minutes or "",
            "; ".join(visit.activity_labels()),
            _date(visit.next_meeting_on),
            visit.cancel_reason,
        ]
        if shared:
            row += [
                getattr(visit, name) if visit.readable else "" for name, _ in SHARED_VISIT_FIELDS
            ]
        yield writer.writerow(row)


SHARED_GOAL_FIELDS = (
    ("statement", "goal statement"),
    ("focus_area", "focus area"),
    ("measure_description", "how progress is measured"),
    ("baseline", "baseline"),
    ("target", "target"),
    ("unit", "unit"),
    ("target_date", "target date"),
)


def goal_csv(program: Program, filters: Filters, user: User) -> Iterator[str]:
    from goals.models import Goal

    shared = shares_logs(program, user)
    writer = csv.writer(_Echo())
    header = [
        "goal",
        "relationship",
        "mentor or coach",
        "protégé or team",
        "title",
        "origin",
        "status",
        "proposed on",
        "agreed on",
        "closed on",
    ]
    if shared:
        header += [label for _, label in SHARED_GOAL_FIELDS]
    yield writer.writerow(header)
    goals = (
        Goal.objects.filter(relationship__in=_filtered_relationships(program, filters))
        .select_related("relationship", "relationship__mentor", "relationship__protege")
        .select_related("relationship__team")
        .order_by("-created_at", "-pk")
    )
    if shared:
        from relationships.models import SupportRelationship

        readable = SupportRelationship.objects.conversation_visible_to(user).filter(
            pk=OuterRef("relationship_id")
        )
        goals = goals.annotate(readable=Exists(readable))
    for goal in goals.iterator(chunk_size=1000):
        rel = goal.relationship
        row = [
            goal.code,
            rel.code,
            _name(rel.mentor),
            _supported(rel),
            goal.title,
            goal.get_origin_display(),
            goal.get_status_display(),
            _date(localdate(goal.created_at)),
            _date(localdate(goal.agreed_at) if goal.agreed_at else None),
            _date(localdate(goal.closed_at) if goal.closed_at else None),
        ]
        if shared:
            row += [
                _cell(getattr(goal, name)) if goal.readable else ""
                for name, _ in SHARED_GOAL_FIELDS
            ]
        yield writer.writerow(row)


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


EXPORTERS = {"relationships": relationship_csv, "visits": visit_csv, "goals": goal_csv}
