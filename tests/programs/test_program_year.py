"""The program year (reports/years.py): the span a program's charts and year figures follow."""

import datetime

import pytest

from reports.years import program_year

D = datetime.date


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "today", "year"),
    [
        # No dates: the school year, August to July.
        (None, None, D(2026, 12, 31), (D(2026, 8, 1), D(2027, 7, 31))),
        (None, None, D(2027, 7, 31), (D(2026, 8, 1), D(2027, 7, 31))),
        (None, None, D(2027, 8, 1), (D(2027, 8, 1), D(2028, 7, 31))),
        # A twelve-week cohort: its own time frame, whatever today is.
        (D(2027, 3, 1), D(2027, 5, 23), D(2027, 4, 1), (D(2027, 3, 1), D(2027, 5, 23))),
        (D(2027, 3, 1), D(2027, 5, 23), D(2028, 1, 1), (D(2027, 3, 1), D(2027, 5, 23))),
        # A multi-year program: the year from the anniversary of its start, cut by its end.
        (D(2025, 8, 15), D(2028, 6, 30), D(2027, 1, 1), (D(2026, 8, 15), D(2027, 8, 14))),
        (D(2025, 8, 15), D(2028, 6, 30), D(2028, 3, 1), (D(2027, 8, 15), D(2028, 6, 30))),
        (D(2025, 8, 15), D(2028, 6, 30), D(2030, 3, 1), (D(2027, 8, 15), D(2028, 6, 30))),
        (D(2025, 8, 15), None, D(2025, 1, 1), (D(2025, 8, 15), D(2026, 8, 14))),
        # A start on leap day: its anniversaries fall on 28 February.
        (D(2028, 2, 29), None, D(2029, 3, 1), (D(2029, 2, 28), D(2030, 2, 27))),
        (D(2028, 2, 29), None, D(2028, 12, 31), (D(2028, 2, 29), D(2029, 2, 27))),
    ],
)
def test_the_year_that_holds_today(starts_on, ends_on, today, year):
    found = program_year(starts_on, ends_on, today)
    assert (found.starts_on, found.ends_on) == year


def test_its_months_run_to_this_month_and_its_label():
    year = program_year(None, None, D(2026, 12, 31))
    assert year.months(D(2026, 12, 31)) == [D(2026, m, 1) for m in range(8, 13)]
    assert year.label == "Aug 2026 – Jul 2027"
    short = program_year(D(2027, 3, 1), D(2027, 5, 23), D(2027, 4, 1))
    assert short.label == "Mar – May 2027"
    assert short.months(D(2028, 1, 1)) == [D(2027, 3, 1), D(2027, 4, 1), D(2027, 5, 1)]
