"""Signing in with an organization's account (docs/design.md, "Signing in").

django-allauth runs the OpenID Connect / OAuth exchange with Google, Microsoft or a generic
OpenID Connect provider; these adapters decide who gets in. Nobody signs up through them: an
identity is linked, by an email address its provider says it verified, to the person a
coordinator already added. Everyone else is refused with a page that says why.
"""

import logging
from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.conf import settings
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

REFUSED_TEMPLATE = "registration/sign_in_refused.html"
# The backend a social sign-in is recorded with: Django's own, which reads the user back.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

REASONS = {
    "unknown": _(
        "There is no account here for that address. Accounts are made by a program "
        "coordinator: ask yours to add you with this address, then try again."
    ),
    "unverified": _(
        "Your organization has not confirmed that email address, so it cannot be used to sign "
        "in here. Log in with your password, or ask your coordinator for help."
    ),
    "no_email": _(
        "Your organization's account did not tell us an email address, so we cannot find your "
        "account here. Log in with your password, or ask your coordinator for help."
    ),
    "inactive": _(
        "This account is turned off. If you think that is a mistake, ask your program "
        "coordinator to turn it back on."
    ),
    "ambiguous": _(
        "More than one account here uses that address, so we cannot tell which is yours. "
        "Log in with your password, or ask your coordinator to sort it out."
    ),
}


@dataclass(frozen=True)
class ProviderButton:
    """A "Sign in with ..." button of the log-in page."""

    name: str
    url: str


def provider_buttons(request: HttpRequest) -> list[ProviderButton]:
    """One button per configured provider (no query: the apps come from the settings)."""
    return [
        ProviderButton(name=provider.name, url=provider.get_login_url(request))
        for provider in get_adapter().list_providers(request)
    ]


def refuse(request: HttpRequest, reason: str, *, provider: str) -> ImmediateHttpResponse:
    """The refusal page, as an exception allauth turns into the response."""
    log.info("sign-in refused", extra={"reason": reason, "provider": provider})
    response = render(
        request,
        REFUSED_TEMPLATE,
        {"reason": REASONS[reason], "login_url": reverse("login")},
        status=403,
    )
    return ImmediateHttpResponse(response)


def _verified_addresses(sociallogin: SocialLogin) -> tuple[list[str], bool]:
    """The addresses the provider vouches for, and whether it gave any address at all.

    Microsoft's work accounts come without a "verified" flag: within one organization's own
    tenant (SOCIALACCOUNT_MICROSOFT_EMAIL_TRUSTED) the address is that organization's word; with
    a shared tenant ("organizations") any organization could claim any address, so none counts.
    """
    addresses = [address for address in sociallogin.email_addresses if address.email]
    if sociallogin.account.provider == "microsoft":
        trusted = settings.SOCIALACCOUNT_MICROSOFT_EMAIL_TRUSTED
        return ([a.email for a in addresses] if trusted else []), bool(addresses)
    return [a.email for a in addresses if a.verified], bool(addresses)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def get_provider(self, request, provider, client_id=None):
        """A provider that is not configured does not exist: its pages are a 404."""
        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("No such sign-in provider.") from None

    def pre_social_login(self, request, sociallogin: SocialLogin) -> None:
        """Let in a known, active person; link a new identity to its verified address."""
        provider = sociallogin.account.provider
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise refuse(request, "inactive", provider=provider)
            return
        verified, any_address = _verified_addresses(sociallogin)
        if not verified:
            raise refuse(request, "unverified" if any_address else "no_email", provider=provider)
        users = list(User.objects.filter(email__iexact=verified[0])[:2])
        if not users:
            raise refuse(request, "unknown", provider=provider)
        if len(users) > 1:
            raise refuse(request, "ambiguous", provider=provider)
        (user,) = users
        if not user.is_active:
            raise refuse(request, "inactive", provider=provider)
        sociallogin.connect(request, user)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user) -> None:
        user.backend = SESSION_BACKEND
        super().login(request, user)

    def add_message(self, *args, **kwargs) -> None:
        """Signing in through a provider lands on the page as a password log-in does, without
        allauth's own notices."""

    def respond_user_inactive(self, request, user):
        raise refuse(request, "inactive", provider="")
