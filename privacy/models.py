"""The record that a person, or an ended relationship, was anonymized (docs/design.md,
Retention): who or what, why, when and by whom. What was blanked is gone; this row says that
it happened."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import choices_condition


class AnonymizationReason(models.TextChoices):
    REQUEST = "request", _("The person asked")
    RETENTION = "retention", _("The program's retention period ended")


class Anonymization(models.Model):
    Reason = AnonymizationReason

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="anonymization",
        null=True,
        blank=True,
        verbose_name="person",
    )
    relationship = models.OneToOneField(
        "relationships.SupportRelationship",
        on_delete=models.PROTECT,
        related_name="anonymization",
        null=True,
        blank=True,
        verbose_name="relationship",
    )
    reason = models.CharField("reason", max_length=16, choices=Reason.choices)
    done_at = models.DateTimeField("done at", default=clock.now)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="done by",
        help_text="Empty when the nightly command did it.",
    )

    class Meta:
        ordering = ["-done_at", "-pk"]
        verbose_name = _("anonymization")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("reason", AnonymizationReason),
                name="privacy_anonymization_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, relationship__isnull=True)
                | Q(person__isnull=True, relationship__isnull=False),
                name="privacy_anonymization_person_or_relationship",
                violation_error_message="An anonymization is of a person or of a relationship.",
            ),
        ]
        indexes = [models.Index(fields=["done_at"])]

    def __str__(self):
        what = (
            f"person #{self.person_id}"
            if self.person_id
            else f"relationship #{self.relationship_id}"
        )
        return f"Anonymized {what} on {clock.local_date(self.done_at):%Y-%m-%d}"

    def clean(self):
        if bool(self.person_id) == bool(self.relationship_id):
            raise ValidationError(_("An anonymization is of a person or of a relationship."))
