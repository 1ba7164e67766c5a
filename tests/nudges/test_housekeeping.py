"""`manage.py run_scheduled_jobs`: the jobs the host's scheduler starts every hour, and the
housekeeping that comes with them: expired sessions and old records of failed log-ins go,
finished task results go after a while, and an email a killed worker left half-sent goes out."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from core import clock
from nudges import notifications, services
from outbox.models import Delivery
from tests import factories
from tests.factories import in_days
from tests.nudges.helpers import at

pytestmark = pytest.mark.django_db


def failed_login(username: str, days_ago: int) -> None:
    fields = {"user_agent": "test", "ip_address": "192.0.2.1", "username": username}
    attempt = AccessAttempt.objects.create(
        **fields, get_data="", post_data="", failures_since_start=1
    )
    failure = AccessFailureLog.objects.create(**fields)
    when = clock.now() - datetime.timedelta(days=days_ago)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
    AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=when)


def test_old_failed_logins_and_expired_sessions_are_removed_recent_ones_kept(run):
    failed_login("forgetful", days_ago=31)
    failed_login("hasty", days_ago=2)
    for key, days in (("expired", -1), ("current", 1)):
        Session.objects.create(
            session_key=key, session_data="", expire_date=clock.now() + datetime.timedelta(days)
        )

    assert run("housekeeping") == {
        "housekeeping": "0 email(s) requeued, 2 failed log-in record(s) removed, "
        "0 old report file(s) removed, 0 monthly summary(ies) recounted, "
        "0 roll-up(s) counted for leaders"
    }

    assert AccessAttempt.objects.count() == AccessFailureLog.objects.count() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


def test_an_email_a_killed_worker_left_half_sent_goes_out_on_the_next_run(mailoutbox, run):
    visit = factories.VisitFactory(date=in_days(1))
    Delivery.objects.create(
        kind=notifications.VISIT_REMINDER,
        recipient=visit.relationship.mentor,
        key=f"{notifications.VISIT_REMINDER}:{visit.pk}:{visit.date.isoformat()}",
        params={"visit": visit.pk, "date": visit.date.isoformat()},
        status=Delivery.Status.SENDING,
        attempts=1,
        due_at=clock.now() - datetime.timedelta(hours=1),
    )

    run("housekeeping", "visit-reminders")

    [email] = mailoutbox
    assert email.subject.startswith("Tomorrow: your visit")
    assert Delivery.objects.get().status == Delivery.Status.SENT


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_finished_task_results_are_pruned_after_two_weeks_failed_ones_after_a_month(run):
    def result(status: str, days_ago: int) -> DBTaskResult:
        finished = clock.now() - datetime.timedelta(days=days_ago)
        return DBTaskResult.objects.create(
            status=status,
            finished_at=finished,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="outbox.tasks.deliver",
            backend_name="default",
            queue_name="default",
            run_after=finished,
        )

    kept = {result("SUCCESSFUL", 13).pk, result("FAILED", 20).pk}
    result("SUCCESSFUL", 15)
    result("FAILED", 31)

    run("housekeeping")

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == kept


@pytest.mark.django_db(transaction=True)
def test_the_command_says_what_each_job_did_and_runs_the_rest_when_one_fails(
    mailoutbox, monkeypatch
):
    """Outside a test's transaction, as in production: each email is handed to the task
    backend as soon as the job queues it."""
    out = io.StringIO()
    with at(2026, 11, 24, 7, 0):  # a Tuesday: no digests
        factories.VisitFactory(date=in_days(1))
        call_command("run_scheduled_jobs", stdout=out)
    assert out.getvalue().splitlines() == [
        "visit-reminders: 1 queued",
        "unlogged-visits: 0 queued",
        "first-deadlines: 0 queued",
        "steps-due: 0 queued",
        "mentor-digests: not the day for it",
        "coordinator-digests: not the day for it",
        "housekeeping: 0 email(s) requeued, 0 failed log-in record(s) removed, "
        "0 old report file(s) removed, 0 monthly summary(ies) recounted, "
        "0 roll-up(s) counted for leaders",
    ]
    assert len(mailoutbox) == 1

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    jobs = [services.Job(services.JOBS[0].name, broken), *services.JOBS[1:]]
    monkeypatch.setattr(services, "JOBS", jobs)
    out = io.StringIO()
    with at(2026, 11, 24, 8, 0), pytest.raises(CommandError, match="visit-reminders"):
        call_command("run_scheduled_jobs", stdout=out)
    assert out.getvalue().splitlines()[:2] == [
        "visit-reminders: failed (see the log)",
        "unlogged-visits: 0 queued",
    ]


def test_the_command_runs_only_the_jobs_asked_for():
    out = io.StringIO()
    with at(2026, 11, 23, 7, 0):
        call_command(
            "run_scheduled_jobs", "--only", "mentor-digests", "--only", "housekeeping", stdout=out
        )
    assert out.getvalue().splitlines() == [
        "mentor-digests: 0 queued",
        "housekeeping: 0 email(s) requeued, 0 failed log-in record(s) removed, "
        "0 old report file(s) removed, 0 monthly summary(ies) recounted, "
        "0 roll-up(s) counted for leaders",
    ]
