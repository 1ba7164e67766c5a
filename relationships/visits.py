"""Visits (scheduled, logged or cancelled, in the shape of the collaborative assessment log)
and the protégés' acknowledgements of them. Imported by relationships/models.py, which is where
the rest of the code imports them from."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import clock
from core.encryption import EncryptedTextField
from core.fields import ChoiceListField, choices_condition
from core.urltools import code_url
from relationships.models import SupportRelationship, written_since_q


class Activity(models.TextChoices):
    OBSERVING = "observing", _("Observing")
    MODELING = "modeling", _("Modeling / demonstrating")
    CO_TEACHING = "co_teaching", _("Co-teaching")
    SIDE_BY_SIDE = "side_by_side", _("Side-by-side support")
    REFLECTIVE_CONVERSATION = (
        "reflective_conversation",
        _("Reflective conversation / debrief"),
    )
    FEEDBACK = "feedback", _("Feedback")
    PLANNING = "planning", _("Planning instruction")
    STUDENT_WORK = "student_work", _("Analyzing student work")
    ROLE_PLAY = "role_play", _("Role-play")
    VIDEO_REVIEW = "video_review", _("Video review")
    GOAL_SETTING = "goal_setting", _("Goal setting")
    RESOURCES = "resources", _("Resource sharing")
    FAMILIES = "families", _("Communicating with families")


class VisitQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=Visit.Status.SCHEDULED)

    def logged(self):
        return self.filter(status=Visit.Status.LOGGED)

    def visible_to(self, user):
        """Logistics tier: visits of the relationships the person may see."""
        return self.filter(relationship__in=SupportRelationship.objects.visible_to(user))

    def conversation_visible_to(self, user):
        """Logs a person reads: a coordinator, those logged (or, not yet logged, planned)
        since the program began sharing them."""
        return (
            self.filter(relationship__in=SupportRelationship.objects.conversation_visible_to(user))
            .alias(written_at=Coalesce("logged_at", "created_at"))
            .filter(written_since_q(user, "written_at"))
        )


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    LOGGED = "logged", _("Logged")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    Status = VisitStatus

    Activity = Activity

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("relationship"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    adults_present = models.PositiveSmallIntegerField(_("adults present"), null=True, blank=True)
    children_present = models.PositiveSmallIntegerField(
        _("children present"), null=True, blank=True
    )
    activities = ChoiceListField(_("activities"), choices_class=Activity)
    whats_working = models.TextField(_("what's working"), blank=True)
    focus_challenges = models.TextField(_("current focus / challenges"), blank=True)
    protege_next_steps = models.TextField(_("protégé's next steps"), blank=True)
    mentor_next_steps = models.TextField(_("mentor's next steps"), blank=True)
    feedback = models.TextField(_("feedback to the protégé"), blank=True)
    next_meeting_on = models.DateField(_("next meeting date"), null=True, blank=True)
    next_meeting_focus = models.CharField(_("next meeting focus"), max_length=300, blank=True)
    # Encrypted at rest, and kept out of the history tables (docs/design.md, "Private text").
    private_notes = EncryptedTextField(
        _("private notes"),
        blank=True,
        help_text=_("Only you can read these. They are never shown to the protégé or anyone else."),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    logged_at = models.DateTimeField(_("logged at"), null=True, blank=True)
    # The goals a visit addresses (`visit.goals`) are a field of goals.Goal, the app above;
    # goals/visit_history.py keeps them in this history.
    history = HistoricalRecords(excluded_fields=["private_notes"])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("visit")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("status", VisitStatus),
                name="relationships_visit_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="relationships_visit_duration_positive",
                violation_error_message=_("The duration must be more than 0 minutes."),
            ),
            models.CheckConstraint(
                condition=~Q(status="logged")
                | Q(duration_minutes__isnull=False, logged_at__isnull=False),
                name="relationships_visit_logged_has_duration",
                violation_error_message=_("A logged visit needs its duration in minutes."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="relationships_visit_cancelled_has_reason",
                violation_error_message=_("Give a reason for cancelling."),
            ),
            models.CheckConstraint(
                condition=Q(next_meeting_on__isnull=True) | Q(next_meeting_on__gte=F("date")),
                name="relationships_visit_next_meeting_after_visit",
                violation_error_message=_("The next meeting must be on or after this visit."),
            ),
        ]
        indexes = [
            models.Index(fields=["relationship", "status", "date"]),
            models.Index(fields=["status", "date"]),
        ]

    def __str__(self):
        return f"{self.get_status_display()} visit on {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return code_url("relationships:visit_detail", self.code)

    def clean(self):
        errors = {}
        if self.duration_minutes is not None and self.duration_minutes <= 0:
            errors["duration_minutes"] = _("The duration must be more than 0 minutes.")
        if self.status == self.Status.LOGGED and not self.duration_minutes:
            errors["duration_minutes"] = _("Enter how long the visit lasted, in minutes.")
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("Give a reason for cancelling.")
        if self.next_meeting_on and self.date and self.next_meeting_on < self.date:
            errors["next_meeting_on"] = _("The next meeting must be on or after this visit.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_incomplete(self) -> bool:
        """An observation logged with no feedback is incomplete."""
        return (
            self.status == self.Status.LOGGED
            and Activity.OBSERVING in (self.activities or [])
            and not self.feedback.strip()
        )

    def activity_labels(self) -> list[str]:
        field = self._meta.get_field("activities")
        assert isinstance(field, ChoiceListField)
        return field.labels(self.activities)


class AcknowledgementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visit__in=Visit.objects.conversation_visible_to(user)).filter(
            written_since_q(user, "acknowledged_at", "visit__relationship")
        )


class Acknowledgement(models.Model):
    """A protégé's acknowledgement of a visit log: co-signing the next steps, reflecting back.

    Each member of a team acknowledges for themselves, so this is its own row per person.
    """

    visit = models.ForeignKey(
        Visit,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("visit"),
    )
    protege = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("protégé"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=clock.now)
    reflection = models.TextField(
        _("reflection for your mentor or coach"),
        blank=True,
        help_text=_("Shared with your mentor or coach."),
    )
    private_reflection = EncryptedTextField(
        _("private reflection"), blank=True, help_text=_("Only you can read this.")
    )
    history = HistoricalRecords(excluded_fields=["private_reflection"])

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["acknowledged_at"]
        verbose_name = _("acknowledgement")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "protege"],
                name="relationships_acknowledgement_once_per_person",
                violation_error_message=_("You have already acknowledged this log."),
            ),
        ]

    def __str__(self):
        return f"{self.protege} acknowledged {self.visit}"
