"""The outbox: every email is queued in the request and sent by a task after the write commits;
a refused send is retried with a growing wait and then recorded as failed; a kind a person
turned off is not sent; a keyed delivery happens once; the link at the foot of an email turns
its kind off without logging in."""

import datetime
import email.policy

import pytest
import time_machine
from django.conf import settings
from django.core import mail, signing
from django.test import override_settings
from django.urls import reverse

from core import clock
from outbox import services
from outbox.models import Delivery, Optout
from programs import invitations
from relationships import notifications
from tests import factories
from tests.outbox import flaky_mail

pytestmark = pytest.mark.django_db

FLAKY = {"default": {"BACKEND": "tests.outbox.flaky_mail.FlakyBackend"}}


def about(moment: datetime.datetime, expected: datetime.datetime) -> bool:
    """The same instant, give or take the second the test's own steps take."""
    return abs(moment - expected) < datetime.timedelta(seconds=1)


def invite(person, capture):
    program = factories.ProgramFactory()
    with capture(execute=True):
        assert invitations.invitation_queue(person, program)
    return Delivery.objects.get(recipient=person, kind="invitation")


def test_nothing_is_sent_until_the_write_commits(mailoutbox, django_capture_on_commit_callbacks):
    person = factories.UserFactory(last_login=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations.invitation_queue(person, factories.ProgramFactory())
    assert mailoutbox == []
    assert Delivery.objects.get().status == Delivery.Status.QUEUED
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[person.email]]
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.address) == ("sent", 1, person.email)
    assert about(delivery.sent_at, clock.now())


def test_the_delivery_keeps_ids_not_the_message(mailoutbox, django_capture_on_commit_callbacks):
    """An invitation's set-your-password link must not sit in a table admins can read."""
    person = factories.UserFactory(last_login=None)
    delivery = invite(person, django_capture_on_commit_callbacks)
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line)
    stored = str(Delivery.objects.filter(pk=delivery.pk).values().get())
    assert link.rsplit("/", 2)[-2] not in stored


@override_settings(MAILERS=FLAKY, OUTBOX_RETRY_BASE_SECONDS=60, OUTBOX_MAX_ATTEMPTS=3)
def test_a_refused_send_is_retried_with_a_growing_wait_then_recorded_as_failed(
    django_capture_on_commit_callbacks,
):
    flaky_mail.refuse(10)
    person = factories.UserFactory(last_login=None)
    delivery = invite(person, django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "Connection refused" in delivery.last_error
    assert about(delivery.due_at, clock.now() + datetime.timedelta(seconds=60))

    # Not due yet: the sweep leaves it alone.
    services.requeue_stale()
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    with time_machine.travel(clock.now() + datetime.timedelta(seconds=61), tick=False):
        services.requeue_stale()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("queued", 2)
        assert about(delivery.due_at, clock.now() + datetime.timedelta(seconds=240))
    with time_machine.travel(clock.now() + datetime.timedelta(seconds=302), tick=False):
        services.requeue_stale()
        delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.last_error.startswith("ConnectionRefusedError")


@override_settings(MAILERS=FLAKY)
def test_a_send_that_fails_once_goes_out_on_the_retry(django_capture_on_commit_callbacks):
    flaky_mail.refuse(1)
    person = factories.UserFactory(last_login=None)
    delivery = invite(person, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    with time_machine.travel(clock.now() + services.retry_wait(1), tick=False):
        services.requeue_stale()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_a_sent_delivery_is_never_sent_again(mailoutbox, django_capture_on_commit_callbacks):
    person = factories.UserFactory(last_login=None)
    delivery = invite(person, django_capture_on_commit_callbacks)
    assert services.attempt(delivery.pk) == "skipped"
    assert len(mailoutbox) == 1


@override_settings(OUTBOX_STALE_SECONDS=600)
def test_a_send_left_unfinished_by_a_killed_worker_is_handed_back_and_sent_once(mailoutbox):
    person = factories.UserFactory(last_login=None)
    delivery = Delivery.objects.create(
        kind="invitation", recipient=person, status=Delivery.Status.SENDING, attempts=1
    )
    services.requeue_stale()  # still within its time: another worker may be sending it
    assert mailoutbox == []
    with time_machine.travel(clock.now() + datetime.timedelta(seconds=601), tick=False):
        services.requeue_stale()
        services.requeue_stale()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(mailoutbox) == 1


def test_an_email_no_longer_needed_is_dropped(mailoutbox, django_capture_on_commit_callbacks):
    """The invitation waits in the queue; meanwhile the person logged in."""
    person = factories.UserFactory(last_login=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations.invitation_queue(person, factories.ProgramFactory())
    person.last_login = clock.now()
    person.save()
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert Delivery.objects.get().status == Delivery.Status.DROPPED


def test_a_key_makes_a_delivery_happen_once(mailoutbox, django_capture_on_commit_callbacks):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.queue(
            "relationship_changed",
            relationship.mentor,
            key="test:once",
            relationship=relationship.pk,
            event="paused",
        )
        second = services.queue(
            "relationship_changed",
            relationship.mentor,
            key="test:once",
            relationship=relationship.pk,
            event="paused",
        )
    assert first is not None and second is None
    assert len(mailoutbox) == 1


def test_a_kind_turned_off_is_not_queued(mailoutbox, django_capture_on_commit_callbacks):
    relationship = factories.SupportRelationshipFactory()
    Optout.objects.create(user=relationship.mentor, kind="relationship_changed")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_relationship(relationship, "ended")
    assert [m.to for m in mailoutbox] == [[relationship.protege.email]]


def test_optional_email_has_a_one_click_unsubscribe_that_needs_no_login(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_relationship(relationship, "paused")
    to_mentor = next(m for m in mailoutbox if m.to == [relationship.mentor.email])
    url = to_mentor.extra_headers["List-Unsubscribe"].strip("<>")
    assert to_mentor.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in to_mentor.body
    path = url.split("://", 1)[1].split("/", 1)[1]

    page = client.get(f"/{path}")  # a link checker opening it turns nothing off
    assert page.status_code == 200
    assert b"Turn these emails off" in page.content
    assert not Optout.objects.exists()

    # A mail program's one-click POST: no session, no CSRF token.
    client.handler.enforce_csrf_checks = True
    done = client.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert b"These emails are off" in done.content
    assert Optout.objects.filter(user=relationship.mentor, kind="relationship_changed").exists()


def test_a_forged_or_altered_unsubscribe_link_is_not_found(client):
    person = factories.UserFactory()
    url = services.unsubscribe_url(person, "relationship_changed")
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path.replace("/stop/", "/stop/x")).status_code == 404
    assert client.post(path[:-3] + "AA/").status_code == 404
    assert not Optout.objects.exists()


def test_mail_that_cannot_be_turned_off_has_no_unsubscribe(
    mailoutbox, django_capture_on_commit_callbacks
):
    invite(factories.UserFactory(last_login=None), django_capture_on_commit_callbacks)
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    assert "Stop these emails" not in mailoutbox[0].body


def test_an_unsubscribe_link_the_site_did_not_make_for_a_switch_is_not_found(client):
    """Whoever follows it, signed in or not: a token this site did not sign, one for an email
    that cannot be turned off, one for an unknown kind, or one for a person who is gone."""
    person = factories.UserFactory()
    gone = factories.UserFactory()
    gone_link = services.unsubscribe_url(gone, "relationship_changed")
    gone.delete()

    def path(token: str) -> str:
        return reverse("outbox:unsubscribe", args=[token])

    def signed(*value) -> str:
        return signing.dumps(list(value), salt=services.UNSUBSCRIBE_SALT, compress=True)

    bad = [
        path("not-a-token"),
        path(signing.dumps([person.pk, "relationship_changed"], salt="another.salt")),
        path(signed(person.pk, "invitation")),  # cannot be turned off
        path(signed(person.pk, "no_such_kind")),
        gone_link.removeprefix(settings.SITE_URL),
    ]
    for signed_in in (None, person):
        if signed_in:
            client.force_login(signed_in)
        for url in bad:
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    assert not Optout.objects.exists()


def test_the_unsubscribe_header_is_a_plain_url_on_the_wire(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A long URL has no space to fold at; folded at 78 characters it would be sent as an
    RFC 2047 encoded word, which mail programs do not read back as a link."""
    relationship = factories.SupportRelationshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_relationship(relationship, "paused")
    sent = mailoutbox[0]
    url = services.unsubscribe_url(relationship.mentor, "relationship_changed")
    assert len(url) > 78
    wire = sent.message(policy=email.policy.SMTP).as_string()
    header = next(line for line in wire.splitlines() if line.startswith("List-Unsubscribe:"))
    assert "=?utf-8?" not in header
    assert header.startswith("List-Unsubscribe: <http")
