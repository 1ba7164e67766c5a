"""The monthly summary rows (relationships/summaries.py) equal a fresh count of the visits after
any series of writes: creates, edits, deletes, a visit moved across a month's end and a year's,
pauses, dosage changes, and time passing into a new month.

Each write commits its callbacks (the refresh task runs then, on the immediate backend), and
after each the rows are compared with `summary_refresh.count` and, for the visits and minutes,
with a plain grouped count of the visits table.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from relationships import summary_refresh
from relationships.models import (
    Activity,
    Pause,
    SupportMonth,
    SupportMonthActivity,
    Visit,
)
from relationships.pace import month_owed
from tests.clock import local
from tests.factories import ProgramFactory, SupportRelationshipFactory, VisitFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def stored() -> dict:
    """The rows as stored: {(relationship, month): (fields, {activity: [visits, minutes]})}."""
    rows: dict = {}
    for row in SupportMonth.objects.all():
        fields = {name: getattr(row, name) for name in summary_refresh.Month(None).fields()}
        rows[(row.relationship_id, row.month)] = (fields, {})
    for activity in SupportMonthActivity.objects.select_related("summary"):
        key = (activity.summary.relationship_id, activity.summary.month)
        rows[key][1][activity.activity] = [activity.visits, activity.minutes]
    return rows


def fresh(today: datetime.date) -> dict:
    ids = {pk for pk, _ in stored()} | set(Visit.objects.values_list("relationship_id", flat=True))
    return {
        key: (month.fields(), month.activities)
        for key, month in summary_refresh.count(ids, today=today).items()
    }


def plain_count() -> dict:
    """Logged visits and minutes by relationship and month, straight from the visits."""
    rows = (
        Visit.objects.logged()
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("relationship_id", "month")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
    )
    return {(row["relationship_id"], row["month"]): (row["n"], row["minutes"]) for row in rows}


def assert_summaries_hold(today: datetime.date) -> None:
    rows = stored()
    assert rows == fresh(today)
    with_visits = {key: (f["visits"], f["minutes"]) for key, (f, _) in rows.items() if f["visits"]}
    assert with_visits == plain_count()
    for fields, activities in rows.values():
        # The activities' minutes add up to the month's (every visit here lists some).
        assert sum(minutes for _, minutes in activities.values()) == fields["minutes"]


def log(relationship, day, minutes=60, activities=(Activity.OBSERVING, Activity.FEEDBACK)):
    return VisitFactory(
        relationship=relationship,
        logged=True,
        date=day,
        duration_minutes=minutes,
        activities=list(activities),
    )


def test_summaries_equal_a_fresh_count_through_a_series_of_writes(
    django_capture_on_commit_callbacks,
):
    def write(action, today):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        assert_summaries_hold(today)
        return result

    # New Year's Eve, late: UTC is already in the next year.
    with time_machine.travel(local(2026, 12, 31, 22, 0), tick=False):
        today = D(2026, 12, 31)
        program = write(lambda: ProgramFactory(visits_per_month=2, minutes_per_month=90), today)
        rel = write(
            lambda: SupportRelationshipFactory(program=program, starts_on=D(2026, 10, 20)), today
        )
        other = write(lambda: SupportRelationshipFactory(informal=True), today)
        first = write(lambda: log(rel, D(2026, 12, 1)), today)
        last = write(lambda: log(rel, D(2026, 12, 31), minutes=45), today)
        write(lambda: log(rel, D(2026, 11, 5), minutes=61, activities=Activity.values[:3]), today)
        write(lambda: log(other, D(2026, 12, 31), minutes=30), today)
        write(lambda: VisitFactory(relationship=rel, date=D(2027, 1, 8)), today)  # scheduled
        write(lambda: VisitFactory(relationship=rel, cancelled=True, date=D(2026, 12, 15)), today)
        months = SupportMonth.objects.filter(relationship=rel).order_by("month")
        assert [m.month for m in months] == [D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)]
        december = months.get(month=D(2026, 12, 1))
        assert (december.visits, december.minutes, december.cancelled) == (2, 105, 1)
        assert december.on_pace is None and not december.complete  # not over yet
        assert months.get(month=D(2026, 10, 1)).on_pace is False  # no visit at all
        november = months.get(month=D(2026, 11, 1))
        assert november.on_pace is False  # 1 visit of 2
        assert SupportMonth.objects.get(relationship=other).program_id is None

    # The first of the new year: December is over, and counted again by the scheduled job.
    with time_machine.travel(local(2027, 1, 1, 8, 30), tick=False):
        today = D(2027, 1, 1)
        assert summary_refresh.stale(today) == sorted([rel.pk, other.pk])
        assert summary_refresh.refresh_stale() == 2
        assert_summaries_hold(today)
        december = SupportMonth.objects.get(relationship=rel, month=D(2026, 12, 1))
        assert december.complete and december.on_pace is True  # 2 visits, 105 minutes
        # The last visit of the year moves into the new year, and back a day.
        last.date = D(2027, 1, 1)
        write(last.save, today)
        assert SupportMonth.objects.get(relationship=rel, month=D(2026, 12, 1)).on_pace is False
        assert SupportMonth.objects.get(relationship=rel, month=D(2027, 1, 1)).visits == 1
        last.date = D(2026, 12, 31)
        write(last.save, today)
        # An edit of its minutes and activities; a logged visit cancelled; one deleted.
        last.duration_minutes, last.activities = 50, [Activity.MODELING]
        write(last.save, today)
        first.status, first.cancel_reason = Visit.Status.CANCELLED, "Snow day"
        write(first.save, today)
        write(last.delete, today)
        # A pause over December: nothing was owed then.
        pause = write(
            lambda: Pause.objects.create(
                relationship=rel, starts_on=D(2026, 12, 1), ends_on=D(2027, 1, 1)
            ),
            today,
        )
        december = SupportMonth.objects.get(relationship=rel, month=D(2026, 12, 1))
        assert (december.visits_owed, december.on_pace) == (0, None)
        write(pause.delete, today)
        # The relationship's own dosage, then the program's, change.
        rel.visits_per_month = 1
        write(rel.save, today)
        program.minutes_per_month = 30
        write(program.save, today)
        # The relationship ends on the 31st of March (a visit on the last day of a month).
    with time_machine.travel(local(2027, 3, 31, 22, 15), tick=False):
        today = D(2027, 3, 31)
        summary_refresh.refresh_stale()
        assert_summaries_hold(today)
        write(lambda: log(rel, D(2027, 3, 31)), today)
        rel.status, rel.ended_on = "completed", D(2027, 3, 31)
        rel.end_reason = "The year is over."
        write(rel.save, today)
    with time_machine.travel(local(2027, 5, 2, 9, 0), tick=False):
        summary_refresh.refresh_stale()
        assert_summaries_hold(D(2027, 5, 2))
        months = list(SupportMonth.objects.filter(relationship=rel).values_list("month", flat=True))
        assert months[-1] == D(2027, 3, 1)  # nothing after the month it ended in
        # The command counts every row afresh, to the same rows.
        before = stored()
        call_command("rebuild_summaries", verbosity=0)
        assert stored() == before


def test_rebuild_replaces_rows_written_out_of_band():
    with time_machine.travel(local(2027, 3, 1, 8, 30), tick=False):
        rel = SupportRelationshipFactory(starts_on=D(2027, 1, 31))
        log(rel, D(2027, 2, 28))
        # A bulk write skips the signals: no task, stale rows.
        Visit.objects.filter(relationship=rel).update(duration_minutes=10)
        call_command("rebuild_summaries", verbosity=0)
        assert_summaries_hold(D(2027, 3, 1))
        assert SupportMonth.objects.get(relationship=rel, month=D(2027, 2, 1)).minutes == 10


@pytest.mark.parametrize(
    ("month", "starts_on", "ended_on", "pauses", "owed"),
    [
        (D(2027, 2, 1), D(2027, 1, 1), None, [], 4),  # the whole month
        (D(2028, 2, 1), D(2028, 2, 15), None, [], 2),  # leap year: 15 of 29 days -> 2.07
        (D(2027, 3, 1), D(2027, 3, 31), None, [], 0),  # started on the last day: 0.13
        (D(2027, 3, 1), D(2027, 1, 1), D(2027, 3, 16), [], 2),  # ended mid-month
        (D(2026, 12, 1), D(2026, 1, 1), None, [(D(2026, 12, 1), None)], 0),  # paused
        (D(2026, 12, 1), D(2026, 1, 1), None, [(D(2026, 12, 1), D(2026, 12, 17))], 1),
    ],
)
def test_owed_in_a_whole_month(month, starts_on, ended_on, pauses, owed):
    assert month_owed(4, month=month, starts_on=starts_on, ended_on=ended_on, pauses=pauses) == owed


def test_minutes_are_shared_between_activities_to_the_minute():
    assert summary_refresh.split_minutes(61, ["a", "b", "c"]) == [("a", 21), ("b", 20), ("c", 20)]
    assert summary_refresh.split_minutes(45, []) == []
