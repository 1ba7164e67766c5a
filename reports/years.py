"""The program year: the span that a program's charts and "this year" figures follow.

A program runs on its own calendar (an August–June school year, a twelve-week cohort), not
the calendar year. Its year is:

- the program's whole time frame, when it has a start and an end at most a year apart;
- otherwise the year that begins on the anniversary of the program's start (1 August when it
  gives no start: a school year), the one holding today, cut short by the program's end.

Before a program starts its first year is shown; after it ends, its last.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format

from core.months import month_bounds

SCHOOL_YEAR_START = (8, 1)  # month and day, for a program with no start date


@dataclass(frozen=True)
class ProgramYear:
    starts_on: datetime.date
    ends_on: datetime.date  # the last day of the year, included

    def __contains__(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def label(self) -> str:
        """ "Aug 2026 – Jul 2027", or "Mar – May 2027" within one calendar year."""
        start, end = self.starts_on, self.ends_on
        if start.year == end.year:
            if start.month == end.month:
                return date_format(start, "M Y")
            return f"{date_format(start, 'M')} – {date_format(end, 'M Y')}"
        return f"{date_format(start, 'M Y')} – {date_format(end, 'M Y')}"

    def months(self, today: datetime.date) -> list[datetime.date]:
        """The first days of the year's months, up to today's month (all of them once the year
        is over)."""
        last = min(today, self.ends_on)
        months = []
        month = month_bounds(self.starts_on)[0]
        while month <= last:
            months.append(month)
            month = month_bounds(month)[1]
        return months or [month_bounds(self.starts_on)[0]]


def _anniversary(anchor: datetime.date, year: int) -> datetime.date:
    """The anchor's day in another year (28 February for a 29 February start)."""
    try:
        return anchor.replace(year=year)
    except ValueError:
        return anchor.replace(year=year, day=28)


def program_year(
    starts_on: datetime.date | None, ends_on: datetime.date | None, today: datetime.date
) -> ProgramYear:
    """The year of a program with these dates that holds `today` (see the module's rule)."""
    if starts_on and ends_on and ends_on < _anniversary(starts_on, starts_on.year + 1):
        return ProgramYear(starts_on, ends_on)
    day = today
    if starts_on:
        day = max(day, starts_on)
    if ends_on:
        day = min(day, ends_on)
    anchor = starts_on or datetime.date(day.year, *SCHOOL_YEAR_START)
    start = _anniversary(anchor, day.year)
    if start > day:
        start = _anniversary(anchor, day.year - 1)
    end = _anniversary(anchor, start.year + 1) - datetime.timedelta(days=1)
    if ends_on:
        end = min(end, ends_on)
    return ProgramYear(start, end)
