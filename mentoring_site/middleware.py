"""Middleware of the site's own."""

import re

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers

# C0 and C1 control characters and DEL: nobody types them into a search box or a page number,
# and PostgreSQL refuses a NUL in any query.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def without_control_characters(get_response):
    """Query parameters (`request.GET`) without control characters, for every view.

    `?q=a%00b` searched for "a<NUL>b", which PostgreSQL refuses: a server error on the
    dashboard, the participants page and the CSV exports. Here it becomes `ab`, in keys and
    values alike, before any view reads it. Form posts need nothing of the kind: Django's form
    fields already refuse a NUL, and other control characters are only text."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.GET
        if any(
            CONTROL_CHARACTERS.search(key) or any(map(CONTROL_CHARACTERS.search, values))
            for key, values in query.lists()
        ):
            cleaned = QueryDict(mutable=True)
            for key, values in query.lists():
                cleaned.setlist(
                    CONTROL_CHARACTERS.sub("", key),
                    [CONTROL_CHARACTERS.sub("", value) for value in values],
                )
            cleaned._mutable = False
            request.GET = cleaned
        return get_response(request)

    return middleware


def no_store_when_signed_in(get_response):
    """`Cache-Control: no-store` (with Django's other never-cache headers) on every response to
    a signed-in person: pages and downloads can hold conversation or private text, which must
    not stay in the browser's cache or a proxy's after they leave a shared computer.

    Static files never reach this: WhiteNoise answers them earlier in MIDDLEWARE."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware
