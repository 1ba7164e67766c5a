"""The instants date-sensitive tests run at.

Every test that is not a browser test runs with the clock pinned (tests/conftest.py) at
`ORDINARY`, an unremarkable mid-month afternoon, so that no test depends on the day it runs.
A test of a rule that counts days or months also runs at each of `BOUNDARIES` (the
`boundary` fixture), the instants where such rules classically break. All are wall-clock
times in the program's time zone (America/New_York in the tests, as in the settings).
"""

import datetime
import zoneinfo

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def local(*args: int, fold: int = 0) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NEW_YORK).replace(fold=fold)


ORDINARY = local(2026, 11, 18, 14, 0)

BOUNDARIES = {
    # The 1st of a month, early: last month's figures are complete, this month's just begun.
    "first-of-month": local(2027, 3, 1, 8, 30),
    # The last day of a 31-day month, late in the evening (already the 1st in UTC).
    "last-of-month": local(2027, 3, 31, 22, 15),
    # Leap day.
    "leap-day": local(2028, 2, 29, 12, 0),
    # New Year's Eve evening: UTC is already in the next year.
    "new-years-eve": local(2026, 12, 31, 21, 30),
    # Spring forward: 02:00 became 03:00 that night.
    "spring-forward": local(2027, 3, 14, 15, 0),
    # Fall back: 01:30 happened twice; this is the second time.
    "fall-back": local(2027, 11, 7, 1, 30, fold=1),
}
