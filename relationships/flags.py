"""The dashboard's flags: which relationships are overdue or behind, and why.

One rule, read by the coordinator's dashboard (reports/dashboard.py) and by the scheduled
nudges and digests (nudges/), so that an email never says something the dashboard does not:

- "First visit overdue": an active relationship with no logged visit after the days its
  program gives for a first one (`first_deadline`, from the day it started);
- "No goal yet": an active relationship without a goal once the days for a first goal have
  passed, at once when the program gives none;
- "Behind dosage": the pace rule of relationships/pace.py;
- "Observation without feedback": a visit logged as an observation with no feedback written;
- "Mentor or coach left": an open relationship whose mentor or coach has left the program
  (their enrollment in it ended, and they have no other as mentor or coach), until the
  coordinator reassigns it or ends it (relationships/turnover.py).

`flagged_rows` works the rows out for any set of relationships in four queries, whatever their
number: the relationships (a few columns each), then their visit figures, goal counts and
pauses in one grouped query each (relationships/figures.py). Everything here is logistics.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Case, Exists, OuterRef, QuerySet, Subquery, UUIDField, When
from django.utils.formats import localize
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.models import Enrollment, Program
from relationships.figures import (
    NO_GOALS,
    NO_VISITS,
    GoalFigures,
    VisitFigures,
    goal_figures,
    pauses,
    visit_figures,
)
from relationships.models import (
    OPEN_STATUSES,
    SupportRelationship,
    expected_dosage,
    first_deadline,
)
from relationships.pace import is_behind

FLAGS = {
    "flag_first_visit": _("First visit overdue"),
    "flag_no_goal": _("No goal yet"),
    "flag_behind": _("Behind dosage"),
    "flag_observation": _("Observation without feedback"),
    "flag_mentor_left": _("Mentor or coach left"),
    # Set by goals/required.py, `flag_missing_required` (goals sits above relationships), not
    # by `flag_names`: an open relationship lacking a goal from a required template.
    "flag_required_goal": _("Required goal missing"),
    # Set by cycles/selectors.py, `flag_overdue_stages` (cycles sits above relationships): an
    # active relationship whose coaching cycle has stayed in a stage past its days.
    "flag_cycle_stage": _("Cycle stage overdue"),
}

DOSAGE_FIELDS = (
    "days_to_first_visit",
    "days_to_first_goal",
    "visits_per_month",
    "minutes_per_month",
)


@dataclass
class Row:
    """One relationship of the dashboard, with its figures and flags (no queries)."""

    pk: int
    status: str
    starts_on: datetime.date
    team_id: int | None
    dosage: dict[str, int | None]  # the relationship's own values (DOSAGE_FIELDS)
    program: Program | None  # None for an informal relationship
    visits: VisitFigures
    goals: GoalFigures
    today: datetime.date
    pauses: list = field(default_factory=list)  # the pauses in the pace window (pace.Spell)
    flag_names: list[str] = field(default_factory=list)
    relationship: "SupportRelationship | None" = None  # the whole row, for the page shown
    people: int = 1
    mentor_id: int | None = None
    # The enrollment the mentor or coach left the program by, while they take part in it no
    # more as either: the reassign page's key (relationships/views/turnover.py).
    mentor_left_enrollment: UUID | None = None
    kind: str = ""
    # The ids of the required goal templates it lacks (set by the dashboard: goals/required.py).
    missing_required: list[int] = field(default_factory=list)
    # The current stage of the relationship's coaching cycle (cycles.selectors.CurrentStage),
    # set by the dashboard for a program that names stages.
    cycle_stage: object | None = None

    def expected(self, name: str) -> int | None:
        return expected_dosage(self.dosage[name], self.program, name)

    @property
    def flags(self) -> list[str]:
        return [str(FLAGS[name]) for name in self.flag_names]

    @property
    def last_visit_on(self) -> datetime.date | None:
        return self.visits.last_visit_on

    @property
    def visits_this_month(self) -> int:
        return self.visits.visits_this_month

    @property
    def minutes_this_month(self) -> int:
        return self.visits.minutes_this_month

    @property
    def goal_count(self) -> int:
        return self.goals.goal_count

    @property
    def visits_expected(self) -> int | None:
        return self.expected("visits_per_month")

    @property
    def minutes_expected(self) -> int | None:
        return self.expected("minutes_per_month")

    # The row's text as the dashboard shows it, in the reader's language. Worked out here
    # rather than with `{% blocktranslate %}` in the row loop: each of those cost the page
    # about a tenth of a millisecond a row, a fifth of the row's rendering.

    @property
    def mentor_line(self) -> str:
        """ "Mentor: Ann Lee" or "Coach: Ann Lee" (for the row's whole relationship)."""
        relationship = self.relationship
        assert relationship is not None  # the rows shown have theirs (attach_relationships)
        if relationship.kind == SupportRelationship.Kind.COACHING:
            return gettext("Coach: %(name)s") % {"name": relationship.mentor_name}
        return gettext("Mentor: %(name)s") % {"name": relationship.mentor_name}

    @property
    def visits_progress(self) -> str:
        """ "1 of 2": this month's visits of those expected (the count alone when none are)."""
        return _progress(self.visits_this_month, self.visits_expected)

    @property
    def minutes_progress(self) -> str:
        return _progress(self.minutes_this_month, self.minutes_expected)

    @property
    def days_since_contact(self) -> int | None:
        last = self.last_visit_on
        return (self.today - last).days if last else None

    @property
    def first_visit_due(self) -> datetime.date | None:
        return self._first_deadline("days_to_first_visit", done=self.last_visit_on is not None)

    @property
    def first_goal_due(self) -> datetime.date | None:
        return self._first_deadline("days_to_first_goal", done=bool(self.goal_count))

    def _first_deadline(self, name: str, *, done: bool) -> datetime.date | None:
        return first_deadline(self.starts_on, self.expected(name), done=done)

    def sort_key(self) -> tuple:
        return order_key(
            len(self.flag_names), self.last_visit_on, self.starts_on, self.pk, today=self.today
        )


def order_key(
    flags: int,
    last_visit_on: datetime.date | None,
    starts_on: datetime.date,
    pk: int,
    *,
    today: datetime.date,
) -> tuple:
    """The dashboard's order: most flags first, then the longest without a visit (never
    visited first), then the earliest matched."""
    return (-flags, last_visit_on is not None, last_visit_on or today, starts_on, pk)


def _progress(done: int, expected: int | None) -> str:
    if not expected:
        return localize(done)
    return gettext("%(done)s of %(expected)s") % {
        "done": localize(done),
        "expected": localize(expected),
    }


def flag_names(row: Row) -> list[str]:
    """Which of FLAGS apply to a row (the rules the "What the flags mean" box explains)."""
    today = row.today
    names = []
    if row.status == SupportRelationship.Status.ACTIVE:
        first_visit_due = row.first_visit_due
        if first_visit_due is not None and first_visit_due < today:
            names.append("flag_first_visit")
        if not row.goal_count:
            # Once the days the program gives for a first goal have passed; at once when it
            # gives none.
            first_goal_due = row.first_goal_due
            if first_goal_due is None or first_goal_due < today:
                names.append("flag_no_goal")
        if is_behind(
            today=today,
            starts_on=row.starts_on,
            pauses=row.pauses,
            visits_expected=row.visits_expected,
            minutes_expected=row.minutes_expected,
            days_to_first_visit=row.expected("days_to_first_visit"),
            visits_logged=row.visits.window_visits,
            minutes_logged=row.visits.window_minutes,
        ):
            names.append("flag_behind")
    if row.visits.has_observation_gap:
        names.append("flag_observation")
    if row.mentor_left_enrollment is not None and row.status in OPEN_STATUSES:
        names.append("flag_mentor_left")
    return names


def _with_mentor_left(relationships: QuerySet[SupportRelationship]) -> QuerySet:
    """Annotate `mentor_left_by`: the code of the enrollment by which the mentor or coach
    left the relationship's program, when they no longer take part in it as either (None
    otherwise, and for informal relationships). Subqueries, not a query of their own."""
    as_mentor = Enrollment.objects.filter(
        program=OuterRef("program"), person=OuterRef("mentor")
    ).exclude(role=Enrollment.Role.PROTEGE)
    left = as_mentor.filter(left_on__isnull=False).order_by("-left_on", "-pk").values("code")
    return relationships.annotate(
        mentor_left_by=Case(
            When(Exists(as_mentor.filter(left_on__isnull=True)), then=None),
            default=Subquery(left[:1]),
            output_field=UUIDField(),
        )
    )


def flagged_rows(
    relationships: QuerySet[SupportRelationship],
    *,
    programs: Mapping[int | None, Program | None],
    today: datetime.date,
    by_ids: bool = False,
    flags_only: bool = False,
) -> list[Row]:
    """A flagged row for each of `relationships`, in no particular order (four queries).
    `programs` holds the program of each (by id), whose dosage applies where the relationship
    has none of its own; an informal relationship's is None.

    `by_ids`: read the relationships first, then their figures by their ids (a list), not
    through a subquery. For a program's rows (the dashboard): with the ids in hand PostgreSQL
    knows how few they are and looks their visits and goals up in the indexes, where a subquery
    of a big program can make it read the whole goals table. Not for the nudges, which read
    every relationship.

    `flags_only`: the visit figures the flags and the dashboard read, not the next visit, the
    plans overdue or the logs still to complete (`visit_figures`)."""
    columns = (
        "pk",
        "status",
        "kind",
        "starts_on",
        "team_id",
        "program_id",
        "mentor_id",
        *DOSAGE_FIELDS,
    )
    found = list(_with_mentor_left(relationships).values_list(*columns, "mentor_left_by"))
    subject: QuerySet | list[int] = [values[0] for values in found] if by_ids else relationships
    visits = visit_figures(subject, today=today, flags_only=flags_only)
    goals = goal_figures(subject)
    paused = pauses(subject, today=today)
    rows = []
    for (
        pk,
        status,
        kind,
        starts_on,
        team_id,
        program_id,
        mentor_id,
        *dosage,
        left_by,
    ) in found:
        row = Row(
            pk=pk,
            status=status,
            kind=kind,
            starts_on=starts_on,
            team_id=team_id,
            dosage=dict(zip(DOSAGE_FIELDS, dosage, strict=True)),
            program=programs.get(program_id),
            visits=visits.get(pk, NO_VISITS),
            goals=goals.get(pk, NO_GOALS),
            today=today,
            pauses=paused.get(pk, []),
            mentor_id=mentor_id,
            mentor_left_enrollment=left_by,
        )
        row.flag_names = flag_names(row)
        rows.append(row)
    return rows
