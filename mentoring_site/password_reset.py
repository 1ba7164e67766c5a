"""The password-reset email, sent by the task worker.

The reset page must not tell whether an address has an account, by its words or by its time
(docs/design.md, "Throttling"). So the request does the same thing for every address: it enqueues
one task with the address typed. The worker looks the address up and queues the email through
the outbox for each active account that uses it, invited people who never chose a password
included; for an unknown address it does nothing.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox import kinds
from outbox import services as outbox
from outbox.kinds import Kind, Letter
from outbox.models import Delivery

PASSWORD_RESET = "password_reset"


def accounts_using(email: str) -> list[User]:
    """The active accounts whose address is `email`, compared case-insensitively."""
    return [
        user
        for user in User.objects.filter(email__iexact=email, is_active=True).order_by("pk")
        if user.email.casefold() == email.casefold()
    ]


@task()
def password_reset_requested(email: str, language: str = "") -> int:
    """Queue a reset email to each account using `email`; how many. `language` is the page's
    the request came from: the email's, for someone who chose none (outbox.services.attempt)."""
    params = {"language": language} if language else {}
    return sum(
        outbox.queue(PASSWORD_RESET, user, **params) is not None for user in accounts_using(email)
    )


def write_password_reset(delivery: Delivery) -> Letter | None:
    user = delivery.recipient
    if user is None:
        return None
    context = {
        "user": user,
        "site_name": urlsplit(settings.SITE_URL).netloc,
        "site_url": settings.SITE_URL,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return Letter(
        subject=render_to_string("registration/password_reset_subject.txt", context),
        body=render_to_string("registration/password_reset_email.txt", context),
    )


def register_kinds() -> None:
    kinds.register(Kind(name=PASSWORD_RESET, write=write_password_reset))
