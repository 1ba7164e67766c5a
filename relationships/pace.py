"""The dosage pace rule: when a relationship is "behind dosage".

A program expects so many visits (or minutes) a month. A relationship is judged over a
window: the last complete calendar month and the current month so far. The expectation
accrues day by day, each day worth 1/(days in its month) of the monthly figure, and only on
the days that count:

- on or after the day the relationship started (months before it never count);
- not while it was paused (relationships.models.Pause);
- not in the last GRACE_DAYS days: a week to catch up before a shortfall counts.

The relationship is behind when it logged fewer visits (or fewer minutes) in the window than
the expectation accrued over those days, rounded down. It is never behind while its first
visit is not yet due. The dashboard's "What the flags mean" panel says the same in words.
"""

import datetime
import functools
import math
from collections.abc import Iterable
from fractions import Fraction

from core.months import month_bounds

GRACE_DAYS = 7

Spell = tuple[datetime.date, datetime.date | None]  # a pause: paused on, resumed on (or open)


@functools.lru_cache(maxsize=64)
def window_start(today: datetime.date) -> datetime.date:
    """The first day of the window: the first of last month."""
    this_month, _ = month_bounds(today)
    return month_bounds(this_month - datetime.timedelta(days=1))[0]


def _days(first: datetime.date, last: datetime.date) -> int:
    """How many days from `first` to `last`, both included (0 when last is before first)."""
    return max((last - first).days + 1, 0)


def paused_days(first: datetime.date, last: datetime.date, pauses: Iterable[Spell]) -> int:
    """Days from `first` to `last` (included) on which the relationship was paused; the day it
    resumed is a working day."""
    paused = 0
    for paused_on, resumed_on in pauses:
        until = last if resumed_on is None else min(last, resumed_on - datetime.timedelta(days=1))
        paused += _days(max(first, paused_on), until)
    return paused


def owed(
    monthly: int | None,
    *,
    today: datetime.date,
    starts_on: datetime.date,
    pauses: Iterable[Spell] = (),
) -> int:
    """How many visits (or minutes) a relationship should have logged in the window by today,
    for a monthly expectation (0 when there is none)."""
    if not monthly:
        return 0
    pauses = list(pauses)
    if pauses:
        return _owed(monthly, today, starts_on, pauses)
    # Without pauses the answer depends only on the expectation, today and the start, and a
    # start before the window counts as the window's first day: the dashboard judges
    # thousands of relationships that share a handful of these, so each is worked out once.
    return _owed_unpaused(monthly, today, max(starts_on, window_start(today)))


@functools.lru_cache(maxsize=4096)
def _owed_unpaused(monthly: int, today: datetime.date, starts_on: datetime.date) -> int:
    return _owed(monthly, today, starts_on, [])


def _owed(monthly: int, today: datetime.date, starts_on: datetime.date, pauses: list[Spell]) -> int:
    last_counted = today - datetime.timedelta(days=GRACE_DAYS)
    # The sum of monthly * counted / days-in-month, exactly, as one fraction of integers
    # (numerator, denominator).
    numerator, denominator = 0, 1
    month = window_start(today)
    while month <= last_counted:
        _, following = month_bounds(month)
        first = max(month, starts_on)
        last = min(following - datetime.timedelta(days=1), last_counted)
        counted = _days(first, last) - (paused_days(first, last, pauses) if pauses else 0)
        if counted > 0:
            days = (following - month).days
            numerator = numerator * days + monthly * counted * denominator
            denominator *= days
        month = following
    return numerator // denominator


def first_visit_pending(
    starts_on: datetime.date, days_to_first_visit: int | None, today: datetime.date
) -> bool:
    """Whether the days the program gives for a first visit are still running."""
    if days_to_first_visit is None:
        return False
    return today <= starts_on + datetime.timedelta(days=days_to_first_visit)


def is_behind(
    *,
    today: datetime.date,
    starts_on: datetime.date,
    pauses: Iterable[Spell],
    visits_expected: int | None,
    minutes_expected: int | None,
    days_to_first_visit: int | None,
    visits_logged: int,
    minutes_logged: int,
) -> bool:
    """The rule of this module, for one relationship: `visits_logged` and `minutes_logged` are
    what it logged in the window (from `window_start(today)` to today)."""
    if first_visit_pending(starts_on, days_to_first_visit, today):
        return False
    pauses = list(pauses)
    return visits_logged < owed(
        visits_expected, today=today, starts_on=starts_on, pauses=pauses
    ) or minutes_logged < owed(minutes_expected, today=today, starts_on=starts_on, pauses=pauses)


def month_owed(
    monthly: int | None,
    *,
    month: datetime.date,
    starts_on: datetime.date,
    ended_on: datetime.date | None = None,
    pauses: Iterable[Spell] = (),
) -> int:
    """What one whole calendar month asked of a relationship (the first day of `month`), by
    the rule of this module: each day it was open and not paused is worth 1/(days in the
    month) of the monthly figure, rounded down. The roll-up's "relationship-months on pace"
    (reports/rollup/figures.py) compares it with what the month logged."""
    if not monthly:
        return 0
    start, following = month_bounds(month)
    first = max(start, starts_on)
    last = following - datetime.timedelta(days=1)
    if ended_on is not None:
        last = min(last, ended_on)
    counted = _days(first, last) - paused_days(first, last, list(pauses))
    if counted <= 0:
        return 0
    return math.floor(Fraction(monthly * counted, (following - start).days))
