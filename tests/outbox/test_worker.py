"""The real task worker (django-tasks-db's `db_worker`) against the test database: an email
queued by a committed write waits in the task table, untouched, until the worker runs it; a
refused send waits for its retry as a deferred task, and the worker sends it once it is due."""

import datetime

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
