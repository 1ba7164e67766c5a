"""Matrix rows for the PDF reports made in the background (reports/views/report_jobs.py).

Asking for one is for coordinators (and administrators, whose Programs page lists every
program); a report is its requester's alone, so its page and its file are a 404 for everyone
else, administrators included."""

from django.core.files.base import ContentFile

from core import clock
from reports.models import ReportJob
from tests.matrix.world import Demo, Row

MY_PROGRAMS = "reports.funder_pdf.my_programs.build"


def _coordinators_report(demo: Demo) -> ReportJob:
    """A report the demo coordinator asked for, made."""
    job = ReportJob.objects.filter(requested_by=demo.user("coordinator")).first()
    if job is None:
        job = ReportJob.objects.create(
            requested_by=demo.user("coordinator"), builder=MY_PROGRAMS, title="Report"
        )
        job.file.save(f"{job.code}.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
        job.status, job.finished_at, job.page_count = ReportJob.Status.DONE, clock.now(), 1
        job.save()
    return job


ROWS = {
    "report_jobs:new": lambda demo: Row("/reports/pdf/", expect={"coordinator": 200, "admin": 200}),
    "report_jobs:detail": lambda demo: Row(
        f"/reports/pdf/{_coordinators_report(demo).code}/", expect={"coordinator": 200}
    ),
    "report_jobs:download": lambda demo: Row(
        f"/reports/pdf/{_coordinators_report(demo).code}/download/",
        expect={"coordinator": 200},
    ),
}
