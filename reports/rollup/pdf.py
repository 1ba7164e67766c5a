"""The roll-up as a funder's PDF: the builder a report job runs when a leader presses
"Download PDF" on /leaders/ (registered in reports/funder_pdf/registry.py).

It re-derives the leader's scope from `requested_by` (someone who
leads nothing gets an empty report, never anyone else's figures), reads the page's filters
from the job's parameters (the page's query, as `Filters.as_query` writes it), counts afresh
(`stored.fresh`: a funder's report is exact, and the page's kept count is renewed) and copies
each table's cells as every reader sees them: a suppressed cell arrives as its words ("fewer
than 5", "withheld"), never its figure, because a suppressed `Cell` holds no figure. A chart
of the page becomes a bar chart of the same cells.

The per-program table may hold 300 rows at state scale: it is printed without a chart and
with the columns a funder reads first, so the PDF stays quick to lay out (docs/benchmarks.md).
"""

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from programs.served import CareerStage
from relationships.models import Kind
from reports.funder_pdf.types import BarChart, FunderReport, ReportTable
from reports.rollup import stored
from reports.rollup.filters import Filters, RollupForm
from reports.rollup.scope import Scope, leader_scope
from reports.rollup.suppression import fewer_than, minimum
from reports.rollup.tables import Table

# The per-program table's columns in the PDF, by their index in the page's table: the program,
# teachers, visits, hours, on pace and retention (relationships and hours per teacher are in
# the page and its downloads).
PROGRAM_COLUMNS = (0, 1, 3, 4, 6, 7)


def title() -> str:
    return _("Roll-up across your programs")


def build(params: dict) -> FunderReport:
    """The roll-up report for `params`: `requested_by` (a user id) and the page's query."""
    user = User.objects.filter(pk=int(params.get("requested_by") or 0)).first()
    scope = leader_scope(user) if user is not None else None
    today = clock.today()
    language = translation.get_language() or "en"
    if scope is None:
        return FunderReport(
            title=title(),
            organization_name=_("No organization"),
            period_label="",
            generated_on=today,
            method_note=_("The person who asked for this report leads no organization now."),
            language=language,
        )
    query = {name: str(value) for name, value in params.items() if name != "requested_by"}
    filters = RollupForm(query, scope=scope, today=today).filters()
    rollup = stored.fresh(scope, filters, today)
    return FunderReport(
        title=title(),
        organization_name=organization_name(scope, filters),
        period_label=period_label(scope, filters),
        generated_on=today,
        tables=[report_table(table) for table in rollup.tables],
        method_note=method_note(),
        language=language,
    )


def report_table(table: Table) -> ReportTable:
    """A roll-up table as the PDF prints it: every cell's shown text, the total row last."""
    columns: tuple[int, ...] = tuple(range(len(table.columns)))
    chart = bar_chart(table)
    if table.slug == "programs":
        columns, chart = PROGRAM_COLUMNS, None
    return ReportTable(
        title=table.title,
        columns=[table.columns[index] for index in columns],
        rows=[[row[index].text for index in columns] for row in table.all_rows],
        note="" if table.slug == "programs" else table.note,
        chart=chart,
    )


def bar_chart(table: Table) -> BarChart | None:
    """The page's chart as bars of the same cells; a hidden cell is no bar. A chart of several
    series (retention) has its numbers in the table only."""
    chart = table.chart
    if not chart or "column" not in chart or not table.rows:
        return None
    column = chart["column"]
    hidden = {row[column].text for row in table.rows if row[column].suppressed}
    return BarChart(
        title=table.title,
        labels=[row[0].text for row in table.rows],
        values=[None if row[column].suppressed else row[column].value for row in table.rows],
        unit=unit(table, column),
        suppressed_text=hidden.pop() if len(hidden) == 1 else _("hidden"),
    )


def unit(table: Table, column: int) -> str:
    """What each bar's number counts: "%" for shares, else its column ("12 teachers")."""
    if any(row[column].text.endswith("%") for row in table.rows):
        return "%"
    return table.columns[column].lower()


def organization_name(scope: Scope, filters: Filters) -> str:
    if filters.organization in scope.organization_names:
        return scope.organization_names[filters.organization]
    # The organizations the leader leads at the top (the others are their parts).
    tops = sorted(
        name
        for pk, name in scope.organization_names.items()
        if not set(scope.tree.ancestors(pk)) & scope.organization_ids
    )
    return ", ".join(tops)


def period_label(scope: Scope, filters: Filters) -> str:
    """The period, then each filter asked for, in words."""
    parts = [filters.label]
    if filters.site in scope.organization_names:
        parts.append(_("site: %(name)s") % {"name": scope.organization_names[filters.site]})
    if filters.program in scope.programs:
        parts.append(_("program: %(name)s") % {"name": scope.programs[filters.program].name})
    if filters.kind:
        parts.append(str(dict(Kind.choices).get(filters.kind, filters.kind)))
    if filters.stage:
        stage = dict(CareerStage.choices).get(filters.stage, filters.stage)
        parts.append(_("career stage: %(stage)s") % {"stage": stage})
    if filters.cohort:
        parts.append(_("cohort: %(year)s") % {"year": filters.cohort})
    return " · ".join(parts)


def method_note() -> str:
    n = minimum()
    return "\n\n".join(
        [
            _(
                "What is counted: the support relationships, visits, goals, enrollments and "
                "caseloads of the programs of the organizations you lead, and of programs "
                "sponsored elsewhere at your sites, for the period and filters on the title "
                "page. Only dates, minutes, activities, statuses and counts are read: nothing "
                "anyone wrote in a visit log, a reflection, a goal or a note."
            ),
            _(
                "Small cells: no figure describes fewer than %(n)s people. A cell that would "
                "reads “%(fewer)s”, in the table and in its chart, where it is no bar."
            )
            % {"n": n, "fewer": fewer_than()},
            _(
                "Totals: where one cell of a row or column that adds up to a total is hidden, "
                "another reads “withheld”, so that no hidden figure can be worked out by "
                "subtracting the others from the total. Shares and means in a row with a "
                "hidden cell are withheld too."
            ),
            _(
                "The per-program table prints the main columns; the roll-up page and its CSV "
                "and .xlsx downloads hold every column, with the same cells."
            ),
        ]
    )
