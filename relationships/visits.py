"""Visits (scheduled, logged or cancelled, in the shape of the collaborative assessment log)
and the protégés' acknowledgements of them. Imported by relationships/models.py, which is where
the rest of the code imports them from."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from core import clock
from core.encryption import EncryptedTextField
from core.fields import ChoiceListField, choices_condition
from core.urltools import code_url
from relationships.models import SupportRelationship, written_since_q


class Activity(models.TextChoices):
    OBSERVING = "observing", "Observing"
    MODELING = "modeling", "Modeling / demonstrating"
    CO_TEACHING = "co_teaching", "Co-teaching"
    SIDE_BY_SIDE = "side_by_side", "Side-by-side support"
    REFLECTIVE_CONVERSATION = (
        "reflective_conversation",
        "Reflective conversation / debrief",
    )
    FEEDBACK = "feedback", "Feedback"
    PLANNING = "planning", "Planning instruction"
    STUDENT_WORK = "student_work", "Analyzing student work"
    ROLE_PLAY = "role_play", "Role-play"
    VIDEO_REVIEW = "video_review", "Video review"
    GOAL_SETTING = "goal_setting", "Goal setting"
    RESOURCES = "resources", "Resource sharing"
    FAMILIES = "families", "Communicating with families"


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
    SCHEDULED = "scheduled", "Scheduled"
    LOGGED = "logged", "Logged"
    CANCELLED = "cancelled", "Cancelled"


class Visit(models.Model):
    Status = VisitStatus

    Activity = Activity

    code = models.UUIDField("code", default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name="relationship",
    )
    status = models.CharField(
        "status", max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    date = models.DateField("date")
    start_time = models.TimeField("start time", null=True, blank=True)
    duration_minutes = models.PositiveIntegerField("duration (minutes)", null=True, blank=True)
    location = models.CharField("location", max_length=200, blank=True)
    adults_present = models.PositiveSmallIntegerField("adults present", null=True, blank=True)
    children_present = models.PositiveSmallIntegerField("children present", null=True, blank=True)
    activities = ChoiceListField("activities", choices_class=Activity)
    whats_working = models.TextField("what's working", blank=True)
    focus_challenges = models.TextField("current focus / challenges", blank=True)
    protege_next_steps = models.TextField("protégé's next steps", blank=True)
    mentor_next_steps = models.TextField("mentor's next steps", blank=True)
    feedback = models.TextField("feedback to the protégé", blank=True)
    next_meeting_on = models.DateField("next meeting date", null=True, blank=True)
    next_meeting_focus = models.CharField("next meeting focus", max_length=300, blank=True)
    # Encrypted at rest, and kept out of the history tables (docs/design.md, "Private text").
    private_notes = EncryptedTextField(
        "private notes",
        blank=True,
        help_text="Only you can read these. They are never shown to the protégé or anyone else.",
    )
    cancel_reason = models.CharField("reason for cancelling", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits_created",
        verbose_name="created by",
    )
    created_at = models.DateTimeField("created at", default=clock.now, editable=False)
    logged_at = models.DateTimeField("logged at", null=True, blank=True)
    # The goals a visit addresses (`visit.goals`) are a field of goals.Goal, the app above;
    # goals/visit_history.py keeps them in this history.
    history = HistoricalRecords(excluded_fields=["private_notes"])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = "visit"
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("status", VisitStatus),
                name="relationships_visit_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0),
                name="relationships_visit_duration_positive",
                violation_error_message="The duration must be more than 0 minutes.",
            ),
            models.CheckConstraint(
                condition=~Q(status="logged")
                | Q(duration_minutes__isnull=False, logged_at__isnull=False),
                name="relationships_visit_logged_has_duration",
                violation_error_message="A logged visit needs its duration in minutes.",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="relationships_visit_cancelled_has_reason",
                violation_error_message="Give a reason for cancelling.",
            ),
            models.CheckConstraint(
                condition=Q(next_meeting_on__isnull=True) | Q(next_meeting_on__gte=F("date")),
                name="relationships_visit_next_meeting_after_visit",
                violation_error_message="The next meeting must be on or after this visit.",
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
            errors["duration_minutes"] = "The duration must be more than 0 minutes."
        if self.status == self.Status.LOGGED and not self.duration_minutes:
            errors["duration_minutes"] = "Enter how long the visit lasted, in minutes."
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = "Give a reason for cancelling."
        if self.next_meeting_on and self.date and self.next_meeting_on < self.date:
            errors["next_meeting_on"] = "The next meeting must be on or after this visit."
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
        verbose_name="visit",
    )
    protege = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name="protégé",
    )
    acknowledged_at = models.DateTimeField("acknowledged at", default=clock.now)
    reflection = models.TextField(
        "reflection for your mentor or coach",
        blank=True,
        help_text="Shared with your mentor or coach.",
    )
    private_reflection = EncryptedTextField(
        "private reflection", blank=True, help_text="Only you can read this."
    )
    history = HistoricalRecords(excluded_fields=["private_reflection"])

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["acknowledged_at"]
        verbose_name = "acknowledgement"
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "protege"],
                name="relationships_acknowledgement_once_per_person",
                violation_error_message="You have already acknowledged this log.",
            ),
        ]

    def __str__(self):
        return f"{self.protege} acknowledged {self.visit}"
