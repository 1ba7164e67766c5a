"""Reports made in the background: ask for one, watch it being made, download it
(reports/jobs.py). A job is its requester's alone: anyone else gets a 404 for its pages,
administrators included."""

from uuid import UUID

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from core import clock
from core.http import AuthedRequest
from reports import jobs
from reports.funder_pdf import my_programs, registry
from reports.models import ReportJob
from reports.report_forms import ReportPeriodForm

# How often the page of a report being made reloads itself (a Refresh header, as a roster
# import's page does: no page's HTML holds a refresh, tests/sweeps/test_markup_canary.py).
REFRESH_SECONDS = 3
PAGE_SIZE = 10
MY_PROGRAMS = "reports.funder_pdf.my_programs.build"
ROLLUP = "reports.rollup.pdf.build"  # asked for from the leaders' roll-up (views/leaders.py)


def report_new(request: AuthedRequest) -> HttpResponse:
    """Ask for a PDF report of the programs I coordinate over a period, and see my reports.
    For coordinators of an active program and administrators; 404 for everyone else."""
    if not my_programs.reported_programs(request.user).exists():
        raise Http404("Not found.")
    form = ReportPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.report_job_queue(
            by=request.user,
            builder=MY_PROGRAMS,
            title=str(registry.BUILDERS[MY_PROGRAMS]),
            parameters={
                "starts_on": form.cleaned_data["starts_on"].isoformat(),
                "ends_on": form.cleaned_data["ends_on"].isoformat(),
                # The worker writes the report in the language of the page it was asked on.
                "language": translation.get_language(),
            },
        )
        return redirect(job)
    page = Paginator(ReportJob.objects.requested_by(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/reportjob_form.html",
        {"form": form, "page_obj": page, "reports": page.object_list, "title": my_programs.TITLE},
    )


def _own_job(request: AuthedRequest, code: UUID) -> ReportJob:
    return get_object_or_404(ReportJob.objects.requested_by(request.user), code=code)


def report_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Where my report stands; once it is made, its download."""
    job = _own_job(request, code)
    response = render(
        request,
        "reports/reportjob_detail.html",
        {
            "job": job,
            "days": settings.REPORT_FILE_DAYS,
            "rollup_builder": ROLLUP,
            # Where it was asked for, to ask again: the roll-up, or the PDF reports page.
            "back_url": reverse("leaders:rollup" if job.builder == ROLLUP else "report_jobs:new"),
        },
    )
    if not job.is_finished:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def report_download(request: AuthedRequest, code: UUID) -> FileResponse:
    """My report's PDF, while it is kept."""
    job = _own_job(request, code)
    if not job.is_downloadable:
        raise Http404("Not found.")
    made_on = clock.local_date(job.finished_at) if job.finished_at else clock.today()
    name = f"{slugify(job.title) or 'report'}-{made_on:%Y-%m-%d}.pdf"
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
