"""A report of the programs a person coordinates (every program, for an administrator, as
their Programs page lists): visits and hours by month and by program,
over a period. The builder registered for coordinators (reports/funder_pdf/registry.py), and the
example the leaders' roll-up builder follows.

Logistics only (dates, counts and minutes of logged visits), in two grouped queries whatever
the number of programs or visits. Each cell counts the relationships its figures come from; a
cell from fewer than `SMALL_CELL_MINIMUM` relationships reads "fewer than 5". A relationship
stands for at least one person (a team's for several), so this never shows fewer people. No
total row is printed, so no suppressed cell can be found by subtracting the others from it.
"""

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from core import clock
from core.dates import format_day
from core.months import month_bounds
from programs.models import Program
from relationships.models import Visit
from reports.funder_pdf import suppression
from reports.funder_pdf.types import BarChart, FunderReport, ReportTable

TITLE = gettext_lazy("Visits and hours in my programs")
# Above this many programs the table alone shows them: a bar per program would fill pages.
MAX_PROGRAM_BARS = 40


def reported_programs(user: User):
    """The active programs a person coordinates; every active program for an administrator."""
    programs = Program.objects.all() if user.is_superuser else Program.objects.coordinated_by(user)
    return programs.active()


def months(starts_on: datetime.date, ends_on: datetime.date) -> Iterator[datetime.date]:
    """The first day of every month from `starts_on`'s to `ends_on`'s."""
    month = starts_on.replace(day=1)
    while month <= ends_on:
        yield month
        month = month_bounds(month)[1]


def hours(minutes: int) -> str:
    return number_format(minutes / 60, 1, force_grouping=True)


def long_date(day: datetime.date) -> str:
    return format_day(day, "F j, Y")


def organization_name(programs: list[Program]) -> str:
    names = sorted({program.sponsor.name for program in programs})
    if not names:
        return _("No programs")
    if len(names) <= 3:
        return ", ".join(names)
    more = len(names) - 3
    return ngettext("%(names)s and %(more)s more", "%(names)s and %(more)s more", more) % {
        "names": ", ".join(names[:3]),
        "more": more,
    }


def _figures(people: int, count: int, minutes: int) -> list[str]:
    return [
        suppression.cell(number_format(people, force_grouping=True), people),
        suppression.cell(number_format(count, force_grouping=True), people),
        suppression.cell(hours(minutes), people),
    ]


def build(params: dict) -> FunderReport:
    """The report for `params`: `requested_by` (a user id), `starts_on` and `ends_on` (ISO
    dates)."""
    user = User.objects.get(pk=params["requested_by"])
    starts_on = datetime.date.fromisoformat(params["starts_on"])
    ends_on = datetime.date.fromisoformat(params["ends_on"])
    programs = list(reported_programs(user).select_related("sponsor").order_by("name", "pk"))
    visits = Visit.objects.filter(
        relationship__program__in=[program.pk for program in programs],
        status=Visit.Status.LOGGED,
        date__gte=starts_on,
        date__lte=ends_on,
    ).order_by()
    figures = {
        "people": Count("relationship", distinct=True),
        "count": Count("pk"),
        "minutes": Coalesce(Sum("duration_minutes"), 0),
    }
    by_month: dict[datetime.date, dict[str, Any]] = {}
    for found in visits.annotate(month=TruncMonth("date")).values("month").annotate(**figures):
        month = found["month"]
        by_month[month.date() if isinstance(month, datetime.datetime) else month] = dict(found)
    by_program: dict[int, dict[str, Any]] = {
        found["relationship__program"]: dict(found)
        for found in visits.values("relationship__program").annotate(**figures)
    }
    empty: dict[str, Any] = {"people": 0, "count": 0, "minutes": 0}
    columns = [_("Relationships with a visit"), _("Visits logged"), _("Hours")]

    month_rows: list[list[str]] = []
    month_values: list[float | None] = []
    labels: list[str] = []
    for month in months(starts_on, ends_on):
        row = by_month.get(month, empty)
        cells = _figures(row["people"], row["count"], row["minutes"])
        month_rows.append([format_day(month, "F Y"), *cells])
        labels.append(format_day(month, "M Y"))
        month_values.append(None if suppression.is_small(row["people"]) else row["count"])
    minimum = suppression.minimum()
    month_table = ReportTable(
        title=_("Visits logged by month"),
        columns=[_("Month"), *columns],
        rows=month_rows,
        note=_("Months with visits in fewer than %(n)s relationships read “%(text)s”.")
        % {"n": minimum, "text": suppression.suppressed_text()},
        chart=BarChart(
            title=_("Visits logged by month"),
            labels=labels,
            values=month_values,
            unit=_("visits"),
            suppressed_text=suppression.suppressed_text(),
        ),
    )

    program_rows: list[list[str]] = []
    program_values: list[float | None] = []
    for program in programs:
        row = by_program.get(program.pk, empty)
        program_rows.append(
            [
                program.name,
                program.sponsor.name,
                *_figures(row["people"], row["count"], row["minutes"]),
            ]
        )
        program_values.append(
            None if suppression.is_small(row["people"]) else round(row["minutes"] / 60, 1)
        )
    chart = None
    if 0 < len(programs) <= MAX_PROGRAM_BARS:
        chart = BarChart(
            title=_("Hours of support by program"),
            labels=[program.name for program in programs],
            values=program_values,
            unit=_("hours"),
            suppressed_text=suppression.suppressed_text(),
        )
    program_table = ReportTable(
        title=_("Visits and hours by program"),
        columns=[_("Program"), _("Sponsor"), *columns],
        rows=program_rows,
        chart=chart,
    )
    return FunderReport(
        title=str(TITLE),
        organization_name=organization_name(programs),
        period_label=_("%(starts)s to %(ends)s")
        % {"starts": long_date(starts_on), "ends": long_date(ends_on)},
        generated_on=clock.today(),
        tables=[month_table, program_table],
        method_note=method_note(minimum),
        language=get_language() or "en",
    )


def method_note(minimum: int) -> str:
    return "\n\n".join(
        [
            _(
                "What is counted: visits logged in the period (scheduled and cancelled visits "
                "are not), their minutes as hours, and the support relationships they belong "
                "to, in the programs the person who asked for this report coordinates (every "
                "program, for an administrator). Nothing written in a visit log, a reflection "
                "or a note is read: only dates, counts and minutes."
            ),
            _(
                "Small cells: a cell whose figures come from fewer than %(n)s relationships "
                "reads “%(text)s”, in the table and in the chart, whatever its number. A "
                "relationship is one protégé, or one classroom team, with their mentor or "
                "coach, so such a cell never describes fewer people."
            )
            % {"n": minimum, "text": suppression.suppressed_text()},
            _(
                "Totals: no total is printed, so that a suppressed cell cannot be worked out by "
                "subtracting the others from a total."
            ),
        ]
    )
