"""The roll-up's figures: `build_rollup(scope, filters)` returns every table, protected by the
small-cell rule (suppression.py), as plain data that the pages, the downloads and the PDF read.

Cost: a fixed number of queries whatever the number of programs, relationships or visits.
`build_rollup` groups in the database down to the cells (grouped.py): one statement for the
programs, hours, months, activities, dosage and deadlines tables, two for the goals, one for
retention, one each for the waiting list and the caseloads; a few hundred rows come back, each
cell with its sums and how many distinct people it describes (a teacher with a mentor and a
coach is one teacher), their ids only when they are few (all the small-cell rule needs). The
visits are read from the monthly summary rows (relationships/summaries.py), only the days of
a month that the period cuts in two from the visits themselves. `rollup_per_relationship`,
below it, counts the same tables relationship by relationship in Python (the people behind
each cell as sets of ids): the plain statement of the rule, kept as the tests' reference.
Everything here is the logistics tier: dates, minutes, activities, statuses, counts.
No text anyone wrote is read, and the focus areas shown are only those the programs list in
their configuration (anything else is "Other or no focus area").
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import clock
from core.dates import format_day
from core.months import month_bounds
from goals.models import Goal
from observations.selectors import domain_totals
from programs.models import CareerStage, Enrollment, MentorProfile
from relationships.models import (
    OPEN_STATUSES,
    Activity,
    ClassroomTeam,
    Pause,
    SupportMonth,
    SupportMonthActivity,
    SupportRelationship,
    Visit,
)
from relationships.pace import GRACE_DAYS, month_owed
from relationships.summary_refresh import split_minutes
from relationships.waiting import waiting_for_match
from reports import observation_figures
from reports.rollup import grouped
from reports.rollup.filters import Filters
from reports.rollup.scope import Scope, enrollments_q, relationships_q
from reports.rollup.suppression import Draft, Layout, label, minimum, protect
from reports.rollup.tables import Cell, Table

People = frozenset[int]
NOBODY: People = frozenset()
Who = People | grouped.Headcount  # the people of a cell: a set, or counted by the database

HOUR_BANDS = (  # (upper bound in hours, excluded; label)
    (0, gettext_noop("No hours logged")),
    (5, gettext_noop("Under 5 hours")),
    (10, gettext_noop("5 to 10 hours")),
    (20, gettext_noop("10 to 20 hours")),
    (None, gettext_noop("20 hours or more")),
)
WAIT_BANDS = (
    (14, gettext_noop("Under 2 weeks")),
    (31, gettext_noop("2 weeks to a month")),
    (92, gettext_noop("1 to 3 months")),
    (None, gettext_noop("3 months or more")),
)
CASELOAD_BANDS = (
    gettext_noop("Room for more"),
    gettext_noop("At their limit"),
    gettext_noop("Over their limit"),
)
OPEN_GOALS = (Goal.Status.PROPOSED, Goal.Status.AGREED, Goal.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Rollup:
    filters: Filters
    tables: tuple[Table, ...]
    today: datetime.date

    def table(self, slug: str) -> Table:
        for table in self.tables:
            if table.slug == slug:
                return table
        raise KeyError(slug)


# Formatting -------------------------------------------------------------------------------


def count(value: int | float, people: Who) -> Draft:
    return Draft(value=value, people=people, text=number_format(value, force_grouping=True))


def hours(minutes: int, people: Who) -> Draft:
    value = round(minutes / 60, 1)
    return Draft(value=value, people=people, text=number_format(value, 1, force_grouping=True))


def share(part: int | float, whole: int | float, people: Who) -> Draft:
    if not whole:
        return Draft(value=None, people=people, text="–")
    value = round(100 * part / whole)
    return Draft(value=value, people=people, text=f"{value}%")


def mean_hours(minutes: int, teachers: int, people: Who) -> Draft:
    if not teachers:
        return Draft(value=None, people=people, text="–")
    value = round(minutes / 60 / teachers, 1)
    return Draft(value=value, people=people, text=number_format(value, 1, force_grouping=True))


def union(sets: Iterable[People]) -> People:
    found: set[int] = set()
    for people in sets:
        found |= people
    return frozenset(found)


def bar_chart(table: Table, column: int, series: str, *, rows: bool = True) -> dict:
    """Bars of one column; suppressed cells are no bar (null)."""
    body = table.rows
    return {
        "labels": [row[0].text for row in body],
        "values": [None if row[column].suppressed else row[column].value for row in body],
        "label": series,
        "title": table.title,
        "column": column,
    }


# The data, read once -------------------------------------------------------------------------


@dataclass
class Relationship:
    pk: int
    program_id: int
    people: People
    starts_on: datetime.date
    ended_on: datetime.date | None
    visits_expected: int | None
    minutes_expected: int | None
    days_to_first_visit: int | None
    days_to_first_goal: int | None
    months: dict[datetime.date, tuple[int, int]] = field(default_factory=dict)
    activities: dict[str, tuple[int, int]] = field(default_factory=dict)  # visits, minutes
    # What each whole month of the period asked (visits, minutes), from the summary rows.
    owed: dict[datetime.date, tuple[int, int]] = field(default_factory=dict)
    pauses: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    first_visit: datetime.date | None = None
    first_goal: datetime.date | None = None

    # Read once the months are loaded (load_relationships), never before.
    @cached_property
    def visits(self) -> int:
        return sum(visits for visits, __ in self.months.values())

    @cached_property
    def minutes(self) -> int:
        return sum(minutes for __, minutes in self.months.values())


def filtered_relationships(scope: Scope, filters: Filters):
    """The relationships the filters count: in scope, open at some time in the period."""
    organizations = scope.narrowed(filters.organization)
    program_ids = _program_ids(scope, filters)
    queryset = SupportRelationship.objects.filter(relationships_q(organizations, program_ids))
    queryset = queryset.filter(starts_on__lte=filters.ends_on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=filters.starts_on)
    )
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.site:
        queryset = queryset.filter(
            Q(protege__protege_profile__organization_id=filters.site)
            | Q(team__site_id=filters.site)
        )
    if filters.stage:
        queryset = queryset.filter(protege__protege_profile__career_stage=filters.stage)
    if filters.cohort:
        joined = Enrollment.objects.filter(
            program=OuterRef("program"),
            person=OuterRef("protege"),
            role=Enrollment.Role.PROTEGE,
            joined_on__year=filters.cohort,
        )
        queryset = queryset.filter(Exists(joined))
    return queryset


def _program_ids(scope: Scope, filters: Filters) -> list[int]:
    if filters.program is not None:
        return [filters.program] if filters.program in scope.programs else []
    return list(scope.programs)


def _filtered_enrollments(scope: Scope, filters: Filters):
    organizations = scope.narrowed(filters.organization)
    queryset = Enrollment.objects.filter(
        enrollments_q(organizations, _program_ids(scope, filters)), role=Enrollment.Role.PROTEGE
    )
    if filters.site:
        queryset = queryset.filter(person__protege_profile__organization_id=filters.site)
    if filters.stage:
        queryset = queryset.filter(person__protege_profile__career_stage=filters.stage)
    if filters.cohort:
        queryset = queryset.filter(joined_on__year=filters.cohort)
    return queryset


def load_relationships(scope: Scope, filters: Filters) -> dict[int, Relationship]:
    """The relationships counted, with their visits by month, activities, pauses and first
    visit and goal (six queries)."""
    chosen = filtered_relationships(scope, filters)
    rows = chosen.order_by().values(
        "pk",
        "program_id",
        "protege_id",
        "team_id",
        "starts_on",
        "ended_on",
        visits_expected=Coalesce("visits_per_month", "program__visits_per_month"),
        minutes_expected=Coalesce("minutes_per_month", "program__minutes_per_month"),
        first_visit_days=Coalesce("days_to_first_visit", "program__days_to_first_visit"),
        first_goal_days=Coalesce("days_to_first_goal", "program__days_to_first_goal"),
    )
    rows = list(rows)
    members: dict[int, set[int]] = defaultdict(set)
    if any(row["team_id"] for row in rows):
        through = ClassroomTeam.members.through.objects.filter(
            classroomteam_id__in=chosen.filter(team__isnull=False).values("team_id")
        )
        for team_id, user_id in through.values_list("classroomteam_id", "user_id"):
            members[team_id].add(user_id)
    found = {
        row["pk"]: Relationship(
            pk=row["pk"],
            program_id=row["program_id"],
            people=frozenset(
                members.get(row["team_id"], ()) if row["team_id"] else {row["protege_id"]}
            ),
            starts_on=row["starts_on"],
            ended_on=row["ended_on"],
            visits_expected=row["visits_expected"],
            minutes_expected=row["minutes_expected"],
            days_to_first_visit=row["first_visit_days"],
            days_to_first_goal=row["first_goal_days"],
        )
        for row in rows
    }
    if not found:
        return found
    ids = chosen.values("pk")
    _read_months(found, ids, filters)
    # The deadlines count only the relationships that started in the period.
    started = chosen.filter(starts_on__gte=filters.starts_on).values("pk")
    logged = Visit.objects.filter(relationship__in=started, status=Visit.Status.LOGGED)
    firsts: Any = logged.order_by().values("relationship_id").annotate(first=Min("date"))
    for row in firsts:
        found[row["relationship_id"]].first_visit = row["first"]
    first_goals: Any = (
        Goal.objects.filter(relationship__in=started)
        .order_by()
        .values("relationship_id")
        .annotate(first=Min("created_at"))
    )
    for row in first_goals:
        found[row["relationship_id"]].first_goal = clock.local_date(row["first"])
    pauses = Pause.objects.filter(relationship__in=ids).order_by()
    for relationship_id, paused_on, resumed_on in pauses.values_list(
        "relationship_id", "starts_on", "ends_on"
    ):
        found[relationship_id].pauses.append((paused_on, resumed_on))
    return found


def whole_months(filters: Filters) -> tuple[datetime.date, datetime.date]:
    """The first days of the first and the last calendar months wholly inside the period (the
    first after the last when there is none)."""
    first = filters.starts_on
    if first.day != 1:
        first = month_bounds(first)[1]
    last = month_bounds(filters.ends_on + datetime.timedelta(days=1))[0]
    last = month_bounds(last - datetime.timedelta(days=1))[0]
    return first, last


def _read_months(found: dict[int, Relationship], ids: Any, filters: Filters) -> None:
    """Each relationship's logged visits and minutes by month, and by activity over the
    period: the calendar months wholly inside the period from the monthly summary rows (two
    queries), the days of a month cut by the period's start or end from the visits themselves
    (one more query, only then), by the summaries' rule (`split_minutes`)."""
    first, last = whole_months(filters)
    summaries = SupportMonth.objects.filter(
        relationship__in=ids, month__gte=first, month__lte=last
    ).order_by()
    for pk, month, visits, minutes, visits_owed, minutes_owed in summaries.values_list(
        "relationship_id", "month", "visits", "minutes", "visits_owed", "minutes_owed"
    ):
        relationship = found[pk]
        relationship.owed[month] = (visits_owed, minutes_owed)
        if visits:
            relationship.months[month] = (visits, minutes)
    activities = (
        SupportMonthActivity.objects.filter(
            summary__relationship__in=ids, summary__month__gte=first, summary__month__lte=last
        )
        .order_by()
        .values_list("summary__relationship_id", "activity")
        .annotate(n=Sum("visits"), m=Sum("minutes"))
    )
    for pk, activity, visits, minutes in activities:
        found[pk].activities[activity] = (visits, minutes)
    cut = Q()
    if first > last:
        cut = Q(date__gte=filters.starts_on, date__lte=filters.ends_on)
    else:
        if filters.starts_on < first:
            cut |= Q(date__gte=filters.starts_on, date__lt=first)
        if filters.ends_on >= month_bounds(last)[1]:
            cut |= Q(date__gte=month_bounds(last)[1], date__lte=filters.ends_on)
    if not cut:
        return
    visits_cut = (
        Visit.objects.filter(cut, relationship__in=ids, status=Visit.Status.LOGGED)
        .order_by()
        .values_list("relationship_id", "date", "duration_minutes", "activities")
    )
    for pk, date, duration, listed in visits_cut:
        relationship = found[pk]
        month = date.replace(day=1)
        visits_then, minutes_then = relationship.months.get(month, (0, 0))
        relationship.months[month] = (visits_then + 1, minutes_then + (duration or 0))
        for name, share in split_minutes(duration or 0, list(listed or [])):
            visits_then, minutes_then = relationship.activities.get(name, (0, 0))
            relationship.activities[name] = (visits_then + 1, minutes_then + share)


# Each table ----------------------------------------------------------------------------------


def period_months(filters: Filters, today: datetime.date) -> list[datetime.date]:
    last = min(filters.ends_on, today)
    months: list[datetime.date] = []
    month = month_bounds(filters.starts_on)[0]
    while month <= last:
        months.append(month)
        month = month_bounds(month)[1]
    return months


def judged_months(filters: Filters, today: datetime.date) -> list[datetime.date]:
    """The months whose dosage can be judged: wholly inside the period, and over by the
    pace rule's week of grace."""
    judged = []
    for month in period_months(filters, today):
        following = month_bounds(month)[1]
        last_day = following - datetime.timedelta(days=1)
        if (
            month >= filters.starts_on
            and last_day <= filters.ends_on
            and last_day <= today - datetime.timedelta(days=GRACE_DAYS)
        ):
            judged.append(month)
    return judged


@dataclass
class Pace:
    """A relationship's months judged against its dosage: how many, and how many on pace;
    and what the judged months asked of it and what it logged in them."""

    judged: dict[datetime.date, bool] = field(default_factory=dict)
    owed_visits: int = 0
    owed_minutes: int = 0
    logged_visits: int = 0
    logged_minutes: int = 0

    @property
    def below(self) -> bool:
        return self.logged_visits < self.owed_visits or self.logged_minutes < self.owed_minutes


def owed_in(relationship: Relationship, month: datetime.date, monthly: int | None) -> int:
    return month_owed(
        monthly,
        month=month,
        starts_on=relationship.starts_on,
        ended_on=relationship.ended_on,
        pauses=relationship.pauses,
    )


def pace_of(relationship: Relationship, months: list[datetime.date]) -> Pace:
    """The rule of relationships/pace.py, month by month: a month asks its share of the
    monthly figures for the days the relationship was open and not paused (as its summary row
    holds it); months before the first visit falls due are not judged."""
    pace = Pace()
    if not relationship.visits_expected and not relationship.minutes_expected:
        return pace
    first_due = None
    if relationship.days_to_first_visit is not None:
        first_due = relationship.starts_on + datetime.timedelta(
            days=relationship.days_to_first_visit
        )
    for month in months:
        if first_due is not None and month < first_due and month_bounds(month)[1] <= first_due:
            continue
        owed = relationship.owed.get(month)
        if owed is None:  # no summary row yet (a refresh still to come): counted here
            owed = (
                owed_in(relationship, month, relationship.visits_expected),
                owed_in(relationship, month, relationship.minutes_expected),
            )
        owed_visits, owed_minutes = owed
        if not owed_visits and not owed_minutes:
            continue
        visits, minutes = relationship.months.get(month, (0, 0))
        pace.judged[month] = visits >= owed_visits and minutes >= owed_minutes
        pace.owed_visits += owed_visits
        pace.owed_minutes += owed_minutes
        pace.logged_visits += visits
        pace.logged_minutes += minutes
    return pace


def hours_table(relationships: dict[int, Relationship], paces: dict[int, Pace]) -> tuple:
    minutes: dict[int, int] = defaultdict(int)
    owed: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for pk, relationship in relationships.items():
        pace = paces[pk]
        for person in relationship.people:
            minutes[person] += relationship.minutes
            figures = owed[person]
            figures[0] += pace.owed_visits
            figures[1] += pace.owed_minutes
            figures[2] += pace.logged_visits
            figures[3] += pace.logged_minutes
    bands: dict[str, tuple[set[int], set[int]]] = {name: (set(), set()) for __, name in HOUR_BANDS}
    for person, total in minutes.items():
        band = next(
            name
            for upper, name in HOUR_BANDS
            if upper is None or total / 60 < upper or (upper == 0 and total == 0)
        )
        below, on = bands[band]
        owed_visits, owed_minutes, visits, logged = owed[person]
        (below if visits < owed_visits or logged < owed_minutes else on).add(person)
    rows = []
    for __, name in HOUR_BANDS:
        below, on = bands[name]
        everyone = frozenset(below | on)
        rows.append(
            [
                label(_(name)),
                count(len(everyone), everyone),
                count(len(below), frozenset(below)),
                count(len(on), frozenset(on)),
            ]
        )
    return rows, _total(rows, (1, 2, 3))


def _total(rows: list[list[Draft]], columns: Iterable[int], title: str = "") -> list[Draft]:
    """A total row: each listed column summed, with the union of its people."""
    total = [label(title or _("Total"))]
    columns = list(columns)
    width = len(rows[0]) if rows else max(columns, default=0) + 1
    for column in range(1, width):
        if column in columns:
            value = sum(row[column].value or 0 for row in rows)
            people = union(cast(People, row[column].people) for row in rows)
            cell = count(value, people)
            if any(isinstance(row[column].value, float) for row in rows):
                cell = Draft(
                    value=round(value, 1),
                    people=people,
                    text=number_format(value, 1, force_grouping=True),
                )
            total.append(cell)
        else:
            total.append(Draft(value=None, text="–"))
    return total


def rollup_per_relationship(
    scope: Scope, filters: Filters, *, today: datetime.date | None = None
) -> Rollup:
    """Every table of the roll-up, counted relationship by relationship in Python: the plain
    statement of the rule, too slow for a state (a row per relationship and month comes back),
    kept as the reference that `build_rollup` (grouped in the database) must equal cell for
    cell (tests/leaders/test_rollup_grouped.py)."""
    today = today or clock.today()
    relationships = load_relationships(scope, filters)
    months = period_months(filters, today)
    judged = judged_months(filters, today)
    paces = {pk: pace_of(relationship, judged) for pk, relationship in relationships.items()}
    shielded = scope.shielded_ids
    tables: list[Table] = []

    def add(
        slug: str,
        title: str,
        columns: list[str],
        rows: list[list[Draft]],
        total: list[Draft] | None,
        layout: Layout,
        *,
        note: str = "",
        chart: Callable[[Table], dict] | None = None,
        chart_type: str = "bar",
        links: tuple = (),
        sort: str | None = None,
    ) -> None:
        body, total_cells = protect(rows, total, layout=layout, shielded=shielded)
        if sort is not None:
            order = sort_order(body, sort)
            body = tuple(body[i] for i in order)
            links = tuple(links[i] for i in order) if links else ()
        table = Table(
            slug=slug,
            title=title,
            columns=tuple(columns),
            rows=body,
            total=total_cells,
            note=note,
            chart_type=chart_type,
            links=links,
        )
        if chart is not None:
            table = Table(**{**table.__dict__, "chart": chart(table)})
        tables.append(table)

    # Per program, side by side.
    by_program: dict[int, list[Relationship]] = defaultdict(list)
    for relationship in relationships.values():
        by_program[relationship.program_id].append(relationship)
    retention = _retention_rows(scope, filters)
    program_rows, program_links = [], []
    for pk, program in scope.programs.items():
        if pk not in by_program and pk not in retention.by_program:
            continue
        if filters.program is not None and pk != filters.program:
            continue
        members = by_program.get(pk, [])
        people = union(r.people for r in members)
        visited = union(r.people for r in members if r.months)
        minutes = sum(r.minutes for r in members)
        judged_count = sum(len(paces[r.pk].judged) for r in members)
        on_pace = sum(sum(paces[r.pk].judged.values()) for r in members)
        stayed, joined, enrolled_people = retention.by_program.get(pk, (0, 0, NOBODY))
        program_rows.append(
            [
                label(program.name),
                count(len(people), people),
                count(len(members), people),
                count(sum(r.visits for r in members), visited),
                hours(minutes, visited),
                mean_hours(minutes, len(people), people),
                share(on_pace, judged_count, people),
                share(stayed, joined, enrolled_people),
            ]
        )
        program_links.append(
            reverse("programs:detail", args=[program.code])
            if pk in scope.coordinated_program_ids
            else None
        )
    program_total = _total(program_rows, (1, 2, 3, 4), _("All programs"))
    everyone = union(r.people for r in relationships.values())
    all_minutes = sum(r.minutes for r in relationships.values())
    if program_rows:
        program_total[1] = count(len(everyone), everyone)
        program_total[5] = mean_hours(all_minutes, len(everyone), everyone)
        judged_all = sum(len(p.judged) for p in paces.values())
        program_total[6] = share(
            sum(sum(p.judged.values()) for p in paces.values()), judged_all, everyone
        )
        program_total[7] = share(retention.stayed, retention.joined, retention.people)
    program_columns = [
        _("Program"),
        _("Teachers supported"),
        _("Relationships"),
        _("Visits logged"),
        _("Hours of support"),
        _("Hours per teacher"),
        _("Relationship-months on pace"),
        _("Protégés who stayed or completed"),
    ]
    add(
        "programs",
        _("Programs side by side"),
        program_columns,
        program_rows,
        program_total if program_rows else None,
        Layout(columns=(1, 2, 3, 4), derived=(5, 6, 7)),
        note=_(
            "Sort by a column with its heading. A program's name leads to its dashboard when you "
            "coordinate it."
        ),
        links=tuple(program_links),
        sort=filters.sort,
    )

    rows, total = hours_table(relationships, paces)
    add(
        "hours",
        _("Hours of support per teacher"),
        [
            _("Hours in the period"),
            _("Teachers"),
            _("Below the dosage"),
            _("On the dosage, or none asked"),
        ],
        rows,
        total,
        Layout(columns=(1, 2, 3), row_parts=(2, 3), row_total=1),
        note=_(
            "Below the dosage: fewer visits or minutes than their programs ask for the months "
            "judged (the dashboard's pace rule, month by month)."
        ),
        chart=lambda table: bar_chart(table, 1, _("Teachers")),
    )

    by_month: dict[datetime.date, list] = {month: [set(), 0, 0] for month in months}
    for relationship in relationships.values():
        for month, (visits, minutes) in relationship.months.items():
            figures = by_month.get(month)
            if figures is not None:
                figures[0] |= relationship.people
                figures[1] += visits
                figures[2] += minutes
    month_rows = []
    for month in months:
        people_then, visits, minutes = by_month[month]
        visited = frozenset(people_then)
        month_rows.append(
            [
                label(format_day(month, "M Y")),
                count(len(visited), visited),
                count(visits, visited),
                hours(minutes, visited),
            ]
        )
    month_total = _total(month_rows, (1, 2, 3))
    visited_all = union(r.people for r in relationships.values() if r.months)
    month_total[1] = count(len(visited_all), visited_all)
    add(
        "months",
        _("Visits and hours by month"),
        [_("Month"), _("Teachers visited"), _("Visits logged"), _("Hours")],
        month_rows,
        month_total if month_rows else None,
        Layout(columns=(1, 2, 3)),
        chart=lambda table: bar_chart(table, 2, _("Visits logged")),
    )

    all_visits = sum(r.visits for r in relationships.values())
    activity_rows = []
    for value, name in Activity.choices:
        with_it = [r for r in relationships.values() if r.activities.get(value, (0, 0))[0]]
        people = union(r.people for r in with_it)
        visits = sum(r.activities[value][0] for r in with_it)
        minutes = sum(r.activities[value][1] for r in with_it)
        activity_rows.append(
            [
                label(str(name)),
                count(visits, people),
                share(visits, all_visits, people),
                hours(minutes, people),
            ]
        )
    add(
        "activities",
        _("Time by activity"),
        [
            _("Activity"),
            _("Visits that included it"),
            _("Share of visits"),
            _("Hours given to it"),
        ],
        activity_rows,
        [
            label(_("All visits logged")),
            count(all_visits, visited_all),
            share(all_visits, all_visits, visited_all),
            hours(all_minutes, visited_all),
        ],
        Layout(derived=(2,)),
        note=_(
            "A visit usually has several activities, so the shares of visits add up to more "
            "than 100%. Its time is shared evenly between its activities."
        ),
        chart=lambda table: bar_chart(table, 2, _("Share of visits (%)")),
    )

    dosage_rows = []
    for month in judged:
        judged_here = [r for r in relationships.values() if month in paces[r.pk].judged]
        on = [r for r in judged_here if paces[r.pk].judged[month]]
        behind = [r for r in judged_here if not paces[r.pk].judged[month]]
        people = union(r.people for r in judged_here)
        dosage_rows.append(
            [
                label(format_day(month, "M Y")),
                count(len(judged_here), people),
                count(len(on), union(r.people for r in on)),
                count(len(behind), union(r.people for r in behind)),
                share(len(on), len(judged_here), people),
            ]
        )
    dosage_total = _total(dosage_rows, (1, 2, 3))
    if dosage_rows:
        dosage_total.append(
            share(dosage_total[2].value or 0, dosage_total[1].value or 0, dosage_total[1].people)
        )
    add(
        "dosage",
        _("Dosage kept: relationship-months on pace"),
        [
            _("Month"),
            _("Relationship-months judged"),
            _("On pace"),
            _("Behind"),
            _("Share on pace"),
        ],
        dosage_rows,
        dosage_total[:5] if dosage_rows else None,
        Layout(columns=(1, 2, 3), row_parts=(2, 3), row_total=1, derived=(4,)),
        note=_(
            "A month is judged once it is over (with the dashboard's week of grace) and wholly in "
            "the period, for relationships whose program asks for visits or minutes, after the "
            "first visit falls due."
        ),
        chart=lambda table: bar_chart(table, 4, _("Share on pace (%)")),
    )

    add(
        "deadlines",
        _("First visits and first goals on time"),
        [_("Deadline"), _("On time"), _("Late"), _("Not due yet"), _("Relationships")],
        _deadline_rows(relationships, filters, today),
        None,
        Layout(row_parts=(1, 2, 3), row_total=4),
        note=_("Relationships that started in the period, where their program sets a deadline."),
    )

    goal_rows, goal_total = _goal_rows(scope, filters, relationships)
    add(
        "goals",
        _("Goal attainment by focus area"),
        [
            _("Focus area"),
            _("Met"),
            _("Not met"),
            _("Still open"),
            _("Closed otherwise"),
            _("Goals"),
            _("Attainment"),
        ],
        goal_rows,
        goal_total if goal_rows else None,
        Layout(columns=(1, 2, 3, 4, 5), row_parts=(1, 2, 3, 4), row_total=5, derived=(6,)),
        note=_(
            "Goals set by the end of the period, with their status today. Attainment: of the "
            "goals with a verdict, the share met."
        ),
        chart=lambda table: bar_chart(table, 6, _("Attainment (%)")),
    )

    _add_observations(add, scope, filters)

    retention_columns = [
        _("Joined"),
        _("Taking part"),
        _("Completed"),
        _("Left"),
        _("Stayed or completed"),
    ]
    retention_layout = Layout(columns=(1, 2, 3, 4), row_parts=(2, 3, 4), row_total=1, derived=(5,))
    cohort_rows = retention.rows(lambda e: str(e.joined_on.year), sorted_by=lambda key: key)
    add(
        "cohorts",
        _("Retention of protégés by cohort"),
        [_("Cohort (year joined)"), *retention_columns],
        cohort_rows,
        retention.total() if cohort_rows else None,
        retention_layout,
        note=_("Where each protégé's enrollment stood at the end of the period."),
        chart=lambda table: _retention_chart(table),
    )
    stage_names = dict(CareerStage.choices)
    stage_order = list(stage_names)
    stage_rows = retention.rows(
        lambda e: e.stage or "",
        sorted_by=lambda key: stage_order.index(key) if key in stage_order else len(stage_order),
        names=lambda key: str(stage_names.get(key, _("Not recorded"))),
    )
    add(
        "stages",
        _("Retention of protégés by career stage"),
        [_("Career stage"), *retention_columns],
        stage_rows,
        retention.total() if stage_rows else None,
        retention_layout,
        note=_("The career stage recorded on each protégé's profile today."),
    )
    reason_rows = retention.reasons()
    add(
        "reasons",
        _("Why protégés left"),
        [_("Reason"), _("Protégés")],
        reason_rows,
        _total(reason_rows, (1,)) if reason_rows else None,
        Layout(columns=(1,)),
    )

    waiting_rows = _waiting_rows(scope, filters, today)
    add(
        "waiting",
        _("Waiting for a match"),
        [_("Waiting for"), _("Protégés")],
        waiting_rows,
        _total(waiting_rows, (1,)),
        Layout(columns=(1,)),
        note=_(
            "Today: protégés enrolled with no open relationship in their program, since they "
            "joined or their last relationship there ended."
        ),
    )

    caseload_rows = _caseload_rows(scope, filters)
    add(
        "caseloads",
        _("Mentor and coach caseloads against their limits"),
        [_("Caseload"), _("Mentors and coaches"), _("Open relationships")],
        caseload_rows,
        _total(caseload_rows, (1, 2)),
        Layout(columns=(1, 2)),
        note=_(
            "Today: each mentor's or coach's open relationships in every program, against the "
            "limit on their profile."
        ),
    )
    return Rollup(filters=filters, tables=tuple(tables), today=today)


def sort_order(body: tuple[tuple[Cell, ...], ...], sort: str) -> list[int]:
    """The order of a table's rows for `?sort=3` (ascending by the fourth column) or
    `?sort=-3` (descending); by name otherwise. Suppressed and empty cells go last, in name
    order, whichever way: sorting by a hidden figure would tell it."""
    descending = sort.startswith("-")
    try:
        column = int(sort.lstrip("-"))
    except ValueError:
        column, descending = 0, False
    width = len(body[0]) if body else 0
    if not 0 <= column < width:
        column, descending = 0, False
    names = sorted(range(len(body)), key=lambda i: body[i][0].text.casefold())
    shown = [i for i in names if body[i][column].sort_key[0] == 0]
    hidden = [i for i in names if body[i][column].sort_key[0] != 0]
    shown.sort(key=lambda i: body[i][column].sort_key[1], reverse=descending)
    return shown + hidden


def _deadline_rows(
    relationships: dict[int, Relationship], filters: Filters, today: datetime.date
) -> list[list[Draft]]:
    rows = []
    for name, days_of, first_of in (
        (_("First visit"), lambda r: r.days_to_first_visit, lambda r: r.first_visit),
        (_("First goal"), lambda r: r.days_to_first_goal, lambda r: r.first_goal),
    ):
        groups: dict[str, list[Relationship]] = {"on": [], "late": [], "pending": []}
        for relationship in relationships.values():
            days = days_of(relationship)
            if days is None or not filters.starts_on <= relationship.starts_on <= filters.ends_on:
                continue
            due = relationship.starts_on + datetime.timedelta(days=days)
            first = first_of(relationship)
            if first is not None and first <= due:
                groups["on"].append(relationship)
            elif first is not None or today > due:
                groups["late"].append(relationship)
            else:
                groups["pending"].append(relationship)
        cells = [label(name)]
        for key in ("on", "late", "pending"):
            cells.append(count(len(groups[key]), union(r.people for r in groups[key])))
        everyone = [r for group in groups.values() for r in group]
        cells.append(count(len(everyone), union(r.people for r in everyone)))
        rows.append(cells)
    return rows


def _goal_rows(
    scope: Scope, filters: Filters, relationships: dict[int, Relationship]
) -> tuple[list[list[Draft]], list[Draft]]:
    """Goals by focus area (one query): only the focus areas a program lists are named."""
    if not relationships:
        return [], []
    end = timezone.make_aware(
        datetime.datetime.combine(filters.ends_on + datetime.timedelta(days=1), datetime.time())
    )
    rows = (
        Goal.objects.filter(
            relationship__in=filtered_relationships(scope, filters).values("pk"), created_at__lt=end
        )
        .order_by()
        .values_list("relationship_id", "focus_area", "status")
        .annotate(n=Count("pk"))
    )
    other = _("Other or no focus area")
    buckets: dict[str, dict[str, list]] = defaultdict(
        lambda: {key: [0, set()] for key in ("met", "not_met", "open", "closed")}
    )
    for relationship_id, focus_area, status, n in rows:
        relationship = relationships.get(relationship_id)
        if relationship is None:
            continue
        listed = {
            area.casefold(): area for area in scope.programs[relationship.program_id].focus_areas
        }
        area = listed.get((focus_area or "").strip().casefold(), other)
        key = (
            status if status in ("met", "not_met") else "open" if status in OPEN_GOALS else "closed"
        )
        buckets[area][key][0] += n
        buckets[area][key][1] |= relationship.people
    ordered = sorted((area for area in buckets if area != other), key=str.casefold)
    if other in buckets:
        ordered.append(other)
    table = []
    for area in ordered:
        figures = buckets[area]
        cells = [label(area)]
        for key in ("met", "not_met", "open", "closed"):
            n, people = figures[key]
            cells.append(count(n, frozenset(people)))
        everyone = union(frozenset(figures[key][1]) for key in figures)
        cells.append(count(sum(figures[key][0] for key in figures), everyone))
        decided = figures["met"][0] + figures["not_met"][0]
        cells.append(
            share(figures["met"][0], decided, frozenset(figures["met"][1] | figures["not_met"][1]))
        )
        table.append(cells)
    total = _total(table, (1, 2, 3, 4, 5))
    met, not_met = total[1], total[2]
    total.append(
        share(
            met.value or 0,
            (met.value or 0) + (not_met.value or 0),
            cast(People, met.people) | cast(People, not_met.people),
        )
    )
    return table, total[:7]


@dataclass(frozen=True)
class Stint:
    person_id: int
    program_id: int
    joined_on: datetime.date
    outcome: str  # "current", "completed" or "left"
    reason: str
    stage: str | None


@dataclass
class RetentionFigures:
    stints: list[Stint]
    by_program: dict[int, tuple[int, int, People]]

    @property
    def people(self) -> People:
        return frozenset(stint.person_id for stint in self.stints)

    @property
    def joined(self) -> int:
        return len(self.stints)

    @property
    def stayed(self) -> int:
        return sum(1 for stint in self.stints if stint.outcome != "left")

    def _cells(self, name: str, stints: list[Stint]) -> list[Draft]:
        def of(outcome: str | None) -> Draft:
            chosen = [s for s in stints if outcome is None or s.outcome == outcome]
            return count(len(chosen), frozenset(s.person_id for s in chosen))

        everyone = frozenset(s.person_id for s in stints)
        stayed = sum(1 for s in stints if s.outcome != "left")
        return [
            label(name),
            of(None),
            of("current"),
            of("completed"),
            of("left"),
            share(stayed, len(stints), everyone),
        ]

    def rows(self, key_of, *, sorted_by, names=str) -> list[list[Draft]]:
        groups: dict[str, list[Stint]] = defaultdict(list)
        for stint in self.stints:
            groups[key_of(stint)].append(stint)
        return [self._cells(names(key), groups[key]) for key in sorted(groups, key=sorted_by)]

    def total(self) -> list[Draft]:
        return self._cells(_("All protégés"), self.stints)

    def reasons(self) -> list[list[Draft]]:
        labels = dict(Enrollment.LeavingReason.choices)
        groups: dict[str, list[Stint]] = defaultdict(list)
        for stint in self.stints:
            if stint.outcome == "left":
                groups[stint.reason].append(stint)
        return [
            [
                label(str(labels.get(reason, _("Not recorded")))),
                count(len(groups[reason]), frozenset(s.person_id for s in groups[reason])),
            ]
            for reason in [r for r in labels if r in groups]
            + [r for r in groups if r not in labels]
        ]


def _retention_rows(scope: Scope, filters: Filters) -> RetentionFigures:
    """Protégés' enrollments that began by the end of the period, and where each stood then
    (one query)."""
    rows = (
        _filtered_enrollments(scope, filters)
        .filter(joined_on__lte=filters.ends_on)
        .order_by()
        .values_list(
            "person_id",
            "program_id",
            "joined_on",
            "left_on",
            "leaving_reason",
            "person__protege_profile__career_stage",
        )
    )
    stints = []
    by_program: dict[int, list[Stint]] = defaultdict(list)
    for person_id, program_id, joined_on, left_on, reason, stage in rows:
        if left_on is None or left_on > filters.ends_on:
            outcome = "current"
        elif reason == Enrollment.LeavingReason.COMPLETED:
            outcome = "completed"
        else:
            outcome = "left"
        stint = Stint(person_id, program_id, joined_on, outcome, reason, stage)
        stints.append(stint)
        by_program[program_id].append(stint)
    return RetentionFigures(
        stints=stints,
        by_program={
            pk: (
                sum(1 for s in group if s.outcome != "left"),
                len(group),
                frozenset(s.person_id for s in group),
            )
            for pk, group in by_program.items()
        },
    )


def _retention_chart(table: Table) -> dict:
    names = table.columns[2:5]
    return {
        "labels": [row[0].text for row in table.rows],
        "datasets": [
            {
                "label": names[index],
                "data": [
                    None if row[index + 2].suppressed else row[index + 2].value
                    for row in table.rows
                ],
            }
            for index in range(3)
        ],
        "title": table.title,
    }


def _waiting_rows(scope: Scope, filters: Filters, today: datetime.date) -> list[list[Draft]]:
    """Protégés waiting for a match today, by how long (one query)."""
    organizations = scope.narrowed(filters.organization)
    waiting: Any = waiting_for_match(_program_ids(scope, filters)).filter(
        enrollments_q(organizations, _program_ids(scope, filters))
    )
    if filters.site:
        waiting = waiting.filter(person__protege_profile__organization_id=filters.site)
    if filters.stage:
        waiting = waiting.filter(person__protege_profile__career_stage=filters.stage)
    if filters.cohort:
        waiting = waiting.filter(joined_on__year=filters.cohort)
    names = [name for __, name in WAIT_BANDS]
    groups: dict[str, set[int]] = {name: set() for name in names}
    for person_id, since in waiting.values_list("person_id", "waiting_since"):
        days = (today - since).days
        band = next(name for upper, name in WAIT_BANDS if upper is None or days < upper)
        groups[band].add(person_id)
    return [[label(_(name)), count(len(groups[name]), frozenset(groups[name]))] for name in names]


def _caseload_rows(scope: Scope, filters: Filters) -> list[list[Draft]]:
    """Mentors and coaches with an open relationship counted, by their whole caseload against
    their limit (one query)."""
    organizations = scope.narrowed(filters.organization)
    counted = SupportRelationship.objects.open().filter(
        relationships_q(organizations, _program_ids(scope, filters))
    )
    if filters.kind:
        counted = counted.filter(kind=filters.kind)
    if filters.site:
        counted = counted.filter(
            Q(protege__protege_profile__organization_id=filters.site)
            | Q(team__site_id=filters.site)
        )
    default_limit = MentorProfile._meta.get_field("caseload_limit").default
    people = (
        User.objects.filter(pk__in=counted.values("mentor_id"))
        .annotate(load=Count("supports_given", filter=Q(supports_given__status__in=OPEN_STATUSES)))
        .order_by()
        .values_list("pk", "mentor_profile__caseload_limit", "load")
    )
    names = list(CASELOAD_BANDS)
    groups: dict[str, list[tuple[int, int]]] = {name: [] for name in names}
    for pk, limit, load in people:
        limit = default_limit if limit is None else limit
        band = names[0] if load < limit else names[1] if load == limit else names[2]
        groups[band].append((pk, load))
    rows = []
    for name in names:
        ids = frozenset(pk for pk, __ in groups[name])
        load = sum(load for __, load in groups[name])
        rows.append([label(_(name)), count(len(ids), ids), count(load, ids)])
    return rows


# Grouped in the database ----------------------------------------------------------------------


def _add_table(
    tables: list[Table],
    shielded: frozenset[int],
    slug: str,
    title: str,
    columns: list[str],
    rows: list[list[Draft]],
    total: list[Draft] | None,
    layout: Layout,
    *,
    note: str = "",
    chart: Callable[[Table], dict] | None = None,
    links: tuple = (),
    sort: str | None = None,
) -> None:
    """Protect a table's cells and add it (as rollup_per_relationship's `add` does)."""
    body, total_cells = protect(rows, total, layout=layout, shielded=shielded)
    if sort is not None:
        order = sort_order(body, sort)
        body = tuple(body[i] for i in order)
        links = tuple(links[i] for i in order) if links else ()
    table = Table(
        slug=slug,
        title=title,
        columns=tuple(columns),
        rows=body,
        total=total_cells,
        note=note,
        links=links,
    )
    if chart is not None:
        table = Table(**{**table.__dict__, "chart": chart(table)})
    tables.append(table)


def _sum_row(
    title: str, rows: list[list[Draft]], columns: dict[int, grouped.Headcount], width: int
) -> list[Draft]:
    """A total row: each listed column summed, with the people the database counted for it
    (the union of the rows' people)."""
    total = [label(title)]
    for column in range(1, width):
        if column in columns:
            value = sum(row[column].value or 0 for row in rows)
            cell = count(value, columns[column])
            if any(isinstance(row[column].value, float) for row in rows):
                cell = Draft(
                    value=round(value, 1),
                    people=columns[column],
                    text=number_format(value, 1, force_grouping=True),
                )
            total.append(cell)
        else:
            total.append(Draft(value=None, text="–"))
    return total


def _head(scope: Scope, filters: Filters, today: datetime.date, judged: list) -> grouped.Head:
    """The common table expressions of the roll-up's statements (grouped.py's module doc)."""
    chosen = filtered_relationships(scope, filters)
    if _empty(chosen):  # no program in scope: the same columns, no rows
        chosen = SupportRelationship.objects.filter(pk__lt=0)
    rel_sql, rel_params = (
        chosen.order_by()
        .values("pk", "program_id", "protege_id", "team_id", "starts_on", "ended_on")
        .annotate(
            visits_expected=Coalesce("visits_per_month", "program__visits_per_month"),
            minutes_expected=Coalesce("minutes_per_month", "program__minutes_per_month"),
            first_visit_days=Coalesce("days_to_first_visit", "program__days_to_first_visit"),
            first_goal_days=Coalesce("days_to_first_goal", "program__days_to_first_goal"),
        )
        .query.sql_with_params()
    )
    members = ClassroomTeam.members.through._meta.db_table
    first, last = whole_months(filters)
    d = grouped.date_param()
    logged = Visit.Status.LOGGED.value
    cut = "1 = 0"
    cut_params: list = []
    if first > last:
        cut, cut_params = f"(v.date >= {d} AND v.date <= {d})", [filters.starts_on, filters.ends_on]
    else:
        parts = []
        if filters.starts_on < first:
            parts.append(f"(v.date >= {d} AND v.date < {d})")
            cut_params += [filters.starts_on, first]
        if filters.ends_on >= month_bounds(last)[1]:
            parts.append(f"(v.date >= {d} AND v.date <= {d})")
            cut_params += [month_bounds(last)[1], filters.ends_on]
        if parts:
            cut = "(" + " OR ".join(parts) + ")"
    judged_sql = (
        "VALUES " + ", ".join(f"({d}, {d})" for __ in judged)
        if judged
        else f"SELECT {d} AS month, {d} AS following WHERE 1 = 0"
    )
    judged_params = [
        grouped.iso(day) for month in judged for day in (month, month_bounds(month)[1])
    ] or [grouped.iso(filters.starts_on)] * 2
    started = chosen.filter(starts_on__gte=filters.starts_on).values("pk")
    goals_sql, goals_params = (
        Goal.objects.filter(relationship__in=started)
        .order_by()
        .values("relationship_id")
        .annotate(first=Min(TruncDate("created_at", tzinfo=timezone.get_current_timezone())))
        .query.sql_with_params()
    )
    sql = f"""
    rel (id, program_id, protege_id, team_id, starts_on, ended_on, ve, me, fvd, fgd) AS (
        {rel_sql}
    ),
    rp (rel_id, person, lead) AS (
        SELECT id, protege_id, 1 FROM rel WHERE team_id IS NULL
        UNION ALL
        SELECT rel.id, m.user_id,
            CASE WHEN ROW_NUMBER() OVER (PARTITION BY rel.id ORDER BY m.user_id) = 1
                THEN 1 ELSE 0 END
        FROM rel LEFT JOIN {members} m ON m.classroomteam_id = rel.team_id
        WHERE rel.team_id IS NOT NULL
    ),
    sm (rel_id, month, visits, minutes, vo, mo) AS (
        SELECT s.relationship_id, s.month, s.visits, s.minutes, s.visits_owed, s.minutes_owed
        FROM relationships_supportmonth s JOIN rel ON rel.id = s.relationship_id
        WHERE s.month >= {d} AND s.month <= {d}
    ),
    rm (rel_id, month, visits, minutes) AS (
        SELECT rel_id, month, visits, minutes FROM sm WHERE visits > 0
        UNION ALL
        SELECT v.relationship_id, {grouped.month_of("v.date")}, COUNT(*),
            SUM(COALESCE(v.duration_minutes, 0))
        FROM relationships_visit v JOIN rel ON rel.id = v.relationship_id
        WHERE v.status = %s AND {cut}
        GROUP BY v.relationship_id, {grouped.month_of("v.date")}
    ),
    ra (rel_id, activity, visits, minutes) AS (
        SELECT s.relationship_id, a.activity, a.visits, a.minutes
        FROM relationships_supportmonthactivity a
        JOIN relationships_supportmonth s ON s.id = a.summary_id
        JOIN rel ON rel.id = s.relationship_id
        WHERE s.month >= {d} AND s.month <= {d}
        UNION ALL
        SELECT v.relationship_id, listed.activity, 1, listed.minutes
        FROM relationships_visit v JOIN rel ON rel.id = v.relationship_id
        {grouped.activity_shares("v")}
        WHERE v.status = %s AND {cut}
    ),
    jm (month, following) AS ({judged_sql}),
    pm (rel_id, month, visits, minutes, vo, mo, on_pace) AS (
        SELECT rel.id, s.month, s.visits, s.minutes, s.vo, s.mo,
            CASE WHEN s.visits >= s.vo AND s.minutes >= s.mo THEN 1 ELSE 0 END
        FROM rel
        JOIN sm s ON s.rel_id = rel.id
        JOIN jm ON jm.month = s.month
        WHERE (COALESCE(rel.ve, 0) <> 0 OR COALESCE(rel.me, 0) <> 0)
            AND (s.vo <> 0 OR s.mo <> 0)
            AND NOT (rel.fvd IS NOT NULL
                AND {grouped.days_between("jm.following", "rel.starts_on")} <= rel.fvd)
    ),
    rt (rel_id, visits, minutes, judged, on_pace, ov, om, lv, lm) AS (
        SELECT rel.id, COALESCE(t.visits, 0), COALESCE(t.minutes, 0), COALESCE(p.judged, 0),
            COALESCE(p.on_pace, 0), COALESCE(p.ov, 0), COALESCE(p.om, 0), COALESCE(p.lv, 0),
            COALESCE(p.lm, 0)
        FROM rel
        LEFT JOIN (
            SELECT rel_id, SUM(visits) AS visits, SUM(minutes) AS minutes FROM rm GROUP BY rel_id
        ) t ON t.rel_id = rel.id
        LEFT JOIN (
            SELECT rel_id, COUNT(*) AS judged, SUM(on_pace) AS on_pace, SUM(vo) AS ov,
                SUM(mo) AS om, SUM(visits) AS lv, SUM(minutes) AS lm
            FROM pm GROUP BY rel_id
        ) p ON p.rel_id = rel.id
    ),
    fv (rel_id, first) AS (
        SELECT v.relationship_id, MIN(v.date)
        FROM relationships_visit v JOIN rel ON rel.id = v.relationship_id
        WHERE v.status = %s AND rel.starts_on >= {d}
        GROUP BY v.relationship_id
    ),
    fg (rel_id, first) AS ({goals_sql})
    """
    params = [
        *rel_params,
        *[grouped.iso(day) for day in (first, last)],
        logged,
        *cut_params,
        *[grouped.iso(day) for day in (first, last)],
        logged,
        *cut_params,
        *judged_params,
        logged,
        grouped.iso(filters.starts_on),
        *goals_params,
    ]
    return grouped.Head(sql, params)


def _empty(queryset) -> bool:
    """Whether a queryset is known empty before it runs (an `IN` of no ids): it cannot be
    compiled into a statement then."""
    try:
        queryset.query.sql_with_params()
    except EmptyResultSet:
        return True
    return False


HOUR_BAND_SQL = (
    "CASE WHEN m = 0 THEN 0 WHEN m < 300 THEN 1 WHEN m < 600 THEN 2 WHEN m < 1200 THEN 3 ELSE 4 END"
)


def _grouped_figures(head: grouped.Head, people: grouped.People, filters: Filters, today):
    """Programs, months, hours, activities, dosage and deadlines: one statement, a row per
    cell group (tagged), each with up to five sums and three people columns. Each group is
    first reduced to a row per person (the `*p` expressions), then counted."""
    d = grouped.date_param()
    days = grouped.days_between
    n = people.count
    none = "1 = 0"
    body = f"""
    , pp (person, m, ov, om, lv, lm) AS (
        SELECT rp.person, SUM(rt.minutes), SUM(rt.ov), SUM(rt.om), SUM(rt.lv), SUM(rt.lm)
        FROM rp JOIN rt ON rt.rel_id = rp.rel_id
        WHERE rp.person IS NOT NULL
        GROUP BY rp.person
    ),
    pb (person, band, below) AS (
        SELECT person, {HOUR_BAND_SQL},
            CASE WHEN lv < ov OR lm < om THEN 1 ELSE 0 END
        FROM pp
    ),
    dl (rel_id, kind, outcome) AS (
        SELECT rel.id, 'visit',
            CASE WHEN fv.first IS NOT NULL AND {days("fv.first", "rel.starts_on")} <= rel.fvd
                    THEN 'on'
                WHEN fv.first IS NOT NULL OR {days(d, "rel.starts_on")} > rel.fvd
                    THEN 'late'
                ELSE 'pending' END
        FROM rel LEFT JOIN fv ON fv.rel_id = rel.id
        WHERE rel.fvd IS NOT NULL AND rel.starts_on >= {d} AND rel.starts_on <= {d}
        UNION ALL
        SELECT rel.id, 'goal',
            CASE WHEN fg.first IS NOT NULL AND {days("fg.first", "rel.starts_on")} <= rel.fgd
                    THEN 'on'
                WHEN fg.first IS NOT NULL OR {days(d, "rel.starts_on")} > rel.fgd
                    THEN 'late'
                ELSE 'pending' END
        FROM rel LEFT JOIN fg ON fg.rel_id = rel.id
        WHERE rel.fgd IS NOT NULL AND rel.starts_on >= {d} AND rel.starts_on <= {d}
    ),
    prp (program_id, person, rels, visits, minutes, judged, on_pace, visited) AS (
        SELECT rel.program_id, rp.person, SUM(rp.lead), SUM(rp.lead * rt.visits),
            SUM(rp.lead * rt.minutes), SUM(rp.lead * rt.judged), SUM(rp.lead * rt.on_pace),
            MAX(CASE WHEN rt.visits > 0 THEN 1 ELSE 0 END)
        FROM rel JOIN rp ON rp.rel_id = rel.id JOIN rt ON rt.rel_id = rel.id
        GROUP BY rel.program_id, rp.person
    ),
    ap (person, visited) AS (
        SELECT person, MAX(visited) FROM prp WHERE person IS NOT NULL GROUP BY person
    ),
    mp (month, person, visits, minutes) AS (
        SELECT rm.month, rp.person, SUM(rp.lead * rm.visits), SUM(rp.lead * rm.minutes)
        FROM rm JOIN rp ON rp.rel_id = rm.rel_id
        GROUP BY rm.month, rp.person
    ),
    acp (activity, person, visits, minutes) AS (
        SELECT ra.activity, rp.person, SUM(rp.lead * ra.visits), SUM(rp.lead * ra.minutes)
        FROM ra JOIN rp ON rp.rel_id = ra.rel_id
        GROUP BY ra.activity, rp.person
    ),
    dmp (month, person, judged, on_pace, has_on, has_behind) AS (
        SELECT pm.month, rp.person, SUM(rp.lead), SUM(rp.lead * pm.on_pace), MAX(pm.on_pace),
            MAX(1 - pm.on_pace)
        FROM pm JOIN rp ON rp.rel_id = pm.rel_id
        GROUP BY pm.month, rp.person
    ),
    dp (person, has_on, has_behind) AS (
        SELECT person, MAX(has_on), MAX(has_behind) FROM dmp
        WHERE person IS NOT NULL GROUP BY person
    ),
    dlp (kind, outcome, person, n) AS (
        SELECT dl.kind, dl.outcome, rp.person, SUM(rp.lead)
        FROM dl JOIN rp ON rp.rel_id = dl.rel_id
        GROUP BY dl.kind, dl.outcome, rp.person
    ),
    dlk (kind, person, n) AS (
        SELECT kind, person, SUM(n) FROM dlp GROUP BY kind, person
    )
    SELECT tag, key, a, b, c, d, e, {people.outer("p1")}, {people.outer("p2")},
        {people.outer("p3")}
    FROM (
        SELECT 'program' AS tag, CAST(program_id AS text) AS key, SUM(rels) AS a,
            SUM(visits) AS b, SUM(minutes) AS c, SUM(judged) AS d, SUM(on_pace) AS e,
            {n("p1")}, {n("p2", "visited = 1")}, {n("p3", none)}
        FROM prp GROUP BY program_id
        UNION ALL
        SELECT 'programs', '', SUM(rels), SUM(visits), SUM(minutes), SUM(judged), SUM(on_pace),
            {n("p1", none)}, {n("p2", none)}, {n("p3", none)}
        FROM prp
        UNION ALL
        SELECT 'everyone', '', 0, 0, 0, 0, 0, {n("p1")}, {n("p2", "visited = 1")}, {n("p3", none)}
        FROM ap
        UNION ALL
        SELECT 'month', CAST(month AS text), SUM(visits), SUM(minutes), 0, 0, 0,
            {n("p1")}, {n("p2", none)}, {n("p3", none)}
        FROM mp GROUP BY month
        UNION ALL
        SELECT 'band', CAST(band AS text), 0, 0, 0, 0, 0,
            {n("p1")}, {n("p2", "below = 1")}, {n("p3", "below = 0")}
        FROM pb GROUP BY band
        UNION ALL
        SELECT 'bands', '', 0, 0, 0, 0, 0,
            {n("p1")}, {n("p2", "below = 1")}, {n("p3", "below = 0")}
        FROM pb
        UNION ALL
        SELECT 'activity', activity, SUM(visits), SUM(minutes), 0, 0, 0,
            {n("p1")}, {n("p2", none)}, {n("p3", none)}
        FROM acp GROUP BY activity
        UNION ALL
        SELECT 'dosage', CAST(month AS text), SUM(judged), SUM(on_pace), 0, 0, 0,
            {n("p1")}, {n("p2", "has_on = 1")}, {n("p3", "has_behind = 1")}
        FROM dmp GROUP BY month
        UNION ALL
        SELECT 'dosages', '', 0, 0, 0, 0, 0,
            {n("p1")}, {n("p2", "has_on = 1")}, {n("p3", "has_behind = 1")}
        FROM dp
        UNION ALL
        SELECT 'deadline', kind || ':' || outcome, SUM(n), 0, 0, 0, 0,
            {n("p1")}, {n("p2", none)}, {n("p3", none)}
        FROM dlp GROUP BY kind, outcome
        UNION ALL
        SELECT 'deadline', kind || ':all', SUM(n), 0, 0, 0, 0,
            {n("p1")}, {n("p2", none)}, {n("p3", none)}
        FROM dlk GROUP BY kind
    ) g
    """
    today_iso, start, end = (
        grouped.iso(day) for day in (today, filters.starts_on, filters.ends_on)
    )
    sql, params = head.statement(body, [today_iso, start, end, today_iso, start, end])
    found: dict[str, dict[str, tuple]] = defaultdict(dict)
    for row in grouped.fetch(sql, params):
        found[row[0]][row[1]] = (
            tuple(int(x or 0) for x in row[2:7]),
            grouped.people_of(row, 7, 3),
        )
    return found


def _grouped_goals(scope: Scope, filters: Filters, head: grouped.Head, people: grouped.People):
    """Goals by focus area and status (two statements: the focus areas typed in each program,
    named here by the programs' lists exactly as `_goal_rows` names them; then the counts)."""
    end = timezone.make_aware(
        datetime.datetime.combine(filters.ends_on + datetime.timedelta(days=1), datetime.time())
    )
    typed = grouped.fetch(
        *head.statement(
            """SELECT DISTINCT rel.program_id, g.focus_area FROM goals_goal g
            JOIN rel ON rel.id = g.relationship_id WHERE g.created_at < %s""",
            [end],
        )
    )
    other = _("Other or no focus area")
    areas: list[str] = []
    naming: list = []
    for program_id, focus_area in typed:
        listed = {area.casefold(): area for area in scope.programs[program_id].focus_areas}
        area = listed.get((focus_area or "").strip().casefold())
        if area is None:
            continue
        if area not in areas:
            areas.append(area)
        naming += [program_id, focus_area, areas.index(area)]
    rows = len(naming) // 3
    named = (
        "VALUES " + ", ".join(["(CAST(%s AS bigint), %s, CAST(%s AS integer))"] * rows)
        if rows
        else "SELECT CAST(NULL AS bigint), CAST(NULL AS text), CAST(NULL AS integer) WHERE 1 = 0"
    )
    n = people.count
    opened = ", ".join(f"'{status}'" for status in OPEN_GOALS)
    flags = (
        "status = 'met'",
        "status = 'not_met'",
        f"status IN ({opened})",
        f"status NOT IN ('met', 'not_met', {opened})",
    )
    per_person = ", ".join(
        [f"SUM(CASE WHEN {flag} THEN lead ELSE 0 END)" for flag in flags]
        + ["SUM(lead)"]
        + [f"MAX(CASE WHEN {flag} THEN 1 ELSE 0 END)" for flag in flags]
    )
    counted = "f0 = 1 OR f1 = 1 OR f2 = 1 OR f3 = 1"
    who = ", ".join(
        [n(f"p{i}", f"f{i} = 1") for i in range(4)]
        + [n("p4", counted), n("p5", "f0 = 1 OR f1 = 1")]
    )
    outer = ", ".join(people.outer(f"p{i}") for i in range(6))
    body = f"""
    , named (program_id, focus_area, area) AS ({named}),
    gp (area, status, person, lead) AS (
        SELECT COALESCE(named.area, -1), g.status, rp.person, rp.lead
        FROM goals_goal g JOIN rel ON rel.id = g.relationship_id
        JOIN rp ON rp.rel_id = rel.id
        LEFT JOIN named ON named.program_id = rel.program_id
            AND named.focus_area = g.focus_area
        WHERE g.created_at < %s
    ),
    gap (area, person, n0, n1, n2, n3, n4, f0, f1, f2, f3) AS (
        SELECT area, person, {per_person} FROM gp GROUP BY area, person
    ),
    gt (person, f0, f1, f2, f3) AS (
        SELECT person, MAX(f0), MAX(f1), MAX(f2), MAX(f3) FROM gap
        WHERE person IS NOT NULL GROUP BY person
    )
    SELECT area, n0, n1, n2, n3, n4, {outer}
    FROM (
        SELECT area, SUM(n0) AS n0, SUM(n1) AS n1, SUM(n2) AS n2, SUM(n3) AS n3,
            SUM(n4) AS n4, {who}
        FROM gap GROUP BY area
        UNION ALL
        SELECT -2, (SELECT SUM(n0) FROM gap), (SELECT SUM(n1) FROM gap),
            (SELECT SUM(n2) FROM gap), (SELECT SUM(n3) FROM gap), (SELECT SUM(n4) FROM gap),
            {who}
        FROM gt
    ) g
    """
    sql, params = head.statement(body, [*naming, end])
    found = {}
    for row in grouped.fetch(sql, params):
        found[int(row[0])] = (
            tuple(int(x or 0) for x in row[1:6]),
            grouped.people_of(row, 6, 6),
        )
    table = []
    ordered = sorted(range(len(areas)), key=lambda i: areas[i].casefold())
    if -1 in found:
        ordered.append(-1)
    for index in ordered:
        if index not in found:
            continue
        figures, described = found[index]
        cells_row = [label(areas[index] if index >= 0 else other)]
        for value, cell_people in zip(figures, described[:5], strict=True):
            cells_row.append(count(value, cell_people))
        cells_row.append(share(figures[0], figures[0] + figures[1], described[5]))
        table.append(cells_row)
    if not table:
        return [], []
    figures, described = found[-2]
    total = [label(_("Total"))]
    for value, cell_people in zip(figures, described[:5], strict=True):
        total.append(count(value, cell_people))
    # As `_goal_rows`: the total row's attainment is left blank ("–").
    total.append(Draft(value=None, text="–"))
    return table, total


def _grouped_retention(scope: Scope, filters: Filters, people: grouped.People):
    """Protégés' enrollments by cohort, career stage, program and leaving reason, and in all
    (one statement): joined, taking part, completed and left, each with its people."""
    enrolled = _filtered_enrollments(scope, filters)
    if _empty(enrolled):
        enrolled = Enrollment.objects.filter(pk__lt=0)
    enrolled_sql, enrolled_params = (
        enrolled.filter(joined_on__lte=filters.ends_on)
        .order_by()
        .values("person_id", "program_id", "joined_on", "left_on", "leaving_reason")
        .annotate(stage=F("person__protege_profile__career_stage"))
        .query.sql_with_params()
    )
    d = grouped.date_param()
    n = people.count
    outcomes = ("current", "completed", "left")
    per_person = ", ".join(
        ["COUNT(*)"]
        + [f"SUM(CASE WHEN outcome = '{o}' THEN 1 ELSE 0 END)" for o in outcomes]
        + [f"MAX(CASE WHEN outcome = '{o}' THEN 1 ELSE 0 END)" for o in outcomes]
    )
    who = ", ".join([n("p0")] + [n(f"p{i + 1}", f"f{i + 1} = 1") for i in range(3)])
    outer = ", ".join(people.outer(f"p{i}") for i in range(4))
    groups = (
        ("cohort", f"CAST({grouped.year_of('joined_on')} AS text)"),
        ("stage", "COALESCE(stage, '')"),
        ("program", "CAST(program_id AS text)"),
        ("reason", "COALESCE(leaving_reason, '')"),
        ("all", "''"),
    )
    reduced = ",\n".join(
        f"""{tag}_p (key, person, n0, n1, n2, n3, f1, f2, f3) AS (
            SELECT {key}, person, {per_person} FROM st
            {"WHERE outcome = 'left'" if tag == "reason" else ""}
            GROUP BY {key + ", " if tag != "all" else ""}person
        )"""
        for tag, key in groups
    )
    parts = " UNION ALL ".join(
        f"""SELECT '{tag}' AS tag, key, SUM(n0) AS n0, SUM(n1) AS n1, SUM(n2) AS n2,
            SUM(n3) AS n3, {who} FROM {tag}_p GROUP BY key"""
        for tag, __ in groups
    )
    sql = f"""
    WITH en (person, program_id, joined_on, left_on, leaving_reason, stage) AS ({enrolled_sql}),
    st AS (
        SELECT en.*, CASE WHEN left_on IS NULL OR left_on > {d} THEN 'current'
            WHEN leaving_reason = %s THEN 'completed' ELSE 'left' END AS outcome
        FROM en
    ),
    {reduced}
    SELECT tag, key, n0, n1, n2, n3, {outer} FROM ({parts}) g
    """
    params = [
        *enrolled_params,
        grouped.iso(filters.ends_on),
        Enrollment.LeavingReason.COMPLETED.value,
    ]
    found: dict[str, dict[str, tuple]] = defaultdict(dict)
    for row in grouped.fetch(sql, params):
        found[row[0]][row[1]] = tuple(int(x or 0) for x in row[2:6]), grouped.people_of(row, 6, 4)
    return found


def _retention_cells(name: str, figures: tuple) -> list[Draft]:
    (joined, current, completed, left), (everyone, *who) = figures
    cells = [label(name), count(joined, everyone)]
    for value, people in zip((current, completed, left), who, strict=True):
        cells.append(count(value, people))
    cells.append(share(joined - left, joined, everyone))
    return cells


def _add_observations(add, scope: Scope, filters: Filters) -> None:
    """The observation tools' domains, averaged (reports/observation_figures.py): one query of
    scores summed by domain and relationship, whichever way the other tables are counted."""
    observed = domain_totals(
        filtered_relationships(scope, filters).values("pk"),
        starts_on=filters.starts_on,
        ends_on=filters.ends_on,
    )
    add(
        "observations",
        _("Observation scores by domain"),
        observation_figures.columns(),
        observation_figures.domain_rows(
            observed,
            observation_figures.people_by_relationship(observed),
            key=lambda total: total.key,
        ),
        None,
        observation_figures.LAYOUT,
        note=_(
            "The observation tools' domains scored in the period, averaged over every "
            "observation; a tool copied into another program counts with its original. A "
            "checklist's figure is the share of a domain's look-fors seen."
        ),
    )


def build_rollup(scope: Scope, filters: Filters, *, today: datetime.date | None = None) -> Rollup:
    """Every table of the roll-up for these filters, each protected (suppression.py): grouped
    in the database (grouped.py), a few hundred rows back whatever the number of
    relationships; the same cells as `rollup_per_relationship`."""
    with grouped.working_memory():
        return _build_rollup(scope, filters, today=today)


def _build_rollup(scope: Scope, filters: Filters, *, today: datetime.date | None) -> Rollup:
    today = today or clock.today()
    months = period_months(filters, today)
    judged = judged_months(filters, today)
    shielded = scope.shielded_ids
    people = grouped.People(max(minimum(), len(shielded) + 1))
    head = _head(scope, filters, today, judged)
    found = _grouped_figures(head, people, filters, today)
    retention = _grouped_retention(scope, filters, people)
    tables: list[Table] = []
    zero = ((0, 0, 0, 0, 0), [grouped.Headcount(0, frozenset())] * 3)
    no_one = ((0, 0, 0, 0), [grouped.Headcount(0, frozenset())] * 4)

    def add(*args, **kwargs) -> None:
        _add_table(tables, shielded, *args, **kwargs)

    # Per program, side by side.
    __, all_visits, all_minutes, all_judged, all_on = found["programs"].get("", zero)[0]
    everyone, visited_all, __ = found["everyone"].get("", zero)[1]
    program_rows, program_links = [], []
    for pk, program in scope.programs.items():
        key = str(pk)
        if key not in found["program"] and key not in retention["program"]:
            continue
        if filters.program is not None and pk != filters.program:
            continue
        (n, visits, minutes, judged_count, on_pace), (teachers, visited, __) = found["program"].get(
            key, zero
        )
        (joined, __, __, left), (enrolled, *__) = retention["program"].get(key, no_one)
        program_rows.append(
            [
                label(program.name),
                count(len(teachers), teachers),
                count(n, teachers),
                count(visits, visited),
                hours(minutes, visited),
                mean_hours(minutes, len(teachers), teachers),
                share(on_pace, judged_count, teachers),
                share(joined - left, joined, enrolled),
            ]
        )
        program_links.append(
            reverse("programs:detail", args=[program.code])
            if pk in scope.coordinated_program_ids
            else None
        )
    program_total = None
    if program_rows:
        program_total = _sum_row(
            _("All programs"),
            program_rows,
            {1: everyone, 2: everyone, 3: visited_all, 4: visited_all},
            8,
        )
        program_total[1] = count(len(everyone), everyone)
        program_total[5] = mean_hours(all_minutes, len(everyone), everyone)
        program_total[6] = share(all_on, all_judged, everyone)
        (joined, __, __, left), (enrolled, *__) = retention["all"].get("", no_one)
        program_total[7] = share(joined - left, joined, enrolled)
    add(
        "programs",
        _("Programs side by side"),
        [
            _("Program"),
            _("Teachers supported"),
            _("Relationships"),
            _("Visits logged"),
            _("Hours of support"),
            _("Hours per teacher"),
            _("Relationship-months on pace"),
            _("Protégés who stayed or completed"),
        ],
        program_rows,
        program_total,
        Layout(columns=(1, 2, 3, 4), derived=(5, 6, 7)),
        note=_(
            "Sort by a column with its heading. A program's name leads to its dashboard when you "
            "coordinate it."
        ),
        links=tuple(program_links),
        sort=filters.sort,
    )

    hour_rows = []
    for band, (__, name) in enumerate(HOUR_BANDS):
        __, (all_in, below, on) = found["band"].get(str(band), zero)
        hour_rows.append(
            [
                label(_(name)),
                count(len(all_in), all_in),
                count(len(below), below),
                count(len(on), on),
            ]
        )
    __, (all_in, below, on) = found["bands"].get("", zero)
    add(
        "hours",
        _("Hours of support per teacher"),
        [
            _("Hours in the period"),
            _("Teachers"),
            _("Below the dosage"),
            _("On the dosage, or none asked"),
        ],
        hour_rows,
        _sum_row(_("Total"), hour_rows, {1: all_in, 2: below, 3: on}, 4),
        Layout(columns=(1, 2, 3), row_parts=(2, 3), row_total=1),
        note=_(
            "Below the dosage: fewer visits or minutes than their programs ask for the months "
            "judged (the dashboard's pace rule, month by month)."
        ),
        chart=lambda table: bar_chart(table, 1, _("Teachers")),
    )

    month_rows = []
    for month in months:
        (visits, minutes, *__), (visited, *__) = found["month"].get(month.isoformat(), zero)
        month_rows.append(
            [
                label(format_day(month, "M Y")),
                count(len(visited), visited),
                count(visits, visited),
                hours(minutes, visited),
            ]
        )
    month_total = None
    if month_rows:
        month_total = _sum_row(
            _("Total"), month_rows, {1: visited_all, 2: visited_all, 3: visited_all}, 4
        )
        month_total[1] = count(len(visited_all), visited_all)
    add(
        "months",
        _("Visits and hours by month"),
        [_("Month"), _("Teachers visited"), _("Visits logged"), _("Hours")],
        month_rows,
        month_total,
        Layout(columns=(1, 2, 3)),
        chart=lambda table: bar_chart(table, 2, _("Visits logged")),
    )

    activity_rows = []
    for value, activity_name in Activity.choices:
        (visits, minutes, *__), (with_it, *__) = found["activity"].get(value, zero)
        activity_rows.append(
            [
                label(str(activity_name)),
                count(visits, with_it),
                share(visits, all_visits, with_it),
                hours(minutes, with_it),
            ]
        )
    add(
        "activities",
        _("Time by activity"),
        [
            _("Activity"),
            _("Visits that included it"),
            _("Share of visits"),
            _("Hours given to it"),
        ],
        activity_rows,
        [
            label(_("All visits logged")),
            count(all_visits, visited_all),
            share(all_visits, all_visits, visited_all),
            hours(all_minutes, visited_all),
        ],
        Layout(derived=(2,)),
        note=_(
            "A visit usually has several activities, so the shares of visits add up to more "
            "than 100%. Its time is shared evenly between its activities."
        ),
        chart=lambda table: bar_chart(table, 2, _("Share of visits (%)")),
    )

    dosage_rows = []
    for month in judged:
        (n, on_pace, *__), (judged_people, on, behind) = found["dosage"].get(
            month.isoformat(), zero
        )
        dosage_rows.append(
            [
                label(format_day(month, "M Y")),
                count(n, judged_people),
                count(on_pace, on),
                count(n - on_pace, behind),
                share(on_pace, n, judged_people),
            ]
        )
    dosage_total = None
    if dosage_rows:
        __, (judged_people, on, behind) = found["dosages"].get("", zero)
        # As rollup_per_relationship's: the total row's share is left blank ("–").
        dosage_total = _sum_row(_("Total"), dosage_rows, {1: judged_people, 2: on, 3: behind}, 5)
    add(
        "dosage",
        _("Dosage kept: relationship-months on pace"),
        [
            _("Month"),
            _("Relationship-months judged"),
            _("On pace"),
            _("Behind"),
            _("Share on pace"),
        ],
        dosage_rows,
        dosage_total,
        Layout(columns=(1, 2, 3), row_parts=(2, 3), row_total=1, derived=(4,)),
        note=_(
            "A month is judged once it is over (with the dashboard's week of grace) and wholly in "
            "the period, for relationships whose program asks for visits or minutes, after the "
            "first visit falls due."
        ),
        chart=lambda table: bar_chart(table, 4, _("Share on pace (%)")),
    )

    deadline_rows = []
    for name, kind in ((_("First visit"), "visit"), (_("First goal"), "goal")):
        cells = [label(name)]
        for outcome in ("on", "late", "pending", "all"):
            (n, *__), (who, *__) = found["deadline"].get(f"{kind}:{outcome}", zero)
            cells.append(count(n, who))
        deadline_rows.append(cells)
    add(
        "deadlines",
        _("First visits and first goals on time"),
        [_("Deadline"), _("On time"), _("Late"), _("Not due yet"), _("Relationships")],
        deadline_rows,
        None,
        Layout(row_parts=(1, 2, 3), row_total=4),
        note=_("Relationships that started in the period, where their program sets a deadline."),
    )

    goal_rows, goal_total = _grouped_goals(scope, filters, head, people)
    add(
        "goals",
        _("Goal attainment by focus area"),
        [
            _("Focus area"),
            _("Met"),
            _("Not met"),
            _("Still open"),
            _("Closed otherwise"),
            _("Goals"),
            _("Attainment"),
        ],
        goal_rows,
        goal_total if goal_rows else None,
        Layout(columns=(1, 2, 3, 4, 5), row_parts=(1, 2, 3, 4), row_total=5, derived=(6,)),
        note=_(
            "Goals set by the end of the period, with their status today. Attainment: of the "
            "goals with a verdict, the share met."
        ),
        chart=lambda table: bar_chart(table, 6, _("Attainment (%)")),
    )

    _add_observations(add, scope, filters)

    retention_columns = [
        _("Joined"),
        _("Taking part"),
        _("Completed"),
        _("Left"),
        _("Stayed or completed"),
    ]
    retention_layout = Layout(columns=(1, 2, 3, 4), row_parts=(2, 3, 4), row_total=1, derived=(5,))
    cohort_rows = [
        _retention_cells(key, retention["cohort"][key]) for key in sorted(retention["cohort"])
    ]

    def retention_total() -> list[Draft]:
        return _retention_cells(_("All protégés"), retention["all"][""])

    add(
        "cohorts",
        _("Retention of protégés by cohort"),
        [_("Cohort (year joined)"), *retention_columns],
        cohort_rows,
        retention_total() if cohort_rows else None,
        retention_layout,
        note=_("Where each protégé's enrollment stood at the end of the period."),
        chart=lambda table: _retention_chart(table),
    )
    stage_names = dict(CareerStage.choices)
    stage_order = list(stage_names)
    stage_rows = [
        _retention_cells(str(stage_names.get(key, _("Not recorded"))), retention["stage"][key])
        for key in sorted(
            retention["stage"],
            key=lambda key: stage_order.index(key) if key in stage_order else len(stage_order),
        )
    ]
    add(
        "stages",
        _("Retention of protégés by career stage"),
        [_("Career stage"), *retention_columns],
        stage_rows,
        retention_total() if stage_rows else None,
        retention_layout,
        note=_("The career stage recorded on each protégé's profile today."),
    )
    labels = dict(Enrollment.LeavingReason.choices)
    reasons = retention["reason"]
    reason_rows = []
    for reason in [r for r in labels if r in reasons] + [r for r in reasons if r not in labels]:
        (n, *__), (who, *__) = reasons[reason]
        reason_rows.append([label(str(labels.get(reason, _("Not recorded")))), count(n, who)])
    reason_total = None
    if reason_rows:
        (__, __, __, left), (__, __, __, leavers) = retention["all"][""]
        reason_total = _sum_row(_("Total"), reason_rows, {1: leavers}, 2)
    add(
        "reasons",
        _("Why protégés left"),
        [_("Reason"), _("Protégés")],
        reason_rows,
        reason_total,
        Layout(columns=(1,)),
    )

    waiting_rows = _waiting_rows(scope, filters, today)
    add(
        "waiting",
        _("Waiting for a match"),
        [_("Waiting for"), _("Protégés")],
        waiting_rows,
        _total(waiting_rows, (1,)),
        Layout(columns=(1,)),
        note=_(
            "Today: protégés enrolled with no open relationship in their program, since they "
            "joined or their last relationship there ended."
        ),
    )

    caseload_rows = _caseload_rows(scope, filters)
    add(
        "caseloads",
        _("Mentor and coach caseloads against their limits"),
        [_("Caseload"), _("Mentors and coaches"), _("Open relationships")],
        caseload_rows,
        _total(caseload_rows, (1, 2)),
        Layout(columns=(1, 2)),
        note=_(
            "Today: each mentor's or coach's open relationships in every program, against the "
            "limit on their profile."
        ),
    )
    return Rollup(filters=filters, tables=tuple(tables), today=today)
