"""The protégé's "Who has read my logs": everyone outside their relationships who read the
conversation of one of them (the access log, audit/models.py), newest first."""

from django.http import HttpResponse
from django.shortcuts import render

from audit.models import AccessLogEntry
from core.http import AuthedRequest
from core.querytools import CountingPaginator
from relationships.views.protege import supported_relationship_ids

PAGE_SIZE = 25


def who_read_my_logs(request: AuthedRequest) -> HttpResponse:
    entries = AccessLogEntry.objects.about_relationships(
        supported_relationship_ids(request.user)
    ).select_related("reader", "program", "relationship__program", "relationship__mentor")
    page = CountingPaginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/accesslogentry_list.html",
        {"page_obj": page, "entries": page.object_list},
    )
