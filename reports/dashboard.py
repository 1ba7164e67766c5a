"""What the coordinator's program dashboard shows, as selectors.

Every figure comes from a fixed number of queries, however many relationships, visits or goals
the program has: per-relationship figures come from one grouped query over the visits and one
over the goals (relationships/figures.py), never a query per row. Everything here is logistics
(dates, counts, statuses): nothing from the shared conversation or the private tier.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core import clock
from core.months import month_bounds
from core.names import Named, names_by_id
from core.querytools import any_of, id_number
from cycles.selectors import CurrentStage, current_stages
from goals.models import Goal
from goals.required import flag_missing_required
from observations.selectors import domain_totals
from programs.models import Enrollment, MentorProfile, Program
from relationships.figures import team_sizes
from relationships.firewall import walls
from relationships.flags import FLAGS, Row, flagged_rows
from relationships.models import OPEN_STATUSES, SupportMonth, SupportRelationship, Visit
from relationships.waiting import waiting_order
from reports import kept_rows, observation_figures
from reports.rollup.tables import Cell
from reports.years import ProgramYear, program_year

STATUS_FILTERS = {
    "open": (_("Open"), ("proposed", "active", "paused")),
    "active": (_("Active"), ("active",)),
    "paused": (_("Paused"), ("paused",)),
    "ended": (_("Ended"), ("completed", "ended_early")),
    "all": (_("All"), None),
}

FLAG_FILTERS = {
    "any": _("Any flag"),
    "first_visit": FLAGS["flag_first_visit"],
    "no_goal": FLAGS["flag_no_goal"],
    "behind": FLAGS["flag_behind"],
    "observation": FLAGS["flag_observation"],
    "mentor_left": FLAGS["flag_mentor_left"],
    "required_goal": FLAGS["flag_required_goal"],
    # Offered only for a program that names coaching cycle stages (`flag_choices`).
    "cycle_stage": FLAGS["flag_cycle_stage"],
}


def flag_choices(program: Program) -> list[tuple[str, object]]:
    """The flag filter's options: the cycle flag only where the program has cycle stages."""
    return [
        (value, label)
        for value, label in FLAG_FILTERS.items()
        if value != "cycle_stage" or program.has_cycle_stages
    ]


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
        return cls(
            status=status if status in STATUS_FILTERS else "open",
            kind=kind if kind in ("mentoring", "coaching") else "",
            mentor=id_number(data.get("mentor")),
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


# Relationship rows ---------------------------------------------------------------------------
#
# A program can hold thousands of relationships. Its rows are worked out in a few small
# queries whatever their number (`count_rows`): the relationships (a few columns each), then
# their visit figures, goal counts and pauses in one grouped query each
# (relationships/figures.py), and the required goals. Flags (the rule of
# relationships/flags.py, which the scheduled digests read too) and the order are computed in
# Python from those figures, and kept until something they read changes
# (reports/kept_rows.py); the filters are applied to the kept rows, and only the rows of the
# page shown are then fetched whole, with their people (`attach_relationships`).


def filtered_relationships(program: Program, filters: Filters | None = None) -> QuerySet:
    """The program's relationships that pass the filters that SQL can apply (all but flags)."""
    filters = filters or Filters()
    queryset = SupportRelationship.objects.filter(program=program)
    statuses = STATUS_FILTERS[filters.status][1]
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.mentor:
        queryset = queryset.filter(mentor_id=filters.mentor)
    if filters.q:
        queryset = queryset.filter(_named(filters.q))
    return queryset


def _named(q: str) -> Q:
    """Relationships whose mentor, protégé or team is named with every word of `q`."""
    words = Q()
    for word in q.split():
        words &= (
            Q(mentor__first_name__icontains=word)
            | Q(mentor__last_name__icontains=word)
            | Q(mentor__username__icontains=word)
            | Q(protege__first_name__icontains=word)
            | Q(protege__last_name__icontains=word)
            | Q(protege__username__icontains=word)
            | Q(team__name__icontains=word)
        )
    return words


def count_rows(program: Program, today: datetime.date) -> list[Row]:
    """Every relationship of the program as a flagged row, but for cycle stages (four
    queries, and the required goals')."""
    relationships = SupportRelationship.objects.filter(program=program)
    rows = flagged_rows(
        relationships, programs={program.pk: program}, today=today, by_ids=True, flags_only=True
    )
    flag_missing_required(rows, relationships)
    return rows


def relationship_rows(
    program: Program,
    filters: Filters | None = None,
    *,
    today: datetime.date | None = None,
    stages: dict[int, CurrentStage] | None = None,
    keep: kept_rows.Keep | None = None,
) -> kept_rows.Rows:
    """The rows of the dashboard for these filters, flagged and in the dashboard's order: one
    query for the kept rows' version, `count_rows`' when they are not kept, one for a search
    by name, and one for the cycle stages of a program that names them, unless given as
    `stages`. `attach_relationships` completes the ones to show."""
    filters = filters or Filters()
    today = today or clock.today()
    if stages is None:
        stages = current_stages(program, today=today)
    keep = keep or kept_rows.Keep(program, today)
    kept = keep.rows(lambda: count_rows(program, today))
    statuses = STATUS_FILTERS[filters.status][1]
    named = set(_of_program_named(program, filters.q)) if filters.q else None
    flag = f"flag_{filters.flag}" if filters.flag and filters.flag != "any" else ""
    chosen = [
        row
        for row in kept_rows.in_order(kept, today=today, stages=stages)
        if (statuses is None or row.status in statuses)
        and (not filters.kind or row.kind == filters.kind)
        and (not filters.mentor or row.mentor_id == filters.mentor)
        and (named is None or row.pk in named)
        and (not filters.flag or _flagged(row, flag, stages))
    ]
    return kept_rows.Rows(chosen, program=program, today=today, stages=stages)


def _of_program_named(program: Program, q: str) -> Iterable[int]:
    return (
        SupportRelationship.objects.filter(_named(q), program=program)
        .order_by()
        .values_list("pk", flat=True)
    )


def _flagged(row: kept_rows.Kept, flag: str, stages: dict[int, CurrentStage]) -> bool:
    """Whether a kept row has `flag` ("flag_behind"), or any flag when `flag` is empty."""
    names = kept_rows.flag_names(row, stages)
    return flag in names if flag else bool(names)


def overdue_stage_count(stages: dict[int, CurrentStage]) -> int:
    """How many of the program's active relationships have a cycle stage overdue."""
    return sum(1 for current in stages.values() if current.time.is_overdue)


def attach_relationships(rows: list[Row]) -> list[Row]:
    """Fetch the whole relationships of these rows, with mentor, protégé, team and team size
    (two queries at most, whatever the number of rows)."""
    found = SupportRelationship.objects.select_related("mentor", "protege", "team").in_bulk(
        [row.pk for row in rows]
    )
    for row in attach_team_sizes(rows):
        row.relationship = found[row.pk]
        row.relationship.program = row.program
    return rows


def attach_team_sizes(rows: list[Row]) -> list[Row]:
    """Set `people` on the team rows: how many members the team has (one query, none when no
    row is a team's)."""
    sizes = team_sizes(row.team_id for row in rows if row.team_id)
    for row in rows:
        if row.team_id:
            row.people = sizes.get(row.team_id, 0)
    return rows


@dataclass(frozen=True)
class ProgramRelationships:
    """Every relationship of a program, a few columns each (one query), for the figures that
    count them all: their statuses, their mentors, and their ids (an explicit list of ids lets
    PostgreSQL look the goals up in their index instead of reading the whole table)."""

    ids: list[int]
    statuses: list[str]
    mentor_ids: list[int]

    @classmethod
    def of(cls, program: Program) -> "ProgramRelationships":
        rows = list(program.relationships.order_by("pk").values_list("pk", "status", "mentor_id"))
        return cls(
            ids=[pk for pk, _, _ in rows],
            statuses=[status for _, status, _ in rows],
            mentor_ids=sorted({mentor_id for _, _, mentor_id in rows}),
        )


@dataclass(frozen=True)
class ProgramFigures:
    """The program-wide figures the dashboard keeps with its rows (reports/kept_rows.py):
    what the program's version covers (its relationships, visits, goals and enrollments).
    The caseloads read other programs too, and the names of the people can change without
    a bump, so they are read for every request."""

    known: ProgramRelationships
    months: list[dict]
    this_month: dict
    goals: "GoalFigures"
    retention: "Retention"

    @classmethod
    def kept(cls, keep: kept_rows.Keep) -> "ProgramFigures":
        """The figures kept for the program and the day, in the reader's language (the goals'
        and the leaving reasons' labels are words)."""
        return keep.get(f"figures-{get_language()}", lambda: cls.count(keep.program, keep.today))

    @classmethod
    def count(cls, program: Program, today: datetime.date) -> "ProgramFigures":
        """Five queries (six when today lies outside the program year)."""
        known = ProgramRelationships.of(program)
        months = visits_per_month(program, today=today, known=known)
        return cls(
            known=known,
            months=months,
            this_month=this_month(program, months, today=today, known=known),
            goals=goal_figures(program, known),
            retention=retention(program),
        )


def kept_waiting(keep: kept_rows.Keep) -> tuple[tuple[int, datetime.date], ...]:
    """Who waits for a match in the program, in order (relationships/waiting.py), kept with
    the rows: enrollments and relationships bump the program's version. The people's names
    are read for the page shown."""
    return keep.get("waiting", lambda: waiting_order([keep.program.pk]))


def mentor_choices(
    program: Program, known: ProgramRelationships | None = None
) -> list[tuple[int, str]]:
    """Mentors and coaches with a relationship in the program, for the filter (one query with
    `known`, two without)."""
    if known is None:
        mentor_ids = list(
            program.relationships.order_by().values_list("mentor_id", flat=True).distinct()
        )
    else:
        mentor_ids = known.mentor_ids
    people = names_by_id(mentor_ids)
    ordered = sorted(people.items(), key=lambda item: (item[1].sort_key, item[0]))
    return [(pk, person.name) for pk, person in ordered]


# Program-wide figures ------------------------------------------------------------------------


def status_counts(program: Program, known: ProgramRelationships | None = None) -> dict[str, int]:
    """How many of the program's relationships are in each status (no query with `known`)."""
    counts = dict.fromkeys(SupportRelationship.Status.values, 0)
    if known is not None:
        for status in known.statuses:
            counts[status] += 1
        return counts
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
        """The doughnut of goals by status (statuses with no goals left out). Each status has
        its own colour, the same on every dashboard, with at least 3:1 contrast on white."""
        colours = {
            "proposed": "#6b6f75",
            "agreed": "#2f5da8",
            "in_progress": "#0b5560",
            "met": "#1d6f3b",
            "not_met": "#b35c00",
            "closed": "#5b3f8c",
        }
        statuses = [status for status, n in self.counts.items() if n]
        return {
            "labels": [self.labels[status] for status in statuses],
            "values": [self.counts[status] for status in statuses],
            "colors": [colours[status] for status in statuses],
        }


def goal_figures(program: Program, known: ProgramRelationships | None = None) -> GoalFigures:
    """The program's goals by status (one query)."""
    counts = dict.fromkeys(Goal.Status.values, 0)
    goals = (
        Goal.objects.filter(any_of("relationship_id", known.ids))
        if known is not None
        else Goal.objects.filter(relationship__program=program)
    )
    rows = goals.order_by().values("status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["status"]] = row["n"]
    labels = {status: str(label) for status, label in Goal.Status.choices}  # the reader's language
    return GoalFigures(counts=counts, labels=labels)


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
        ((str(labels.get(reason, reason)), n) for reason, n in by_reason.items() if reason),
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
    program: Program,
    *,
    today: datetime.date | None = None,
    known: "ProgramRelationships | None" = None,
) -> list[dict]:
    """Logged visits and minutes for each month of the program year, up to this month (one
    query). The months gone by are read from the monthly summaries (relationships/summaries.py:
    a row per relationship and month, by program and month in their index); this month, which
    changes all day, is counted from its visits: with `known`, those of the program's
    relationships by their ids, which PostgreSQL looks up in the visits' relationship index
    (through a join on the program it chose a parallel plan, whose start took 30 ms)."""
    today = today or clock.today()
    year = program_year(program.starts_on, program.ends_on, today)
    months = year.months(today)
    month_start, month_end = month_bounds(today)
    past = (
        SupportMonth.objects.filter(
            program=program, month__gte=months[0], month__lte=months[-1], month__lt=month_start
        )
        .order_by()
        .values("month")
        .annotate(n=Sum("visits"), total=Sum("minutes"))
    )
    current = (
        Visit.objects.filter(
            _of_program(program, known),
            status=Visit.Status.LOGGED,
            date__gte=max(months[0], month_start),
            date__lt=min(month_bounds(months[-1])[1], month_end),
        )
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"), total=Coalesce(Sum("duration_minutes"), 0))
    )
    found: dict[datetime.date, tuple[int, int]] = {}  # visits and minutes, by month
    for row in past.union(current, all=True).order_by():
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        found[month.replace(day=1)] = (row["n"] or 0, row["total"] or 0)
    figures = [(month, *found.get(month, (0, 0))) for month in months]
    return [
        {"month": month, "visits": visits, "minutes": minutes} for month, visits, minutes in figures
    ]


def _of_program(program: Program, known: "ProgramRelationships | None") -> Q:
    """The filter for the visits of the program's relationships."""
    if known is None:
        return Q(relationship__program=program)
    return any_of("relationship_id", known.ids)


def this_month(
    program: Program,
    months: list[dict],
    *,
    today: datetime.date,
    known: "ProgramRelationships | None" = None,
) -> dict:
    """This month's row of `visits_per_month`, or this month's figures when it lies outside
    the program year (one query then, none otherwise)."""
    month_start, month_end = month_bounds(today)
    for row in months:
        if row["month"] == month_start:
            return row
    figures = Visit.objects.filter(
        _of_program(program, known),
        status=Visit.Status.LOGGED,
        date__gte=month_start,
        date__lt=month_end,
    ).aggregate(visits=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0))
    return {"month": month_start, **figures}


def visits_chart(months: list[dict]) -> dict:
    return {
        "labels": [date_format(row["month"], "M Y") for row in months],
        "values": [row["visits"] for row in months],
        "label": gettext("Visits logged"),
    }


@dataclass
class Caseload:
    """One mentor's or coach's open relationships, in all programs, against their limit."""

    pk: int
    person: Named
    in_program: int
    caseload: int
    limit: int

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def room(self) -> int:
        return self.limit - self.caseload

    @property
    def over(self) -> int:
        return self.caseload - self.limit


def caseloads(program: Program) -> list[Caseload]:
    """The program's current mentors and coaches with their open relationships (across all
    programs, since a caseload is a person's whole load) against their limit, the fullest
    first (three small queries: the people's ids, their names and limits, their open
    relationships counted by mentor). In one query, grouping the people with their
    relationships, PostgreSQL read the whole people table, or the whole relationships table,
    for a big program's 500 mentors: 15 ms, against 5 ms in three."""
    default_limit = MentorProfile._meta.get_field("caseload_limit").default
    ids = sorted(
        set(
            Enrollment.objects.current()
            .supporting()
            .filter(program=program)
            .order_by()
            .values_list("person_id", flat=True)
        )
    )
    if not ids:
        return []
    people = User.objects.filter(any_of("pk", ids)).values_list(
        "pk", "first_name", "last_name", "username", "mentor_profile__caseload_limit"
    )
    counts = {
        mentor_id: (caseload, in_program)
        for mentor_id, caseload, in_program in SupportRelationship.objects.filter(
            any_of("mentor_id", ids), status__in=OPEN_STATUSES
        )
        .order_by()
        .values("mentor_id")
        .annotate(caseload=Count("pk"), in_program=Count("pk", filter=Q(program=program)))
        .values_list("mentor_id", "caseload", "in_program")
    }
    loads = [
        Caseload(
            pk=pk,
            person=Named(first, last, username),
            in_program=counts.get(pk, (0, 0))[1],
            caseload=counts.get(pk, (0, 0))[0],
            limit=default_limit if limit is None else limit,
        )
        for pk, first, last, username, limit in people
    ]
    loads.sort(key=lambda load: (load.room, load.person.sort_key, load.pk))
    return loads


# Observation scores ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainAverages:
    """Each domain's average score in the program's year, under the small-cell rule
    (reports/observation_figures.py): the rows as every reader sees them."""

    columns: list[str]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def has_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows for cell in row)


def domain_averages(program: Program, viewer: User, *, year: ProgramYear) -> DomainAverages:
    """The averages of the domains scored in the program's year (two queries; three with a
    team): a domain describing fewer than `SMALL_CELL_MINIMUM` teachers reads "fewer than
    N", one describing only the viewer's own supervisees "withheld"."""
    totals = domain_totals(
        SupportRelationship.objects.filter(program=program).values("pk"),
        starts_on=year.starts_on,
        ends_on=year.ends_on,
    )
    rows = observation_figures.domain_rows(
        totals,
        observation_figures.people_by_relationship(totals),
        key=lambda total: total.domain_id,
    )
    shielded = frozenset(wall.protege_id for wall in walls(supervisor=viewer))
    return DomainAverages(
        columns=observation_figures.columns(),
        rows=observation_figures.protected(rows, shielded),
    )
