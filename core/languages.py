"""A person's language: where it is kept for a request, and what the emails use.

A signed-in person's chosen language (`relationships.models.PersonSettings.language`) is put in
their session when they log in and when they change it; `mentoring_site.middleware.
person_language` turns it on for each of their requests, so knowing it costs no query. No choice
(None) follows the browser, as Django's `LocaleMiddleware` does for everyone signed out: the
language picked on the log-in page (the `django_language` cookie), else `Accept-Language`.

The chosen language is also written to the cookie, so the log-in page after a log-out speaks it.

Emails are written by the task worker, away from any request: `outbox.services` asks
`for_user`, which the app that keeps the setting registers (`register`), so the outbox imports
nothing above it.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

SESSION_KEY = "language"

_reader: Callable[[AbstractBaseUser], str | None] | None = None


def supported(language: str | None) -> str | None:
    """`language` when the site speaks it (a code of settings.LANGUAGES), else None."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else None


def register(reader: Callable[[AbstractBaseUser], str | None]) -> None:
    """Name the function that reads a person's chosen language (None: no choice)."""
    global _reader
    _reader = reader


def chosen(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """The language `user` chose on their settings page; None when they chose none."""
    if _reader is None or user is None or not user.is_authenticated:
        return None
    return supported(_reader(user))


def for_user(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The language to write to `user` in: theirs, else the site's (LANGUAGE_CODE)."""
    return chosen(user) or settings.LANGUAGE_CODE


def remember(request: HttpRequest, language: str | None) -> None:
    """Keep `language` (None: follow the browser) for the rest of this person's session."""
    language = supported(language)
    if language is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = language
        translation.activate(language)
        request.LANGUAGE_CODE = language


def in_session(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    return supported(session.get(SESSION_KEY)) if session is not None else None


def set_cookie(response: HttpResponseBase, language: str | None) -> None:
    """Write `language` to Django's language cookie (read on the log-in page); None deletes it."""
    if language is None:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
