"""A person's own data, downloaded from their settings page (docs/design.md, Retention)."""

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import clock
from privacy.mydata import person_data


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"my-data-{clock.today():%Y-%m-%d}.{extension}"
    )
    return response


# The files hold private text: never kept by a browser's or a proxy's cache.
@never_cache
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    """Everything the app holds about the person signed in, as one JSON file."""
    return _download(person_data(request.user).as_json(), "application/json; charset=utf-8", "json")


@never_cache
@require_GET
def my_data_csv(request: HttpRequest) -> HttpResponse:
    """The same, as a zip of CSV files (one per kind of record) a spreadsheet opens."""
    return _download(person_data(request.user).as_zip(), "application/zip", "zip")
