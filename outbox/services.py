"""Queue an email, send it with retries, and record what happened.

Every email the site sends goes through `queue`: it writes a `Delivery` and, once the write that
caused it commits, enqueues the `deliver` task with the delivery's id. The worker calls
`attempt`, which writes the message from the ids (its kind's `write`), sends it, and records the
result. A failed send is tried again after a growing wait (`OUTBOX_RETRY_BASE_SECONDS` times 4,
16, …) up to `OUTBOX_MAX_ATTEMPTS`; then it is recorded as failed with the server's error, which
coordinators see beside an invitation and administrators in the delivery log.

A worker killed in the middle of a send leaves its delivery "being sent", and its task running
for ever (django-tasks-db does not take it up again); `requeue_stale` (`manage.py
outbox_requeue_stale`, run every few minutes by the host's scheduler and at the start of `make
run`) queues it again after `OUTBOX_STALE_SECONDS`. The row is locked while an attempt starts,
so two workers never send the same delivery, and a delivery that is already sent is never sent
again.
"""

import datetime
import email.policy
import logging
import time
from collections.abc import Sequence
from email.message import EmailMessage as PyEmailMessage

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import default_task_backend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core import clock, languages
from outbox import kinds
from outbox.models import Delivery, Optout

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "outbox.unsubscribe"


def wants(user: User, kind: str) -> bool:
    """Whether `user` gets email of `kind`: active, with an address, and not turned off."""
    if not (user.is_active and user.email):
        return False
    if not kinds.get(kind).optional:
        return True
    return not Optout.objects.filter(user=user, kind=kind).exists()


def queue(kind: str, recipient: User, *, key: str | None = None, **params) -> Delivery | None:
    """Queue one email of `kind` to `recipient`, written later from `params` (ids and plain
    values). With a `key`, only the first call with that key queues anything. None when
    nothing was queued: no address, turned off, or already done under `key`."""
    kinds.get(kind)  # an unknown kind fails here, in the code that asked for it
    if not wants(recipient, kind):
        return None
    fields = {"kind": kind, "recipient": recipient, "params": params}
    if key is None:
        delivery = Delivery.objects.create(**fields)
    else:
        delivery, created = Delivery.objects.get_or_create(key=key, defaults=fields)
        if not created:
            return None
    transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


def queue_many(kind: str, letters: Sequence[tuple[User, dict]]) -> list[Delivery]:
    """`queue` (without a key) for many recipients at once, in a fixed number of queries: who
    turned `kind` off is read once, the deliveries are written together, and each is enqueued
    once the write commits. The deliveries queued; none for those `wants` would refuse."""
    spec = kinds.get(kind)
    wanted = [(user, params) for user, params in letters if user.is_active and user.email]
    if spec.optional and wanted:
        off = set(
            Optout.objects.filter(kind=kind, user__in=[user.pk for user, _ in wanted]).values_list(
                "user_id", flat=True
            )
        )
        wanted = [(user, params) for user, params in wanted if user.pk not in off]
    deliveries = Delivery.objects.bulk_create(
        [Delivery(kind=kind, recipient=user, params=params) for user, params in wanted]
    )
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue_all(ids))
    return deliveries


def _enqueue_all(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        enqueue(delivery_id)


def enqueue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    from outbox.tasks import deliver

    task = deliver
    if run_after is not None:
        if not default_task_backend.supports_defer:
            return  # `requeue_stale` picks it up when it is due
        task = deliver.using(run_after=run_after)
    task.enqueue(delivery_id)


def retry_wait(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed try: the base, then four times as long each time."""
    return datetime.timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS * 4 ** (attempts - 1))


def _claim(delivery_id: int) -> Delivery | None:
    """Lock the delivery and mark it as being sent; None if it is not waiting to be sent."""
    with transaction.atomic():
        delivery = (
            # The delivery's row only: PostgreSQL refuses to lock the nullable side of the outer
            # join to the recipient ("FOR UPDATE cannot be applied to the nullable side").
            Delivery.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=delivery_id, status=Delivery.Status.QUEUED)
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.due_at = clock.now()
        delivery.save(update_fields=["status", "attempts", "due_at"])
    return delivery


def _finish(delivery: Delivery, status: str, error: str = "", **fields) -> None:
    delivery.status = status
    delivery.last_error = error
    for name, value in fields.items():
        setattr(delivery, name, value)
    delivery.save(update_fields=["status", "last_error", *fields])


def attempt(delivery_id: int) -> str:
    """Try to send one delivery; its status afterwards."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    recipient = delivery.recipient
    kind = kinds.get(delivery.kind)
    if recipient is None or not wants(recipient, delivery.kind):
        _finish(delivery, Delivery.Status.DROPPED)
        return delivery.status
    # Written in the recipient's language (core/languages.py): the one they chose, else the one
    # of the page that asked for it when it was their own request (a password reset), else the
    # site's.
    language = (
        languages.chosen(recipient)
        or languages.supported(delivery.params.get("language"))
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        letter = kind.write(delivery)
        email = message(letter, recipient, kind) if letter is not None else None
    if email is None:
        _finish(delivery, Delivery.Status.DROPPED)
        return delivery.status
    _held_for_the_cluster_check()
    try:
        email.send()
    except Exception as error:  # any refusal by the mail server: recorded, retried
        _failed(delivery, error)
    else:
        _finish(delivery, Delivery.Status.SENT, sent_at=clock.now(), address=recipient.email)
    return delivery.status


def _held_for_the_cluster_check() -> None:
    """`make cluster-check` sets OUTBOX_TEST_SEND_DELAY_SECONDS for one worker, to kill it while
    a send is under way (the delivery marked as being sent, nothing sent yet). 0 elsewhere."""
    if settings.OUTBOX_TEST_SEND_DELAY_SECONDS > 0:
        time.sleep(settings.OUTBOX_TEST_SEND_DELAY_SECONDS)


def _failed(delivery: Delivery, error: Exception) -> None:
    text = f"{type(error).__name__}: {error}"[:1000]
    if delivery.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.error("Email %s (%s) could not be delivered: %s", delivery.pk, delivery.kind, text)
        _finish(delivery, Delivery.Status.FAILED, text)
        return
    due = clock.now() + retry_wait(delivery.attempts)
    logger.warning("Email %s (%s) failed, retried at %s: %s", delivery.pk, delivery.kind, due, text)
    _finish(delivery, Delivery.Status.QUEUED, text, due_at=due)
    enqueue(delivery.pk, run_after=due)


def unsubscribe_url(user: User, kind: str) -> str:
    token = signing.dumps([user.pk, kind], salt=UNSUBSCRIBE_SALT, compress=True)
    return f"{settings.SITE_URL}{reverse('outbox:unsubscribe', args=[token])}"


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The person and kind a link's token names; None when it was not made by this site."""
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        kinds.get(kind)
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None
    return int(user_id), str(kind)


class OutboxEmail(EmailMessage):
    """An email whose header lines are not folded before RFC 5322's limit of 998 characters:
    folding a long `List-Unsubscribe` URL, which has no space to fold at, would encode it as
    an RFC 2047 word that mail programs do not read back as a link."""

    def message(self, *, policy: email.policy.Policy | None = None) -> PyEmailMessage:
        return super().message(policy=(policy or email.policy.default).clone(max_line_length=998))


def message(letter: kinds.Letter, recipient: User, kind: kinds.Kind) -> EmailMessage:
    """The email: the letter, and for mail that can be turned off a footer and the one-click
    unsubscribe headers of RFC 8058."""
    body, headers = letter.body, {}
    if kind.optional:
        url = unsubscribe_url(recipient, kind.name)
        body = (
            body.rstrip("\n")
            + "\n\n"
            + render_to_string(
                "email/footer.txt",
                {"switch": kind.switch, "unsubscribe_url": url, "settings_url": settings_url()},
            )
        )
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return OutboxEmail(
        subject=" ".join(letter.subject.split()), body=body, to=[recipient.email], headers=headers
    )


def settings_url() -> str:
    """The page with a person's email switches (named by a setting: it lives in an app above)."""
    return f"{settings.SITE_URL}{reverse(settings.OUTBOX_SETTINGS_URL_NAME)}"


def requeue_stale() -> int:
    """Hand to the queue again what a lost task or a killed worker left behind: deliveries
    waiting past their time, and sends that started long ago and never finished. The count."""
    now = clock.now()
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
    # Handed back as due since the send started, so the query below queues it in this sweep.
    Delivery.objects.filter(status=Delivery.Status.SENDING, due_at__lte=stale).update(
        status=Delivery.Status.QUEUED
    )
    # Without deferred tasks a retry waits for this sweep; with them, only what was lost.
    cutoff = stale if default_task_backend.supports_defer else now
    overdue = list(
        Delivery.objects.filter(status=Delivery.Status.QUEUED, due_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    for delivery_id in overdue:
        enqueue(delivery_id)
    return len(overdue)


def set_switches(user: User, switches: dict[str, bool]) -> None:
    """Turn each named kind of email on (True) or off (False) for `user`; the kinds a person
    cannot turn off are left alone. Two queries, however many kinds."""
    optional = [name for name in switches if kinds.get(name).optional]
    turn_on = [name for name in optional if switches[name]]
    turn_off = [name for name in optional if not switches[name]]
    Optout.objects.filter(user=user, kind__in=turn_on).delete()
    Optout.objects.bulk_create(
        [Optout(user=user, kind=name) for name in turn_off], ignore_conflicts=True
    )


def turned_off(user: User) -> set[str]:
    return set(Optout.objects.filter(user=user).values_list("kind", flat=True))
