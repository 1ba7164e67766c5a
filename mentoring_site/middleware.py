"""Middleware of the site's own."""

import re
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core import languages
from mentoring_site import logs

GetResponse = Callable[[HttpRequest], HttpResponseBase]

# C0 and C1 control characters and DEL: nobody types them into a search box or a page number,
# and PostgreSQL refuses a NUL in any query.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def without_control_characters(get_response: GetResponse) -> GetResponse:
    """Query parameters (`request.GET`) without control characters, for every view.

    `?q=a%00b` searched for "a<NUL>b", which PostgreSQL refuses: a server error on the
    dashboard, the participants page and the CSV exports. Here it becomes `ab`, in keys and
    values alike, before any view reads it. Form posts need nothing of the kind: Django's form
    fields already refuse a NUL, and other control characters are only text."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        query = request.GET
        if any(
            CONTROL_CHARACTERS.search(key) or any(map(CONTROL_CHARACTERS.search, values))
            for key, values in query.lists()
        ):
            # Of two keys that are alike once cleaned, the later one's values stand.
            cleaned = {
                CONTROL_CHARACTERS.sub("", key): [CONTROL_CHARACTERS.sub("", v) for v in values]
                for key, values in query.lists()
            }
            # Built as Django builds `request.GET`: parsed from a query string (in UTF-8, the
            # DEFAULT_CHARSET that a QueryDict reads by default).
            request.GET = QueryDict(
                urlencode([(key, value) for key, values in cleaned.items() for value in values])
            )
        return get_response(request)

    return middleware


def no_store_when_signed_in(get_response: GetResponse) -> GetResponse:
    """`Cache-Control: no-store` (with Django's other never-cache headers) on every response to
    a signed-in person: pages and downloads can hold conversation or private text, which must
    not stay in the browser's cache or a proxy's after they leave a shared computer.

    Static files never reach this: WhiteNoise answers them earlier in MIDDLEWARE."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


# An incoming X-Request-ID is kept when it is a plain token (nginx's $request_id, a UUID):
# nothing that could break a log line or pass for another field.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id(get_response):
    """Give every request an id, for the log lines it causes (mentoring_site/logs.py).

    The id is the `X-Request-ID` the proxy sent, when it is a sane token, else a new one; it is
    in `logs.request_id` from here until the response is closed (Django logs a 404 after the
    middleware returns, and a streamed download is written after it), and goes back in the
    response's `X-Request-ID`. First in MIDDLEWARE, so the responses other
    middleware answer carry it too."""

    def middleware(request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        current = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        logs.request_id.set(current)
        response = get_response(request)
        response.headers["X-Request-ID"] = current
        return response

    return middleware


@receiver(request_finished, dispatch_uid="mentoring_site.forget_request_id")
def forget_request_id(**kwargs) -> None:
    """The response is closed: what is logged from now on is no longer about that request."""
    logs.request_id.set(None)


def person_language(get_response: GetResponse) -> GetResponse:
    """Pages in the language a signed-in person chose (core/languages.py), read from their
    session: no query. Right after `AuthenticationMiddleware`; `LocaleMiddleware`, earlier,
    has already chosen by the cookie or the browser for everyone else. The choice is copied to
    the language cookie, so the log-in page after a log-out is in it too."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        language = languages.in_session(request)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = get_response(request)
        # Read again: logging in or the settings page may have changed it.
        language = languages.in_session(request)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            language is not None
            and cookie != language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies  # the view set it
        ):
            languages.set_cookie(response, language)
        return response

    return middleware
