"""Reports made in the background (docs/design.md, "Reports in the background").

A request stores a `ReportJob` (who asked, which registered builder, with what parameters) and
enqueues `reports.tasks.report_job_build` once that write commits. The worker claims the job,
calls the builder (reports/funder_pdf/registry.py), renders the PDF, saves it through Django's
default storage and emails the person who asked (the outbox) that it is ready. Their job's page
shows where it stands and, once made, the download; nobody else reaches either.

A file is removed `REPORT_FILE_DAYS` after it was made, and a job a killed worker left "being
made" for over `STALE_AFTER` is recorded as failed (`report_jobs_prune`, run by `manage.py
prune_report_jobs`).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock, languages
from outbox import services as outbox
from reports.funder_pdf import registry
from reports.funder_pdf.render import render
from reports.models import ReportJob

logger = logging.getLogger(__name__)

REPORT_READY = "report_ready"
STALE_AFTER = datetime.timedelta(hours=1)


def failed_text(error: str) -> str:
    return _(
        "The report could not be made (%(error)s). Ask for it again; if it happens again, tell "
        "an administrator."
    ) % {"error": error}


def report_job_queue(*, by: User, builder: str, title: str, parameters: dict) -> ReportJob:
    """Ask for a report, made by the task worker once this write commits. The same request
    still waiting or being made is not asked for twice: that job is returned."""
    from reports.tasks import report_job_build

    if not registry.is_registered(builder):
        raise ValueError(f"{builder!r} is not a registered report builder.")
    with transaction.atomic():
        waiting = (
            ReportJob.objects.unfinished()
            .filter(requested_by=by, builder=builder, parameters=parameters)
            .first()
        )
        if waiting is not None:
            return waiting
        job = ReportJob.objects.create(
            requested_by=by, builder=builder, title=title, parameters=parameters
        )
        transaction.on_commit(lambda: report_job_build.enqueue(job.pk))
    return job


def _claim(job_id: int) -> ReportJob | None:
    """Lock the job and mark it as being made; None if it is not waiting to be made."""
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .filter(pk=job_id, status=ReportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return None
        job.status = ReportJob.Status.RUNNING
        job.started_at = clock.now()
        job.save(update_fields=["status", "started_at"])
    return job


def _language(job: ReportJob) -> str:
    """The language the report is written in: the page's it was asked on, else its reader's."""
    asked = languages.supported(job.parameters.get("language"))
    return asked or languages.for_user(job.requested_by)


def report_job_run(*, job_id: int) -> str:
    """Make a queued report, store its file and tell the person who asked. Its status after."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    try:
        # The report speaks the language of the person who asked for it.
        with translation.override(_language(job)):
            build = registry.builder(job.builder)
            report = build({**job.parameters, "requested_by": job.requested_by_id})
            pdf = render(report)
    except Exception as error:
        logger.exception("Report job %s failed", job.pk)
        job.status = ReportJob.Status.FAILED
        with translation.override(_language(job)):
            job.error = failed_text(type(error).__name__)
        job.finished_at = clock.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job.status
    with transaction.atomic():
        job.file.save(f"{job.code}.pdf", ContentFile(pdf.content), save=False)
        job.file_size = len(pdf.content)
        job.page_count = pdf.pages
        job.status = ReportJob.Status.DONE
        job.finished_at = clock.now()
        job.save(update_fields=["file", "file_size", "page_count", "status", "finished_at"])
        outbox.queue(REPORT_READY, job.requested_by, job=job.pk)
    return job.status


def report_jobs_prune(*, days: int | None = None) -> tuple[int, int]:
    """Remove the files made more than `days` (`REPORT_FILE_DAYS`) ago, keeping their rows;
    record as failed the jobs left "being made" for over `STALE_AFTER`. The two counts."""
    now = clock.now()
    cutoff = now - datetime.timedelta(days=settings.REPORT_FILE_DAYS if days is None else days)
    pruned = 0
    old = ReportJob.objects.filter(
        status=ReportJob.Status.DONE, finished_at__lt=cutoff, pruned_at__isnull=True
    )
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.pruned_at = now
        job.save(update_fields=["file", "pruned_at"])
        pruned += 1
    stale = ReportJob.objects.filter(
        status=ReportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER
    ).update(
        status=ReportJob.Status.FAILED,
        finished_at=now,
        error=failed_text(_("it stopped before it was finished")),
    )
    return pruned, stale
