"""Reports made in the background: a request for a report, the task worker's progress on it,
and the file it made (reports/jobs.py; docs/design.md, "Reports in the background")."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import choices_condition


def report_file_path(job: "ReportJob", filename: str) -> str:
    """Where a report's file is stored: named by the job's unguessable code, never by what
    it holds."""
    return f"reports/{job.code}.pdf"


class ReportJobQuerySet(models.QuerySet):
    def requested_by(self, user):
        """A person's own report requests: nobody else ever sees them, admins included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def unfinished(self):
        return self.filter(status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING])


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be made")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be made")


class ReportJob(models.Model):
    """One report asked for by one person, made by the task worker (`reports.tasks.
    report_job_build`) from a registered builder (`reports/funder_pdf/registry.py`) and the
    parameters it was asked with. The file is removed after `REPORT_FILE_DAYS`; the row stays,
    saying so."""

    Status = ReportJobStatus

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    # A made file is not a record anybody wrote: it goes with the account.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    builder = models.CharField(_("builder"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("file"), upload_to=report_file_path, blank=True)
    file_size = models.PositiveIntegerField(_("file size in bytes"), default=0)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    pruned_at = models.DateTimeField(_("file removed at"), null=True, blank=True)
    error = models.TextField(_("what stopped it"), blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report job")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("status", ReportJobStatus),
                name="reports_reportjob_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"], finished_at__isnull=True)
                | (Q(status__in=["done", "failed"]) & Q(finished_at__isnull=False)),
                name="reports_reportjob_finished_when_done_or_failed",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("report_jobs:detail", args=[self.code])

    def _parameter_date(self, name: str) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.parameters.get(name) or "")
        except (TypeError, ValueError):
            return None

    @property
    def starts_on(self) -> datetime.date | None:
        """The first day of the period asked for, when the report has one."""
        return self._parameter_date("starts_on")

    @property
    def ends_on(self) -> datetime.date | None:
        """The last day of the period asked for, when the report has one."""
        return self._parameter_date("ends_on")

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and self.pruned_at is None


class RollupVersion(models.Model):
    """How many times the figures of one program have changed (reports/rollup/stored.py):
    bumped when a write that the roll-up counts commits. `program_id` 0 stands for what every
    program's figures read (organizations, profiles, a rebuild of every summary)."""

    program_id = models.PositiveBigIntegerField(_("program"), primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("roll-up version")

    def __str__(self):
        return f"{self.program_id}: {self.version}"


class StoredRollup(models.Model):
    """The roll-up's tables as counted for one scope, filters, day and language
    (reports/rollup/stored.py), and the sum of its programs' versions when the count began:
    while that sum is unchanged, nothing the tables count has changed."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    # New at every count: names what was counted, for the page's rendered tables (cached).
    code = models.UUIDField(_("code"), default=uuid.uuid4)
    version = models.PositiveBigIntegerField(_("version counted"))
    counted_at = models.DateTimeField(_("counted at"))
    recount_asked_at = models.DateTimeField(_("recount asked at"), null=True, blank=True)
    tables = models.JSONField(_("tables"))

    class Meta:
        verbose_name = _("stored roll-up")
        indexes = [models.Index(fields=["counted_at"])]

    def __str__(self):
        return f"{self.key[:12]} ({self.counted_at:%Y-%m-%d %H:%M})"
