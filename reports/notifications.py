"""The email that tells a person their report is ready (reports/jobs.py). It cannot be turned
off: they asked for it, and it goes only to them."""

from django.conf import settings
from django.template.loader import render_to_string

from core.names import person_name
from outbox import kinds
from outbox.kinds import Kind, Letter
from outbox.models import Delivery
from reports.jobs import REPORT_READY
from reports.models import ReportJob


def write_report_ready(delivery: Delivery) -> Letter | None:
    """The notice; None once the file is gone or the job is not theirs."""
    job = ReportJob.objects.filter(
        pk=delivery.params.get("job"), requested_by=delivery.recipient
    ).first()
    if job is None or not job.is_downloadable or delivery.recipient is None:
        return None
    context = {
        "name": person_name(delivery.recipient),
        "job": job,
        "url": f"{settings.SITE_URL}{job.get_absolute_url()}",
        "days": settings.REPORT_FILE_DAYS,
    }
    return Letter(
        subject=render_to_string("email/report_ready_subject.txt", context),
        body=render_to_string("email/report_ready.txt", context),
    )


def register_kinds() -> None:
    kinds.register(Kind(name=REPORT_READY, write=write_report_ready))
