"""The access log: who outside a relationship read its conversation, and every export and
admin view of private records (docs/design.md, "Audit"). Rows are written once, never changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import choices_condition


class AccessLogEntryKind(models.TextChoices):
    RELATIONSHIP = "relationship", _("Relationship page")
    VISIT = "visit", _("Visit log")
    GOAL = "goal", _("Goal")
    EXPORT = "export", _("Export download")
    ADMIN = "admin", _("Django admin")


class AccessLogEntryRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Program coordinator")
    ADMIN = "admin", _("Administrator")


class AccessLogEntryQuerySet(models.QuerySet):
    def about_relationships(self, ids):
        """What was read of these relationships' conversation, newest first."""
        return self.filter(relationship__in=ids).order_by("-at", "-pk")


class AccessLogEntry(models.Model):
    Kind = AccessLogEntryKind

    Role = AccessLogEntryRole

    at = models.DateTimeField("when", default=clock.now, editable=False)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="read by",
    )
    role = models.CharField("as", max_length=16, choices=Role.choices)
    kind = models.CharField("where", max_length=16, choices=Kind.choices)
    what = models.CharField("what", max_length=200)
    path = models.CharField("address", max_length=500, blank=True)
    relationship = models.ForeignKey(
        "relationships.SupportRelationship",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="relationship",
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="program",
    )
    visit = models.ForeignKey(
        "relationships.Visit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="visit",
    )
    goal = models.ForeignKey(
        "goals.Goal",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="goal",
    )

    objects = AccessLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("kind", AccessLogEntryKind),
                name="audit_accesslogentry_kind_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("role", AccessLogEntryRole),
                name="audit_accesslogentry_role_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["relationship", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} read by {self.reader} at {self.at:%Y-%m-%d %H:%M}"
