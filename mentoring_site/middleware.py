"""Middleware of the site's own."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


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
