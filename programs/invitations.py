"""Invitations: people a coordinator adds get no password; an email with a set-your-password
link lets them choose one.

The link is Django's password-reset link (`password_reset_confirm`, built with
`default_token_generator`), so it stops working once a password is set or the person has
logged in, and after `PASSWORD_RESET_TIMEOUT` (three days by default); a coordinator can send it
again from the participants page to someone who has never logged in. The email goes through the
outbox (outbox/services.py): it is sent by the task worker once the enrollment that created the
person is saved, retried if the mail server refuses it, and a coordinator sees on the
participants page an invitation that could not be delivered.

A request to someone who already has an account, asking them to take part in a program
(`programs.models.EnrollmentRequest`), is emailed the same way, with a link
to the page where they accept or decline.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.names import person_name
from outbox import kinds
from outbox import services as outbox
from outbox.kinds import Kind, Letter
from outbox.models import Delivery
from programs.models import Enrollment, EnrollmentRequest, Program


def set_password_url(person: User) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return f"{settings.SITE_URL}{path}"


def can_invite(person: User) -> bool:
    """Someone who has an email address and has never logged in."""
    return bool(person.email) and person.is_active and person.last_login is None


def write_invitation(delivery: Delivery) -> Letter | None:
    """The invitation to `delivery.recipient`; None once they no longer need one."""
    person = delivery.recipient
    if person is None or not can_invite(person):
        return None
    program = Program.objects.filter(pk=delivery.params.get("program")).first()
    invited_by = User.objects.filter(pk=delivery.params.get("invited_by")).first()
    context = {
        "person": person,
        "name": person_name(person),
        "username": person.username,
        "program": program,
        "invited_by": person_name(invited_by) if invited_by else "",
        "as_coordinator": bool(delivery.params.get("as_coordinator")),
        "url": set_password_url(person),
        "login_url": f"{settings.SITE_URL}{reverse('login')}",
        "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    return Letter(
        subject=render_to_string("email/invitation_subject.txt", context),
        body=render_to_string("email/invitation.txt", context),
    )


def invitation_queue(
    person: User,
    program: Program | None = None,
    invited_by: User | None = None,
    *,
    as_coordinator: bool = False,
) -> bool:
    """Queue the invitation, sent once the current transaction commits; False if it cannot go
    (no email address, or they have logged in already). `as_coordinator`: they were made one
    of the program's coordinators, and the email says so."""
    if not can_invite(person):
        return False
    delivery = outbox.queue(
        INVITATION,
        person,
        program=program.pk if program else None,
        invited_by=invited_by.pk if invited_by else None,
        as_coordinator=as_coordinator,
    )
    return delivery is not None


def invitations_queue_many(
    people: Iterable[User], program: Program | None = None, invited_by: User | None = None
) -> int:
    """`invitation_queue` for many people at once (a roster), in a fixed number of queries;
    how many were queued."""
    params = {
        "program": program.pk if program else None,
        "invited_by": invited_by.pk if invited_by else None,
    }
    letters = [(person, dict(params)) for person in people if can_invite(person)]
    return len(outbox.queue_many(INVITATION, letters))


def invitation_resend(
    person: User,
    program: Program | None = None,
    invited_by: User | None = None,
    *,
    as_coordinator: bool = False,
) -> None:
    """The coordinator's "Send the invitation again": only for people who never logged in."""
    if not person.email:
        raise ValidationError(
            gettext("They have no email address on record, so no invitation can be sent.")
        )
    if person.last_login is not None:
        raise ValidationError(
            gettext(
                "They have logged in already; they can use “Forgot your password?” on "
                "the log-in page."
            )
        )
    if not person.is_active:
        raise ValidationError(gettext("Their account is deactivated."))
    invitation_queue(person, program, invited_by, as_coordinator=as_coordinator)


def write_enrollment_request(delivery: Delivery) -> Letter | None:
    """The email asking `delivery.recipient` to take part; None once they have answered."""
    asked = (
        EnrollmentRequest.objects.select_related("program", "asked_by", "person")
        .filter(pk=delivery.params.get("request"), answered_at__isnull=True)
        .first()
    )
    if asked is None:
        return None
    context = {
        "name": person_name(asked.person),
        "asked_by": person_name(asked.asked_by) if asked.asked_by else "",
        "program": asked.program,
        "role": asked.get_role_display().lower(),
        "url": f"{settings.SITE_URL}{asked.get_absolute_url()}",
    }
    return Letter(
        subject=render_to_string("email/enrollment_request_subject.txt", context),
        body=render_to_string("email/enrollment_request.txt", context),
    )


def enrollment_request_queue(asked: EnrollmentRequest) -> bool:
    """Queue the email of `asked`, sent once the current transaction commits; False if the
    person has no email address (they still see the request on their home page)."""
    return outbox.queue(ENROLLMENT_REQUEST, asked.person, request=asked.pk) is not None


def enrollment_requests_queue_many(requests: Iterable[EnrollmentRequest]) -> int:
    """`enrollment_request_queue` for many requests at once (a roster); how many were queued."""
    letters = [(asked.person, {"request": asked.pk}) for asked in requests]
    return len(outbox.queue_many(ENROLLMENT_REQUEST, letters))


def write_sharing_changed(delivery: Delivery) -> Letter | None:
    """Tell a protégé whether their program's coordinators may now read shared logs."""
    program = Program.objects.filter(pk=delivery.params.get("program")).first()
    if program is None:
        return None
    context = {
        "name": person_name(delivery.recipient) if delivery.recipient else "",
        "program": program,
        "sharing": program.coordinators_read_shared_logs,
        "url": f"{settings.SITE_URL}{reverse('help')}",
    }
    return Letter(
        subject=render_to_string("email/sharing_changed_subject.txt", context),
        body=render_to_string("email/sharing_changed.txt", context),
    )


def notify_sharing_changed(program: Program) -> None:
    """Tell each protégé taking part in `program` that the coordinators' reading of shared
    logs was turned on or off."""
    enrolled = (
        Enrollment.objects.current()
        .filter(program=program, role=Enrollment.Role.PROTEGE)
        .select_related("person")
        .order_by("person_id")
    )
    for enrollment in enrolled:
        outbox.queue(SHARING_CHANGED, enrollment.person, program=program.pk)


@dataclass(frozen=True)
class Undelivered:
    """An invitation the mail server would not take, for the participants page."""

    enrollment: Enrollment
    error: str
    tried_at: datetime.datetime


def undelivered_invitations(program: Program) -> list[Undelivered]:
    """The people taking part in `program`, never logged in, whose latest invitation could not
    be delivered (after every retry), with the mail server's last answer. Two queries."""
    return undelivered_invitations_in([program.pk]).get(program.pk, [])


def undelivered_invitations_in(program_ids: Iterable[int]) -> dict[int, list[Undelivered]]:
    """`undelivered_invitations` of several programs at once, by program id (two queries,
    whatever their number: the coordinators' weekly digest reads them all)."""
    current = Enrollment.objects.current().filter(program__in=list(program_ids))
    newer = Delivery.objects.filter(
        kind=INVITATION, recipient=OuterRef("recipient"), pk__gt=OuterRef("pk")
    )
    failed = {
        delivery.recipient_id: delivery
        for delivery in Delivery.objects.filter(
            kind=INVITATION,
            status=Delivery.Status.FAILED,
            recipient__in=current.values("person"),
            recipient__last_login__isnull=True,
        ).exclude(Exists(newer))
    }
    enrollments = (
        current.filter(person__in=failed)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    found: dict[int, list[Undelivered]] = {}
    for enrollment in enrollments:
        found.setdefault(enrollment.program_id, []).append(
            Undelivered(
                enrollment=enrollment,
                error=failed[enrollment.person_id].last_error,
                tried_at=failed[enrollment.person_id].due_at,
            )
        )
    return found


INVITATION = "invitation"
ENROLLMENT_REQUEST = "enrollment_request"
SHARING_CHANGED = "sharing_changed"


def register_kinds() -> None:
    kinds.register(
        Kind(name=INVITATION, write=write_invitation),
        Kind(name=ENROLLMENT_REQUEST, write=write_enrollment_request),
        Kind(
            name=SHARING_CHANGED,
            write=write_sharing_changed,
            # Lazy: the settings page shows it in the reader's language.
            switch=cast(str, _("Email me when my program changes who may read shared visit logs")),
            roles=frozenset({"protege"}),  # relationships/roles.py, a layer above
        ),
    )
