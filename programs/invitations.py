"""Invitations: people a coordinator adds get no password; an email with a set-your-password
link lets them choose one.

The link is Django's password-reset link (`password_reset_confirm`, built with
`default_token_generator`), so it stops working once a password is set or the person has
logged in, and after `PASSWORD_RESET_TIMEOUT` (three days by default); a coordinator can send it
again from the participants page to someone who has never logged in. The email is queued with
`transaction.on_commit`: it goes out once, and only if the enrollment that created the person is
saved.

A request to someone who already has an account, asking them to take part in a program
(`programs.models.EnrollmentRequest`), is emailed the same way: queued on commit, with a link
to the page where they accept or decline.
"""

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.names import person_name
from programs.models import EnrollmentRequest, Program

logger = logging.getLogger(__name__)


def _send(person: User, template: str, context: dict, *, what: str) -> bool:
    """Email `person` the message of templates/email/<template>.txt and its subject; False (and
    logged) when the mail server refuses it: a mail server hiccup must not undo what was
    saved."""
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    body = render_to_string(f"email/{template}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[person.email]).send()
    except Exception:
        logger.exception("Could not send the %s email to user %s", what, person.pk)
        return False
    return True


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


def send_invitation(
    person: User, program: Program | None = None, invited_by: User | None = None
) -> bool:
    """Send the invitation now; False (and logged) when the mail server refuses it."""
    timeout_days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    context = {
        "person": person,
        "name": person_name(person),
        "username": person.username,
        "program": program,
        "invited_by": person_name(invited_by) if invited_by else "",
        "url": set_password_url(person),
        "login_url": f"{settings.SITE_URL}{reverse('login')}",
        "timeout_days": timeout_days,
    }
    return _send(person, "invitation", context, what="invitation")


def invitation_queue(
    person: User, program: Program | None = None, invited_by: User | None = None
) -> bool:
    """Queue the invitation for when the current transaction commits; False if no email."""
    if not can_invite(person):
        return False
    transaction.on_commit(lambda: send_invitation(person, program, invited_by))
    return True


def invitation_resend(
    person: User, program: Program | None = None, invited_by: User | None = None
) -> None:
    """The coordinator's "Send the invitation again": only for people who never logged in."""
    if not person.email:
        raise ValidationError("They have no email address on record, so no invitation can be sent.")
    if person.last_login is not None:
        raise ValidationError(
            "They have logged in already; they can use “Forgot your password?” on the log-in page."
        )
    if not person.is_active:
        raise ValidationError("Their account is deactivated.")
    invitation_queue(person, program, invited_by)


def send_enrollment_request(asked: EnrollmentRequest) -> bool:
    """Email the person asked to take part; False (and logged) when the mail server refuses."""
    person, program = asked.person, asked.program
    context = {
        "name": person_name(person),
        "asked_by": person_name(asked.asked_by) if asked.asked_by else "",
        "program": program,
        "role": asked.get_role_display().lower(),
        "url": f"{settings.SITE_URL}{asked.get_absolute_url()}",
    }
    return _send(person, "enrollment_request", context, what="enrollment request")


def enrollment_request_queue(asked: EnrollmentRequest) -> bool:
    """Queue the email of `asked` for when the current transaction commits; False if the person
    has no email address (they still see it on their home page)."""
    if not asked.person.email:
        return False
    transaction.on_commit(lambda: send_enrollment_request(asked))
    return True
