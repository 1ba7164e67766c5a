"""The scheduled jobs (docs/design.md, "Work that happens on its own"), which
`manage.py run_scheduled_jobs` runs; the host's scheduler calls it every hour.

Each job finds what is due now and queues one email per person and occasion through the outbox,
under a key that names the occasion (the visit and its date, the person and the ISO week, …):
a second run finds the key taken and queues nothing, so running the command twice, or every
hour, sends each email once. The outbox's `Delivery` rows are the record of what was sent.
Nothing is sent before `SEND_FROM` on the program's wall clock (core/clock.py): the first run
after it sends the day's reminders, later runs only what has become due since. The weekly
digests go out on `DIGEST_WEEKDAY`, from the same hour.

Each job reads everyone at once, in a fixed number of queries (nudges/selectors.py), and then
does one queue per email it sends.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Exists, OuterRef, QuerySet
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend

from core import clock
from nudges import notifications, selectors
from outbox import services as outbox
from outbox.models import Delivery, Optout
from programs.models import Program
from relationships import summary_refresh
from relationships.models import SupportRelationship, Visit
from reports.jobs import report_jobs_prune
from reports.rollup import stored as rollup_stored

logger = logging.getLogger(__name__)

# Reminders and digests wait for the morning: a run before this hour sends none.
SEND_FROM = datetime.time(7, 0)
# The weekly digests go out on this day of the ISO week (1 is Monday).
DIGEST_WEEKDAY = 1
# A scheduled visit still not logged this many days after its date nudges its mentor...
UNLOGGED_AFTER_DAYS = 2
# ...and the nudge is still sent this many days later, if the scheduler missed the day.
UNLOGGED_CATCH_UP_DAYS = 5
# Housekeeping: how long finished task results and failed log-in records are kept.
TASK_RESULTS_KEEP_DAYS = 14
FAILED_TASK_RESULTS_KEEP_DAYS = 30
LOGIN_RECORDS_KEEP_DAYS = 30


@dataclass(frozen=True)
class Email:
    """One email to queue: its kind, its recipient, its key and the ids it is written from."""

    kind: str
    recipient: User
    key: str
    params: dict


def _taken(keys: list[str]) -> set[str]:
    """Which of `keys` a delivery already has (one query per thousand keys)."""
    taken: set[str] = set()
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        found = Delivery.objects.filter(key__in=chunk).values_list("key", flat=True)
        taken.update(key for key in found if key)
    return taken


def queue_new(emails: Iterable[Email]) -> int:
    """Queue each email whose key is not taken yet; how many were queued. The outbox skips
    people who turned the kind off or have no address."""
    emails = list(emails)
    taken = _taken([email.key for email in emails])
    queued = 0
    for email in emails:
        if email.key in taken:
            continue
        if outbox.queue(email.kind, email.recipient, key=email.key, **email.params):
            queued += 1
    return queued


def is_sending_time(now: datetime.datetime) -> bool:
    return clock.local(now).time() >= SEND_FROM


def iso_week(day: datetime.date) -> str:
    """The ISO year and week of `day`, as in "2026-W53": 28 December 2026 is in 2026-W53,
    31 December 2029 already in 2030-W01."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# Daily jobs ----------------------------------------------------------------------------------


def _visit_emails(kind: str, visits: QuerySet[Visit]) -> int:
    """Queue `kind` to the mentor or coach of each of these scheduled visits, in
    relationships neither paused nor ended. The key holds the visit and its date, so a visit
    moved to another day is told of again."""
    visits = (
        visits.filter(
            status=Visit.Status.SCHEDULED, relationship__status__in=selectors.WORKING_STATUSES
        )
        .select_related("relationship__mentor")
        .order_by("pk")
    )
    return queue_new(
        Email(
            kind,
            visit.relationship.mentor,
            f"{kind}:{visit.pk}:{visit.date.isoformat()}",
            {"visit": visit.pk, "date": visit.date.isoformat()},
        )
        for visit in visits
    )


def visit_reminders_queue(*, today: datetime.date) -> int:
    """Remind each mentor or coach of the visits they scheduled for tomorrow."""
    tomorrow = today + datetime.timedelta(days=1)
    return _visit_emails(notifications.VISIT_REMINDER, Visit.objects.filter(date=tomorrow))


def unlogged_visits_queue(*, today: datetime.date) -> int:
    """Nudge each mentor or coach about the scheduled visits whose day passed
    UNLOGGED_AFTER_DAYS ago (or a few days more, when runs were missed) without a log."""
    latest = today - datetime.timedelta(days=UNLOGGED_AFTER_DAYS)
    earliest = latest - datetime.timedelta(days=UNLOGGED_CATCH_UP_DAYS)
    visits = Visit.objects.filter(date__range=(earliest, latest))
    return _visit_emails(notifications.VISIT_UNLOGGED, visits)


def first_deadlines_queue(*, today: datetime.date) -> int:
    """Tell each mentor or coach, DEADLINE_NOTICE_DAYS ahead, of a first visit or first goal
    that falls due and has not happened (the dashboard's rule, relationships/flags.py). The
    key holds the relationship and the day due, so a changed deadline is told again."""
    deadlines = selectors.first_deadlines(today=today, ahead=notifications.DEADLINE_NOTICE_DAYS)
    mentors = User.objects.in_bulk({deadline.mentor_id for deadline in deadlines})
    return queue_new(
        Email(
            notifications.FIRST_DEADLINE,
            mentors[deadline.mentor_id],
            f"{notifications.FIRST_DEADLINE}:{deadline.what}:{deadline.relationship_id}:"
            f"{deadline.due.isoformat()}",
            {
                "relationship": deadline.relationship_id,
                "what": deadline.what,
                "due": deadline.due.isoformat(),
            },
        )
        for deadline in deadlines
    )


def due_steps_queue(*, today: datetime.date) -> int:
    """Remind each owner of the action steps due today, in one email per person and day."""
    owned = selectors.steps_due(day=today)
    people = User.objects.in_bulk(list(owned))
    return queue_new(
        Email(
            notifications.STEP_DUE,
            people[user_id],
            f"{notifications.STEP_DUE}:{user_id}:{today.isoformat()}",
            {"steps": sorted(steps), "date": today.isoformat()},
        )
        for user_id, steps in sorted(owned.items())
        if user_id in people
    )


# Weekly digests ------------------------------------------------------------------------------


def _digest_readers(kind: str, people: QuerySet[User], week: str) -> QuerySet[User]:
    """Those of `people` who can get this week's digest of `kind` and have not had it: an
    active account with an address, the kind not turned off (one query when evaluated)."""
    sent = Delivery.objects.filter(kind=kind, key__startswith=f"{kind}:{week}:")
    return (
        people.filter(is_active=True)
        .exclude(email="")
        .exclude(Exists(Optout.objects.filter(user=OuterRef("pk"), kind=kind)))
        .exclude(pk__in=sent.values("recipient_id"))
        .order_by("pk")
    )


def _digests_queue(kind: str, week: str, news: dict[int, list]) -> int:
    """Queue this week's digest of `kind` to each person with news (by user id)."""
    people = User.objects.in_bulk(sorted(news))
    return queue_new(
        Email(kind, person, f"{kind}:{week}:{pk}", {"week": week})
        for pk, person in sorted(people.items())
    )


def mentor_digests_queue(*, today: datetime.date) -> int:
    """Send each mentor or coach, once in the ISO week, what waits for them: logs to write,
    goals waiting for their agreement, their steps due, relationships behind pace. Nobody
    with nothing waiting gets one."""
    kind, week = notifications.MENTOR_DIGEST, iso_week(today)
    mentors = User.objects.filter(
        Exists(SupportRelationship.objects.open().filter(mentor=OuterRef("pk")))
    )
    readers = _digest_readers(kind, mentors, week)
    return _digests_queue(kind, week, selectors.mentor_waiting(readers, today=today))


def coordinator_digests_queue(*, today: datetime.date) -> int:
    """Send each coordinator, once in the ISO week, what needs attention in their programs:
    the dashboard's flags, relationships newly overdue, protégés waiting for a match and
    invitations that could not be delivered. Nobody with nothing to report gets one."""
    kind, week = notifications.COORDINATOR_DIGEST, iso_week(today)
    coordinators = User.objects.filter(
        Exists(Program.objects.active().filter(coordinators=OuterRef("pk")))
    )
    readers = _digest_readers(kind, coordinators, week)
    return _digests_queue(kind, week, selectors.coordinator_weeks(readers, today=today))


# Housekeeping --------------------------------------------------------------------------------


def housekeeping_run(*, now: datetime.datetime) -> dict[str, int]:
    """Hand lost emails back to the queue, remove what is kept only for a while (expired
    sessions, old task results, old records of failed log-ins, old report files), recount
    the monthly summaries time has overtaken (relationships/summary_refresh.py), and count
    again the leaders' roll-ups a new day or a change left without a fresh count
    (reports/rollup/stored.py). What was done, by name."""
    done = {"email(s) requeued": outbox.requeue_stale()}
    call_command("clearsessions")
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=TASK_RESULTS_KEEP_DAYS,
            failed_min_age_days=FAILED_TASK_RESULTS_KEEP_DAYS,
            verbosity=0,
        )
    before = now - datetime.timedelta(days=LOGIN_RECORDS_KEEP_DAYS)
    done["failed log-in record(s) removed"] = (
        AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0]
    )
    done["old report file(s) removed"] = report_jobs_prune()[0]
    # A new month, or a month just over, leaves summary rows to count again.
    done["monthly summary(ies) recounted"] = summary_refresh.refresh_stale(
        today=clock.local_date(now)
    )
    # Leaders' roll-ups counted again for a new day or after a change, before they look.
    done["roll-up(s) counted for leaders"] = rollup_stored.warm(today=clock.local_date(now))
    return done


# All of them ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[..., int]  # called with `today`
    weekly: bool = False


JOBS = [
    Job("visit-reminders", visit_reminders_queue),
    Job("unlogged-visits", unlogged_visits_queue),
    Job("first-deadlines", first_deadlines_queue),
    Job("steps-due", due_steps_queue),
    Job("mentor-digests", mentor_digests_queue, weekly=True),
    Job("coordinator-digests", coordinator_digests_queue, weekly=True),
]
HOUSEKEEPING = "housekeeping"
JOB_NAMES = [job.name for job in JOBS] + [HOUSEKEEPING]


@dataclass(frozen=True)
class Outcome:
    name: str
    text: str
    failed: bool = False


def scheduled_jobs_run(*, only: Iterable[str] | None = None) -> list[Outcome]:
    """Run the jobs (those named in `only`, or all) and the housekeeping, each on its own: one
    that fails is logged and the others still run. What each did."""
    now = clock.now()
    today = clock.local_date(now)
    wanted = set(only or JOB_NAMES)
    outcomes = []
    for job in JOBS:
        if job.name not in wanted:
            continue
        if not is_sending_time(now):
            outcomes.append(Outcome(job.name, f"nothing before {SEND_FROM:%H:%M}"))
        elif job.weekly and today.isoweekday() != DIGEST_WEEKDAY:
            outcomes.append(Outcome(job.name, "not the day for it"))
        else:
            outcomes.append(_run(job.name, partial(_queued, job, today)))
    if HOUSEKEEPING in wanted:
        outcomes.append(_run(HOUSEKEEPING, lambda: _counts(housekeeping_run(now=now))))
    return outcomes


def _queued(job: Job, today: datetime.date) -> str:
    return f"{job.run(today=today)} queued"


def _counts(done: dict[str, int]) -> str:
    return ", ".join(f"{count} {what}" for what, count in done.items())


def _run(name: str, work: Callable[[], str]) -> Outcome:
    try:
        return Outcome(name, work())
    except Exception:  # one job's failure must not keep the others from running
        logger.exception("The scheduled job %r failed.", name)
        return Outcome(name, "failed (see the log)", failed=True)
