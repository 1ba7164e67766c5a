"""The navigation bar's links follow the person's roles (relationships/roles.py), kept
in the session so that the bar costs no query: worked out at login here, and again on Home."""

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mentoring_site import two_step
from relationships import roles


@receiver(user_logged_in, dispatch_uid="mentoring_site.navigation.on_login")
def on_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        roles.remember(request, roles.roles_from_data(user))


def navigation(request: HttpRequest) -> dict:
    """Context processor: `nav_roles`, read from the session only when a template asks, and
    `two_step_owed` (mentoring_site/two_step.py): while a second step is owed, the bar offers
    only logging out."""
    return {
        "nav_roles": SimpleLazyObject(lambda: roles.session_roles(request)),
        "two_step_owed": SimpleLazyObject(lambda: bool(two_step.owed(request))),
    }
