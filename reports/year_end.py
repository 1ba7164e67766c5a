"""The figures of a program year, as the "Close the year" page shows them before and after
the close, and the rows of the "Start the next year" page.

A fixed number of queries whatever the size of the program: the dashboard's figures
(reports/dashboard.py) and one grouped query each for visits and participants.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import number_format

from core.names import person_name
from programs import years as program_years
from programs.models import Enrollment, Program, ProtegeProfile
from relationships import years as relationship_years
from relationships.models import OPEN_STATUSES, SupportRelationship, Visit
from reports import dashboard


@dataclass
class YearSummary:
    open: int
    completed: int
    ended_early: int
    visits: int
    minutes: int
    goals: dashboard.GoalFigures
    participants: dict[str, dict[str, int]]  # role label: {"current": n, "left": n}
    retention: dashboard.Retention

    @property
    def hours(self) -> str:
        """The minutes as hours, with the reader's decimal mark ("1.5", "1,5")."""
        return number_format(self.minutes / 60, decimal_pos=1)


def _participants(program: Program) -> dict[str, dict[str, int]]:
    rows = (
        Enrollment.objects.filter(program=program)
        .order_by()
        .values("role")
        .annotate(
            current=Count("pk", filter=Q(left_on__isnull=True)),
            left=Count("pk", filter=Q(left_on__isnull=False)),
        )
    )
    figures = {str(label): {"current": 0, "left": 0} for label in Enrollment.Role.labels}
    labels = dict(Enrollment.Role.choices)
    for row in rows:
        figures[str(labels[row["role"]])] = {"current": row["current"], "left": row["left"]}
    return figures


def year_summary(program: Program) -> YearSummary:
    """The year at a glance (five queries)."""
    statuses = dashboard.status_counts(program)
    visits = Visit.objects.filter(
        relationship__program=program, status=Visit.Status.LOGGED
    ).aggregate(visits=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0))
    return YearSummary(
        open=sum(statuses[status] for status in OPEN_STATUSES),
        completed=statuses[SupportRelationship.Status.COMPLETED],
        ended_early=statuses[SupportRelationship.Status.ENDED_EARLY],
        visits=visits["visits"],
        minutes=visits["minutes"],
        goals=dashboard.goal_figures(program),
        participants=_participants(program),
        retention=dashboard.retention(program),
    )


STAGE_LABELS = dict(ProtegeProfile.CareerStage.choices)


@dataclass
class Continuing:
    """One participant the next year may carry over."""

    enrollment: Enrollment
    stage: str
    matches: list[str] = field(default_factory=list)  # their mentors' and coaches' names

    @property
    def pk(self) -> int:
        return self.enrollment.pk

    @property
    def name(self) -> str:
        return person_name(self.enrollment.person)

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, ""))

    @property
    def next_stage_label(self) -> str:
        following = program_years.NEXT_STAGE.get(self.stage)
        return str(STAGE_LABELS[following]) if following else ""

    @property
    def may_graduate(self) -> bool:
        return self.stage == program_years.GRADUATING_STAGE


def continuing(program: Program) -> list[Continuing]:
    """The participants the close completed, with their stage and the matches that the next
    year could keep (two queries)."""
    enrollments = list(program_years.continuing_enrollments(program))
    rows = [
        Continuing(enrollment, program_years.stage_of(enrollment)) for enrollment in enrollments
    ]
    person_ids = {enrollment.person_id for enrollment in enrollments}
    by_protege: dict[int, list[str]] = {}
    for relationship in relationship_years.kept_matches(program, person_ids):
        name = f"{person_name(relationship.mentor)} ({relationship.get_kind_display().lower()})"
        if relationship.protege_id is not None:
            by_protege.setdefault(relationship.protege_id, []).append(name)
    for row in rows:
        if row.enrollment.role == Enrollment.Role.PROTEGE:
            row.matches = by_protege.get(row.enrollment.person_id, [])
    return rows
