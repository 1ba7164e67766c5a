"""Requests to take part in a program, sent to people who already have an account and take
part in no program of the same sponsor organization; they accept or decline
(programs/services.py, `needs_consent`). Imported by programs/models.py, so Django knows
`EnrollmentRequest` as a `programs` model."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import blank_or_choices_condition, choices_condition
from core.urltools import code_url
from programs.models import EnrollmentReason, EnrollmentRole, Program


class EnrollmentRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=EnrollmentRequest.Status.PENDING)


class EnrollmentRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for their answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class EnrollmentRequest(models.Model):
    """A coordinator's request that someone who already has an account, and takes part in no
    program of the same sponsor organization, join a program. Until the person accepts, they
    are not enrolled: the program's coordinators neither see nor edit their profile, nor match
    them (programs/services.py, `needs_consent`)."""

    Status = EnrollmentRequestStatus

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="enrollment_requests",
        verbose_name=_("program"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrollment_requests",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=EnrollmentRole.choices)
    reason = models.CharField(
        _("reason for taking part"), max_length=32, choices=EnrollmentReason.choices, blank=True
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"), default=clock.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = EnrollmentRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("enrollment request")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("role", EnrollmentRole),
                name="programs_enrollmentrequest_role_valid",
            ),
            models.CheckConstraint(
                condition=blank_or_choices_condition("reason", EnrollmentReason),
                name="programs_enrollmentrequest_reason_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("status", EnrollmentRequestStatus),
                name="programs_enrollmentrequest_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="programs_enrollmentrequest_answered_when_not_pending",
            ),
            models.UniqueConstraint(
                fields=["program", "person", "role"],
                condition=Q(status="pending"),
                name="programs_enrollmentrequest_one_pending_per_role",
                violation_error_message=_(
                    "This person has already been asked to take part in this role."
                ),
            ),
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self):
        return f"{self.person} asked to join {self.program} ({self.get_role_display()})"

    def get_absolute_url(self):
        return code_url("programs:request", self.code)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
