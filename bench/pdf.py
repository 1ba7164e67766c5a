"""How long the funder's PDF takes to render: ten tables of 300 program rows each (the
state-wide world's 300 programs), each with a twelve-month bar chart, rendered three times;
with `--rollup`, the leaders' roll-up as its builder prints it (reports/rollup/pdf.py): the
twelve roll-up tables, the per-program one of 300 rows, each as `report_table` converts it.

    .venv/bin/python bench/pdf.py [runs]           # prints the timings; docs/benchmarks.md
    .venv/bin/python bench/pdf.py --rollup [runs]  # has them

The first render of a process loads WeasyPrint and Pango and reads the fonts; a warm-up render
of an empty report takes that out, as in a long-running worker. CPU time is printed beside the
wall time: on a shared machine the wall time says more about the neighbours than the code.
Rendering only: the builder's queries are timed with the pages (`make bench`). The issue's
target is a PDF ready in under 20 s.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django

django.setup()

from reports.funder_pdf import BarChart, FunderReport, ReportTable  # noqa: E402
from reports.funder_pdf.render import render  # noqa: E402
from reports.rollup.pdf import report_table  # noqa: E402
from reports.rollup.tables import Cell, Table  # noqa: E402

TABLES, ROWS, RUNS = 10, 300, 3
MONTHS = [datetime.date(2026, month, 1).strftime("%b %Y") for month in range(1, 13)]


def report() -> FunderReport:
    tables = []
    for number in range(1, TABLES + 1):
        rows = [
            [
                f"Program {row:03d} of the state-wide initiative",
                f"District {row % 40:02d}",
                "fewer than 5" if row % 17 == 0 else f"{row * 3 % 211:,}",
                f"{row * 7 % 997:,}",
                f"{row * 11 % 1999 / 10:,.1f}",
                f"{row % 100}%",
            ]
            for row in range(1, ROWS + 1)
        ]
        chart = BarChart(
            title=f"Figure {number} by month",
            labels=MONTHS,
            values=[None if month == 3 else float(month * 37 % 101) for month in range(12)],
            unit="visits",
        )
        tables.append(
            ReportTable(
                title=f"Figure {number}",
                columns=["Program", "Sponsor", "Relationships", "Visits", "Hours", "On pace"],
                rows=rows,
                note="Cells of fewer than 5 relationships are suppressed.",
                chart=chart,
            )
        )
    return FunderReport(
        title="State-wide coaching report",
        organization_name="State Office of Education",
        period_label="July 1, 2026 to June 30, 2027",
        generated_on=datetime.date(2027, 7, 1),
        tables=tables,
        method_note="Counts of logged visits.\n\nCells of fewer than 5 are suppressed.",
    )


def _cell(number: int) -> Cell:
    if number % 17 == 0:
        return Cell(text="fewer than 5", suppressed=True)
    return Cell(text=f"{number:,}", value=number, people=number)


def _table(slug: str, labels: list[str], columns: int, chart: bool) -> Table:
    rows = tuple(
        (Cell(text=name, is_label=True), *(_cell(i * 7 + c * 13 + 5) for c in range(columns)))
        for i, name in enumerate(labels)
    )
    return Table(
        slug=slug,
        title=f"Roll-up table {slug}",
        columns=("Label", *(f"Figure {c + 1}" for c in range(columns))),
        rows=rows,
        total=(Cell(text="Total", is_label=True), *(_cell(999 + c) for c in range(columns))),
        note="A note under the table.",
        chart={"column": 1, "label": "Figure 1"} if chart else None,
    )


def rollup_report() -> FunderReport:
    """The roll-up's twelve tables at state scale: 300 programs side by side (eight columns),
    then the others at their usual sizes (a row a month, an activity, a band, a focus area)."""
    programs = [f"Program {row:03d} of the state-wide initiative" for row in range(1, ROWS + 1)]
    sizes = [("hours", 5, 4, True), ("months", 12, 3, True), ("activities", 13, 3, True)]
    sizes += [("dosage", 12, 4, True), ("deadlines", 2, 4, False), ("goals", 10, 6, True)]
    sizes += [("cohorts", 6, 5, True), ("stages", 4, 5, False), ("reasons", 6, 1, False)]
    sizes += [("waiting", 4, 1, False), ("caseloads", 3, 2, False)]
    tables = [_table("programs", programs, 7, False)]
    tables += [
        _table(slug, [f"Row {i}" for i in range(rows)], columns, chart)
        for slug, rows, columns, chart in sizes
    ]
    return FunderReport(
        title="Roll-up across your programs",
        organization_name="State Office of Education",
        period_label="Aug 1, 2026 – Jul 31, 2027",
        generated_on=datetime.date(2027, 7, 1),
        tables=[report_table(table) for table in tables],
        method_note="Counts of logged visits.\n\nCells of fewer than 5 are suppressed.",
    )


def main() -> None:
    arguments = [argument for argument in sys.argv[1:] if argument != "--rollup"]
    rollup = "--rollup" in sys.argv[1:]
    runs = int(arguments[0]) if arguments else RUNS
    built = rollup_report() if rollup else report()
    render(FunderReport("warm-up", "", "", built.generated_on))
    wall, cpu, pages, size = [], [], 0, 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render(built)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        pages, size = pdf.pages, len(pdf.content)
        print(f"  run: {wall[-1]:.1f} s wall, {cpu[-1]:.1f} s CPU", flush=True)
    what = f"roll-up, {ROWS} programs" if rollup else f"{TABLES} tables x {ROWS} rows"
    print(
        f"{what}: {pages} pages, {size / 1024:,.0f} KiB; median "
        f"{statistics.median(wall):.1f} s wall, {statistics.median(cpu):.1f} s CPU "
        f"({runs} run(s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
