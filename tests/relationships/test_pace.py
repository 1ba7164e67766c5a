"""The pace rule's arithmetic (relationships/pace.py), on fixed dates: what a relationship owes
over last month and this month so far."""

import datetime

import pytest

from relationships.pace import is_behind, owed, window_start

D = datetime.date


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (D(2027, 3, 1), D(2027, 2, 1)),
        (D(2027, 3, 31), D(2027, 2, 1)),
        (D(2028, 2, 29), D(2028, 1, 1)),
        (D(2027, 1, 1), D(2026, 12, 1)),
        (D(2026, 12, 31), D(2026, 11, 1)),
    ],
)
def test_the_window_starts_on_the_first_of_last_month(today, start):
    assert window_start(today) == start


def test_a_whole_month_behind_the_grace_owes_the_whole_expectation():
    # 8 March: February (28 days) counts whole, 1 March falls inside the week's grace.
    assert owed(4, today=D(2027, 3, 8), starts_on=D(2026, 1, 1)) == 4
    # 9 March: one day of March counts too, worth 4/31 of a visit: still 4.
    assert owed(4, today=D(2027, 3, 9), starts_on=D(2026, 1, 1)) == 4
    # 31 March: February and 24 days of March: 4 + 4 * 24 / 31 = 7.1.
    assert owed(4, today=D(2027, 3, 31), starts_on=D(2026, 1, 1)) == 7


def test_leap_february_has_twenty_nine_days():
    # 29 February 2028: January whole, 22 days of February: 60 + 60 * 22 / 29 = 105.5 minutes.
    assert owed(60, today=D(2028, 2, 29), starts_on=D(2027, 9, 1)) == 105
    # A non-leap February's 21 counted days of 28 on 28 February 2027: 60 + 45 = 105.
    assert owed(60, today=D(2027, 2, 28), starts_on=D(2026, 9, 1)) == 105


def test_days_before_the_start_and_while_paused_owe_nothing():
    # Started 20 February: 9 of February's 28 days before the grace on 8 March.
    assert owed(28, today=D(2027, 3, 8), starts_on=D(2027, 2, 20)) == 9
    # Paused 1–15 February, resumed on the 16th: 13 of 28 days count.
    pauses = [(D(2027, 2, 1), D(2027, 2, 16))]
    assert owed(28, today=D(2027, 3, 8), starts_on=D(2026, 1, 1), pauses=pauses) == 13
    # Still paused: nothing from the pause on.
    assert (
        owed(28, today=D(2027, 3, 8), starts_on=D(2026, 1, 1), pauses=[(D(2027, 2, 1), None)]) == 0
    )


def test_the_first_of_the_month_after_matching_ten_days_ago():
    """Matched 19 February, visited 25 February, judged on 1 March: not behind."""
    assert not is_behind(
        today=D(2027, 3, 1),
        starts_on=D(2027, 2, 19),
        pauses=[],
        visits_expected=4,
        minutes_expected=240,
        days_to_first_visit=None,
        visits_logged=1,
        minutes_logged=45,
    )


def test_no_expectation_is_never_behind():
    assert owed(None, today=D(2027, 3, 31), starts_on=D(2020, 1, 1)) == 0
    assert owed(0, today=D(2027, 3, 31), starts_on=D(2020, 1, 1)) == 0


def test_a_start_before_the_window_owes_as_a_start_on_its_first_day_every_day_of_a_year():
    """Without pauses, `owed` remembers its answers by expectation, day and start, a start
    before the window counting as the window's first day: the same answers as a pause that
    never touches the window (which is worked out afresh), on every day of a leap year."""
    never = [(D(2019, 1, 1), D(2019, 2, 1))]
    day = D(2028, 1, 1)
    while day.year == 2028:
        for monthly in (1, 4, 240):
            for start in (D(2020, 5, 17), window_start(day), day - datetime.timedelta(days=9)):
                cached = owed(monthly, today=day, starts_on=start)
                assert cached == owed(monthly, today=day, starts_on=start, pauses=never)
            assert owed(monthly, today=day, starts_on=D(2020, 5, 17)) == owed(
                monthly, today=day, starts_on=window_start(day)
            )
        day += datetime.timedelta(days=1)
