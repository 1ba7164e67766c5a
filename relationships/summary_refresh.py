"""Keeping the monthly summary rows (relationships/summaries.py) equal to a fresh count.

A relationship's rows are always recounted whole, from its visits, its pauses and its dosage,
never incremented: a refresh that runs twice, late, or after another one gives the same rows,
and there is nothing to drift. Three ways in:

- a write to a visit, a pause, a relationship or a program's dosage queues `refresh` of the
  relationships it touches (relationships/tasks.py), when its transaction commits
  (`connect_signals`, from RelationshipsConfig.ready);
- the hourly scheduled jobs (nudges/services.py, housekeeping) call `refresh_stale`: the
  relationships that reached a new month since they were counted, and the months that ended
  since (whether a month was on pace is only known once it is over);
- `manage.py rebuild_summaries` (and seed_scale, seed_demo) call `rebuild`: every
  relationship. Bulk writes that skip the signals (the seeds, a data migration) end with it.
  On PostgreSQL it is two statements, `INSERT ... SELECT` grouping every visit in the
  database (`REBUILD_MONTHS`, `REBUILD_ACTIVITIES`: the same rule as `count`, written in SQL);
  elsewhere (SQLite: the tests, the demo world) `count` in chunks.

`count` is the one rule; the tests compare what the three ways leave with it (the SQL one on
PostgreSQL: tests/leaders/test_rollup_summaries.py).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from core import clock
from core.months import month_bounds
from programs.models import Program
from relationships.models import (
    Pause,
    SupportMonth,
    SupportMonthActivity,
    SupportRelationship,
    Visit,
)
from relationships.pace import month_owed

CHUNK = 2000  # relationships counted and written at a time

# Sent once monthly rows are written: `relationship_ids`, the relationships recounted, or None
# for every relationship (`rebuild`). What reads the rows and keeps results of its own listens
# (reports/rollup/stored.py).
months_counted = Signal()


@dataclass
class Month:
    """What `count` finds for one relationship and one month (a SupportMonth, unsaved)."""

    program_id: int | None
    visits: int = 0
    minutes: int = 0
    cancelled: int = 0
    visits_owed: int = 0
    minutes_owed: int = 0
    on_pace: bool | None = None
    complete: bool = False
    activities: dict[str, list[int]] = field(default_factory=dict)  # activity: [visits, minutes]

    def fields(self) -> dict:
        return {
            "program_id": self.program_id,
            "visits": self.visits,
            "minutes": self.minutes,
            "cancelled": self.cancelled,
            "visits_owed": self.visits_owed,
            "minutes_owed": self.minutes_owed,
            "on_pace": self.on_pace,
            "complete": self.complete,
        }


Counted = dict[tuple[int, datetime.date], Month]  # by (relationship id, month)


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append(month)
        month = month_bounds(month)[1]
    return months


def split_minutes(minutes: int, activities: list[str]) -> list[tuple[str, int]]:
    """A visit's minutes shared evenly between its activities, in whole minutes that add up
    to the visit's: the first activities listed take the minutes left over."""
    if not activities:
        return []
    share, left = divmod(minutes, len(activities))
    return [(name, share + (1 if i < left else 0)) for i, name in enumerate(activities)]


def count(relationship_ids: Iterable[int], *, today: datetime.date) -> Counted:
    """The rows the relationships should have, counted afresh (three queries)."""
    ids = sorted(set(relationship_ids))
    if not ids:
        return {}
    this_month = today.replace(day=1)
    relationships = SupportRelationship.objects.filter(pk__in=ids).values_list(
        "pk",
        "program_id",
        "starts_on",
        "ended_on",
        "visits_per_month",
        "minutes_per_month",
        "program__visits_per_month",
        "program__minutes_per_month",
    )
    paused: dict[int, list] = defaultdict(list)
    for pk, starts_on, ends_on in Pause.objects.filter(relationship_id__in=ids).values_list(
        "relationship_id", "starts_on", "ends_on"
    ):
        paused[pk].append((starts_on, ends_on))
    found: Counted = {}
    spans = {}
    for (
        pk,
        program_id,
        starts_on,
        ended_on,
        own_visits,
        own_minutes,
        p_visits,
        p_minutes,
    ) in relationships:
        # A relationship's own dosage, else its program's (models.expected_dosage).
        visits_expected = own_visits if own_visits is not None or not program_id else p_visits
        minutes_expected = own_minutes if own_minutes is not None or not program_id else p_minutes
        spans[pk] = (program_id, starts_on, ended_on, visits_expected, minutes_expected)
        last = min(ended_on or today, today)
        for first_day in _months(starts_on, last):
            found[(pk, first_day)] = Month(program_id)
    visits = (
        Visit.objects.filter(relationship_id__in=ids)
        .exclude(status=Visit.Status.SCHEDULED)
        .order_by()
        .values_list("relationship_id", "status", "date", "duration_minutes", "activities")
    )
    for pk, status, date, minutes, activities in visits.iterator(chunk_size=5000):
        month = found.setdefault((pk, date.replace(day=1)), Month(spans[pk][0]))
        if status == Visit.Status.CANCELLED:
            month.cancelled += 1
            continue
        month.visits += 1
        month.minutes += minutes or 0
        for name, share in split_minutes(minutes or 0, list(activities or [])):
            tally = month.activities.setdefault(name, [0, 0])
            tally[0] += 1
            tally[1] += share
    for (pk, month_on), month in found.items():
        _, starts_on, ended_on, visits_expected, minutes_expected = spans[pk]
        month.visits_owed, month.minutes_owed = (
            month_owed(
                expected,
                month=month_on,
                starts_on=starts_on,
                ended_on=ended_on,
                pauses=paused[pk],
            )
            for expected in (visits_expected, minutes_expected)
        )
        month.complete = month_on < this_month
        if month.complete and (month.visits_owed or month.minutes_owed):
            month.on_pace = month.visits >= month.visits_owed and (
                month.minutes >= month.minutes_owed
            )
    return found


def store(relationship_ids: Iterable[int], counted: Counted, *, replace: bool = True) -> int:
    """Replace the rows of these relationships with `counted` (one transaction; each
    relationship's row is locked first, so two refreshes of one relationship wait for each
    other). How many rows were written. `replace=False`: they have none (`rebuild`)."""
    ids = sorted(set(relationship_ids))
    with transaction.atomic():
        if replace:
            list(
                SupportRelationship.objects.filter(pk__in=ids)
                .order_by("pk")
                .select_for_update()
                .values_list("pk", flat=True)
            )
            SupportMonthActivity.objects.filter(summary__relationship_id__in=ids).delete()
            SupportMonth.objects.filter(relationship_id__in=ids)._raw_delete(
                SupportMonth.objects.db
            )
        keys = sorted(counted)
        made = SupportMonth.objects.bulk_create(
            [
                SupportMonth(relationship_id=pk, month=month, **counted[(pk, month)].fields())
                for pk, month in keys
            ],
            batch_size=5000,
        )
        SupportMonthActivity.objects.bulk_create(
            [
                SupportMonthActivity(summary=row, activity=name, visits=visits, minutes=minutes)
                for key, row in zip(keys, made, strict=True)
                for name, (visits, minutes) in sorted(counted[key].activities.items())
            ],
            batch_size=5000,
        )
    return len(made)


def refresh(
    relationship_ids: Iterable[int], *, today: datetime.date | None = None, replace: bool = True
) -> int:
    """Count these relationships' rows afresh and store them. How many rows were written."""
    ids = sorted(set(relationship_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        written += store(chunk, count(chunk, today=today or clock.today()), replace=replace)
    if ids and replace:
        months_counted.send(sender=SupportMonth, relationship_ids=ids)
    return written


def rebuild(*, today: datetime.date | None = None) -> int:
    """Every relationship's rows, counted afresh: the table is emptied first (in the same
    transaction, so that readers see the old rows until the new ones are in). How many
    monthly rows were written."""
    today = today or clock.today()
    with transaction.atomic():
        SupportMonthActivity.objects.all()._raw_delete(SupportMonthActivity.objects.db)
        SupportMonth.objects.all()._raw_delete(SupportMonth.objects.db)
        if connection.vendor == "postgresql":
            written = _rebuild_in_sql(today)
        else:
            ids = list(SupportRelationship.objects.order_by("pk").values_list("pk", flat=True))
            written = refresh(ids, today=today, replace=False)
        months_counted.send(sender=SupportMonth, relationship_ids=None)
        return written


# `count`'s rule in SQL (PostgreSQL), for every relationship at once. The months: every month
# of the relationship's span (its start to its end or today, whichever is first) and every
# month with a visit not merely scheduled. The dosage owed: `month_owed` (relationships/pace.py)
# for the relationship's own figure, else its program's: the days of the month it was open,
# less the days paused (the day it resumed is a working day; pauses are summed as there), times
# the monthly figure, over the days of the month, rounded down. A visit's minutes are shared
# between its activities as `split_minutes` shares them.
REBUILD_MONTHS = """
WITH rel AS (
    SELECT r.id, r.program_id, r.starts_on, r.ended_on,
        CASE WHEN r.visits_per_month IS NOT NULL OR r.program_id IS NULL
            THEN r.visits_per_month ELSE p.visits_per_month END AS visits_expected,
        CASE WHEN r.minutes_per_month IS NOT NULL OR r.program_id IS NULL
            THEN r.minutes_per_month ELSE p.minutes_per_month END AS minutes_expected
    FROM relationships_supportrelationship r
    LEFT JOIN programs_program p ON p.id = r.program_id
),
logged AS (
    SELECT v.relationship_id AS id, date_trunc('month', v.date)::date AS month,
        COUNT(*) FILTER (WHERE v.status <> %(cancelled)s) AS visits,
        COALESCE(SUM(v.duration_minutes) FILTER (WHERE v.status <> %(cancelled)s), 0) AS minutes,
        COUNT(*) FILTER (WHERE v.status = %(cancelled)s) AS cancelled
    FROM relationships_visit v
    WHERE v.status <> %(scheduled)s
    GROUP BY 1, 2
),
span AS (
    SELECT rel.id, month::date AS month
    FROM rel, generate_series(
        date_trunc('month', rel.starts_on),
        date_trunc('month', LEAST(COALESCE(rel.ended_on, %(today)s::date), %(today)s::date)),
        interval '1 month'
    ) AS month
),
keyed AS (
    SELECT id, month FROM span UNION SELECT id, month FROM logged
),
bounded AS (
    SELECT k.id, k.month, rel.program_id, rel.visits_expected, rel.minutes_expected,
        GREATEST(k.month, rel.starts_on) AS first,
        LEAST((k.month + interval '1 month')::date - 1, COALESCE(rel.ended_on, 'infinity'::date))
            AS last,
        (k.month + interval '1 month')::date - k.month AS days_in_month
    FROM keyed k JOIN rel ON rel.id = k.id
),
paused AS (
    SELECT b.id, b.month, SUM(GREATEST(
        LEAST(b.last, COALESCE(p.ends_on - 1, b.last)) - GREATEST(b.first, p.starts_on) + 1, 0
    )) AS days
    FROM bounded b JOIN relationships_pause p ON p.relationship_id = b.id
    GROUP BY 1, 2
),
owed AS (
    SELECT b.id, b.month, b.program_id, b.visits_expected, b.minutes_expected, b.days_in_month,
        GREATEST(b.last - b.first + 1, 0) - COALESCE(pd.days, 0) AS counted
    FROM bounded b LEFT JOIN paused pd ON pd.id = b.id AND pd.month = b.month
),
counted AS (
    SELECT o.id, o.month, o.program_id,
        COALESCE(l.visits, 0) AS visits, COALESCE(l.minutes, 0) AS minutes,
        COALESCE(l.cancelled, 0) AS cancelled,
        CASE WHEN COALESCE(o.visits_expected, 0) = 0 OR o.counted <= 0 THEN 0
            ELSE (o.visits_expected * o.counted) / o.days_in_month END AS visits_owed,
        CASE WHEN COALESCE(o.minutes_expected, 0) = 0 OR o.counted <= 0 THEN 0
            ELSE (o.minutes_expected * o.counted) / o.days_in_month END AS minutes_owed,
        o.month < %(this_month)s::date AS complete
    FROM owed o LEFT JOIN logged l ON l.id = o.id AND l.month = o.month
)
INSERT INTO relationships_supportmonth (
    relationship_id, program_id, month, visits, minutes, cancelled, visits_owed, minutes_owed,
    on_pace, complete
)
SELECT id, program_id, month, visits, minutes, cancelled, visits_owed, minutes_owed,
    CASE WHEN complete AND (visits_owed > 0 OR minutes_owed > 0)
        THEN visits >= visits_owed AND minutes >= minutes_owed END,
    complete
FROM counted
ORDER BY id, month
"""

REBUILD_ACTIVITIES = """
WITH shares AS (
    SELECT v.relationship_id AS id, date_trunc('month', v.date)::date AS month,
        a.activity,
        COALESCE(v.duration_minutes, 0) / n.listed
            + CASE WHEN a.position - 1 < COALESCE(v.duration_minutes, 0) %% n.listed
                THEN 1 ELSE 0 END AS minutes
    FROM relationships_visit v
    CROSS JOIN LATERAL (SELECT jsonb_array_length(v.activities) AS listed) n
    CROSS JOIN LATERAL jsonb_array_elements_text(v.activities) WITH ORDINALITY
        AS a(activity, position)
    WHERE v.status NOT IN (%(scheduled)s, %(cancelled)s)
        AND jsonb_typeof(v.activities) = 'array'
)
INSERT INTO relationships_supportmonthactivity (summary_id, activity, visits, minutes)
SELECT m.id, s.activity, COUNT(*), SUM(s.minutes)
FROM shares s
JOIN relationships_supportmonth m ON m.relationship_id = s.id AND m.month = s.month
GROUP BY m.id, s.activity
ORDER BY m.id, s.activity
"""


def _rebuild_in_sql(today: datetime.date) -> int:
    """`rebuild` on PostgreSQL: two statements, whatever the number of rows."""
    params: dict[str, Any] = {
        "today": today,
        "this_month": today.replace(day=1),
        "scheduled": Visit.Status.SCHEDULED.value,
        "cancelled": Visit.Status.CANCELLED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_MONTHS, params)
        written = cursor.rowcount
        cursor.execute(REBUILD_ACTIVITIES, params)
    return written


def stale(today: datetime.date) -> list[int]:
    """The relationships whose rows time has overtaken: a month counted before it ended, or
    no row yet for this month though the relationship runs in it (two queries)."""
    this_month = today.replace(day=1)
    unfinished = SupportMonth.objects.filter(complete=False, month__lt=this_month).values_list(
        "relationship_id", flat=True
    )
    running = (
        SupportRelationship.objects.filter(starts_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=this_month))
        .exclude(Exists(SupportMonth.objects.filter(relationship=OuterRef("pk"), month=this_month)))
        .values_list("pk", flat=True)
    )
    return sorted(set(unfinished) | set(running))


def refresh_stale(*, today: datetime.date | None = None) -> int:
    """Refresh the stale relationships (`stale`); how many there were."""
    today = today or clock.today()
    ids = stale(today)
    refresh(ids, today=today)
    return len(ids)


# Keeping up with writes ---------------------------------------------------------------------


def queue_refresh(relationship_ids: Iterable[int]) -> None:
    """Queue a refresh of these relationships for when the current transaction commits (at
    once outside one)."""
    from relationships.tasks import refresh_support_months

    ids = sorted({pk for pk in relationship_ids if pk})
    if ids:
        transaction.on_commit(lambda: refresh_support_months.enqueue(ids))


def _visit_or_pause_changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        queue_refresh([instance.relationship_id])


def _relationship_changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        queue_refresh([instance.pk])


def _program_changed(sender, instance, created=False, **kwargs) -> None:
    """A program's dosage is every relationship's that has none of its own: recount them all
    when it changes (the relationships are read when the task runs, not now)."""
    if created or kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"visits_per_month", "minutes_per_month"} & set(
        update_fields
    ):
        return
    from relationships.tasks import refresh_program_months

    program_id = instance.pk
    transaction.on_commit(lambda: refresh_program_months.enqueue(program_id))


def connect_signals() -> None:
    for model in (Visit, Pause):
        post_save.connect(_visit_or_pause_changed, sender=model, dispatch_uid=f"months-{model}")
        post_delete.connect(_visit_or_pause_changed, sender=model, dispatch_uid=f"months-d{model}")
    post_save.connect(_relationship_changed, sender=SupportRelationship, dispatch_uid="months-r")
    post_save.connect(_program_changed, sender=Program, dispatch_uid="months-p")
