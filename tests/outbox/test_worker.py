"""The real task worker (django-tasks-db's `db_worker`) against the test database: an email
queued by a committed write waits in the task table, untouched, until the worker runs it; a
refused send waits for its retry as a deferred task, and the worker sends it once it is due."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from core import clock
from outbox.models import Delivery
from programs import invitations
from tests import factories
from tests.outbox import flaky_mail

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("mailoutbox"),
]


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.01, verbosity=0)


def sweep() -> str:
    """What the scheduled `outbox_requeue_stale` says."""
    out = io.StringIO()
    call_command("outbox_requeue_stale", stdout=out)
    return out.getvalue().strip()


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_sends_what_a_committed_write_queued():
    person = factories.UserFactory(last_login=None)
    assert invitations.invitation_queue(person, factories.ProgramFactory())  # autocommit

    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "READY"
    run_worker()

    assert [m.to for m in mail.outbox] == [[person.email]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert Delivery.objects.get().status == Delivery.Status.SENT


@override_settings(
    TASKS=DATABASE_TASKS,
    MAILERS={"default": {"BACKEND": "tests.outbox.flaky_mail.FlakyBackend"}},
    OUTBOX_RETRY_BASE_SECONDS=60,
)
def test_a_retry_waits_in_the_queue_until_it_is_due():
    flaky_mail.refuse(1)
    person = factories.UserFactory(last_login=None)
    invitations.invitation_queue(person, factories.ProgramFactory())
    run_worker()
    assert mail.outbox == []
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after > clock.now()

    run_worker()  # not due yet
    assert mail.outbox == []
    with time_machine.travel(clock.now() + datetime.timedelta(seconds=61), tick=False):
        run_worker()
    assert [m.to for m in mail.outbox] == [[person.email]]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


@override_settings(TASKS=DATABASE_TASKS, OUTBOX_STALE_SECONDS=600)
def test_one_sweep_hands_a_killed_workers_send_to_the_worker_again():
    """A worker killed in the middle of a send leaves the delivery "being sent" and its task
    RUNNING, which no worker takes up again; the first sweep past OUTBOX_STALE_SECONDS queues a
    new task, and the worker sends the email once."""
    person = factories.UserFactory(last_login=None)
    delivery = Delivery.objects.create(
        kind="invitation", recipient=person, status=Delivery.Status.SENDING, attempts=1
    )
    with time_machine.travel(clock.now() + datetime.timedelta(seconds=601), tick=False):
        assert sweep() == "Queued 1 email(s) again."
        run_worker()
        assert sweep() == "Queued 0 email(s) again."
        run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert [m.to for m in mail.outbox] == [[person.email]]
