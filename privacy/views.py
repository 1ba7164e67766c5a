"""A person's own data, downloaded from their settings page; and the administrator's page that
anonymizes a person who asked (docs/design.md, Retention)."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import clock
from core.http import AuthedRequest
from core.names import person_name
from privacy import services
from privacy.forms import AnonymizeForm, FindPersonForm
from privacy.mydata import person_data
from privacy.selectors import anonymize_summary


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = pgettext("file name", "my-data")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name}-{clock.today():%Y-%m-%d}.{extension}"
    )
    return response


# The files hold private text: never kept by a browser's or a proxy's cache.
@never_cache
@require_GET
def my_data_json(request: AuthedRequest) -> HttpResponse:
    """Everything the app holds about the person signed in, as one JSON file."""
    return _download(person_data(request.user).as_json(), "application/json; charset=utf-8", "json")


@never_cache
@require_GET
def my_data_csv(request: AuthedRequest) -> HttpResponse:
    """The same, as a zip of CSV files (one per kind of record) a spreadsheet opens."""
    return _download(person_data(request.user).as_zip(), "application/zip", "zip")


def anonymize(request: AuthedRequest) -> HttpResponse:
    """Find a person, see what anonymizing them changes, and do it. Administrators only: for
    anyone else the page does not exist."""
    if not rules.test_rule("privacy.anonymize_person", request.user):
        raise Http404("No such page.")
    person = confirm = None
    if request.method == "POST":
        confirm = AnonymizeForm(request.POST)
        if confirm.is_valid():
            person = confirm.cleaned_data["person_obj"]
            name = person_name(person)
            try:
                record = services.person_anonymize(person=person, by=request.user)
            except ValidationError as error:
                confirm.add_error(None, error)
            else:
                anonymized = record.person
                assert anonymized is not None  # the record of a person's anonymization
                messages.success(
                    request,
                    _(
                        "%(name)s is anonymized: their account is now “%(username)s” and can "
                        "no longer sign in, and what they wrote is removed. Their figures stay."
                    )
                    % {"name": name, "username": anonymized.username},
                )
                return redirect(reverse("privacy:anonymize"))
        person = confirm.cleaned_data.get("person_obj")
        find = FindPersonForm(initial={"person": request.POST.get("person", "")})
    else:
        find = FindPersonForm(request.GET if "person" in request.GET else None)
        if find.is_bound and find.is_valid():
            person = find.cleaned_data["person_obj"]
            confirm = AnonymizeForm(initial={"person": person.username})
    return render(
        request,
        "privacy/anonymize.html",
        {
            "find_form": find,
            "confirm_form": confirm,
            "person": person,
            "summary": anonymize_summary(person) if person is not None else None,
        },
    )
