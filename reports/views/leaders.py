"""The program leaders' roll-up (reports/rollup/): the page of figures across an
organization's programs, and each table as a download. Only for leaders: anyone else gets a
404, whatever else they are."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from core import clock
from core.http import AuthedRequest
from programs.leaders import managed_organization_ids
from programs.models import Organization
from reports import jobs
from reports.funder_pdf import registry
from reports.rollup import exports, stored
from reports.rollup.filters import RollupForm
from reports.rollup.scope import Scope, leader_scope
from reports.rollup.suppression import minimum

ROLLUP_PDF = "reports.rollup.pdf.build"


def _scope(request: AuthedRequest) -> Scope:
    scope = leader_scope(request.user)
    if scope is None:
        raise Http404("No such page.")
    return scope


def rollup(request: AuthedRequest) -> HttpResponse:
    """Every figure of the roll-up for the filters asked (GET)."""
    scope = _scope(request)
    today = clock.today()
    form = RollupForm(request.GET or None, scope=scope, today=today)
    filters = form.filters()
    counted = stored.read(scope, filters, today)
    figures = counted.rollup
    query = filters.as_query()
    unsorted = {name: value for name, value in query.items() if name != "sort"}
    sort_links = []
    for index, heading in enumerate(figures.table("programs").columns):
        ascending = filters.sort == str(index) or (index == 0 and not filters.sort)
        state = "ascending" if ascending else "descending" if filters.sort == f"-{index}" else ""
        target = f"-{index}" if ascending else str(index)
        sort_links.append((heading, "?" + urlencode({**unsorted, "sort": target}), state))
    managed = managed_organization_ids(request.user, scope.tree) & scope.organization_ids
    return render(
        request,
        "leaders/rollup.html",
        {
            "form": form,
            "filters": filters,
            "rollup": figures,
            "counted": counted,
            "download_query": urlencode(query),
            "pdf_query": sorted(query.items()),
            "program_sort_links": sort_links,
            "minimum": minimum(),
            "managed": Organization.objects.filter(pk__in=list(managed))
            .order_by("name", "pk")
            .values_list("name", "code"),
        },
    )


def rollup_export(request: AuthedRequest, slug: str, extension: str) -> HttpResponse:
    """One table of the roll-up as CSV or .xlsx, for the same filters as the page."""
    scope = _scope(request)
    today = clock.today()
    form = RollupForm(request.GET or None, scope=scope, today=today)
    filters = form.filters()
    counted = stored.read(scope, filters, today)
    try:
        table = counted.rollup.table(slug)
    except KeyError:
        raise Http404("No such table.") from None
    if extension == "csv":
        return exports.csv_response(table, filters)
    return exports.xlsx_response(table, filters, counted.counted_at)


def rollup_pdf(request: AuthedRequest) -> HttpResponse:
    """Ask for the roll-up, for the filters of the page (POST), as a PDF made in the
    background; its status page follows, and the leader is emailed when it is ready."""
    scope = _scope(request)
    if request.method != "POST":
        return redirect("leaders:rollup")
    form = RollupForm(request.POST, scope=scope, today=clock.today())
    job = jobs.report_job_queue(
        by=request.user,
        builder=ROLLUP_PDF,
        title=str(registry.BUILDERS[ROLLUP_PDF]),
        parameters=form.filters().as_query(),
    )
    return redirect(job)
