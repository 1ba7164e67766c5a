"""Goals in the shape of Practice-Based Coaching and the Impact Cycle."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import clock
from core.fields import choices_condition
from core.urltools import code_url
from programs.models import Program
from relationships.models import SupportRelationship, Visit, written_since_q


class GoalTemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)

    def visible_to(self, user):
        """A program's templates: its coordinators and the people supporting in it."""
        return self.filter(program__in=Program.objects.visible_to(user))


class GoalTemplate(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="goal_templates",
        verbose_name=_("program"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    focus_area = models.CharField(_("focus area"), max_length=120, blank=True)
    suggested_measure = models.CharField(_("suggested measure"), max_length=300, blank=True)
    required = models.BooleanField(
        _("required"),
        default=False,
        help_text=_("Every protégé in the program works on this goal."),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = GoalTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["program", "title"]
        verbose_name = _("goal template")

    def __str__(self):
        return self.title


OPEN_GOAL_STATUSES = ("proposed", "agreed", "in_progress")


class GoalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_GOAL_STATUSES)

    def visible_to(self, user):
        """Logistics tier: goal titles and statuses go with the relationship."""
        return self.filter(relationship__in=SupportRelationship.objects.visible_to(user))

    def conversation_visible_to(self, user):
        """Goal details, action steps and progress: the shared-conversation tier (for a
        coordinator, the goals set since the program began sharing logs)."""
        return self.filter(
            relationship__in=SupportRelationship.objects.conversation_visible_to(user)
        ).filter(written_since_q(user, "created_at"))


class GoalOrigin(models.TextChoices):
    COLLABORATIVE = "collaborative", _("Collaborative")
    PRESCRIBED = "prescribed", _("Prescribed")


class GoalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    CLOSED = "closed", _("Closed")


class Goal(models.Model):
    Origin = GoalOrigin

    Status = GoalStatus
    OPEN_STATUSES = OPEN_GOAL_STATUSES

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.PROTECT,
        related_name="goals",
        verbose_name=_("relationship"),
    )
    origin = models.CharField(
        _("origin"), max_length=16, choices=Origin.choices, default=Origin.COLLABORATIVE
    )
    template = models.ForeignKey(
        GoalTemplate,
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
        verbose_name=_("goal template"),
    )
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("goal statement"))
    focus_area = models.CharField(_("focus area"), max_length=120, blank=True)
    student_focused = models.BooleanField(
        _("student-focused"),
        default=False,
        help_text=_("The goal names a change for the children."),
    )
    measure_description = models.CharField(
        _("how progress is measured"), max_length=300, blank=True
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    close_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    mentor_agreed_at = models.DateTimeField(_("mentor agreed at"), null=True, blank=True)
    protege_agreed_at = models.DateTimeField(_("protégé agreed at"), null=True, blank=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="goals_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The visits that addressed the goal; a visit reads them as `visit.goals`. The join table
    # keeps the name it had when the field was the visit's.
    visits = models.ManyToManyField(
        Visit,
        related_name="goals",
        blank=True,
        verbose_name=_("visits that addressed it"),
        db_table="relationships_visit_goals",
    )
    history = HistoricalRecords()

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("goal")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("origin", GoalOrigin),
                name="goals_goal_origin_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("status", GoalStatus),
                name="goals_goal_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(origin="prescribed", template__isnull=False)
                | Q(origin="collaborative", template__isnull=True),
                name="goals_goal_template_matches_origin",
                violation_error_message=_(
                    "A prescribed goal comes from a goal template; a collaborative goal does not."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["met", "not_met", "closed"], closed_at__isnull=False)
                | Q(status__in=list(OPEN_GOAL_STATUSES), closed_at__isnull=True),
                name="goals_goal_closed_at_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""),
                name="goals_goal_closed_has_reason",
                violation_error_message=_("Give a reason for closing the goal."),
            ),
        ]
        indexes = [models.Index(fields=["relationship", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return code_url("goals:detail", self.code)

    def clean(self):
        errors = {}
        if self.origin == self.Origin.PRESCRIBED and not self.template_id:
            errors["template"] = _("Choose the goal template this prescribed goal comes from.")
        if self.origin == self.Origin.COLLABORATIVE and self.template_id:
            errors["template"] = _("A collaborative goal is written together, not from a template.")
        if self.status == self.Status.CLOSED and not self.close_reason.strip():
            errors["close_reason"] = _("Give a reason for closing the goal.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_GOAL_STATUSES


class ActionStepWho(models.TextChoices):
    PROTEGE = "protege", _("Protégé")
    MENTOR = "mentor", _("Mentor or coach")
    BOTH = "both", _("Both")


class ActionStep(models.Model):
    Who = ActionStepWho

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="action_steps", verbose_name=_("goal")
    )
    who = models.CharField(_("who"), max_length=16, choices=Who.choices, default=Who.PROTEGE)
    what = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("done by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action step")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("who", ActionStepWho),
                name="goals_actionstep_who_valid",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                name="goals_actionstep_done_has_person",
            ),
        ]

    def __str__(self):
        return self.what


class ProgressEntryQuerySet(models.QuerySet):
    def current(self):
        """The points that count: drawn on the chart, listed, counted."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        """Points their author withdrew as entered by mistake: kept, but no longer counted."""
        return self.filter(withdrawn_at__isnull=False)


class ProgressEntry(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("goal"),
    )
    date = models.DateField(_("date"), default=clock.today)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        related_name="progress_entries",
        null=True,
        blank=True,
        verbose_name=_("visit"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_(
            "Withdrawn by the person who recorded it, as entered by mistake: kept, but no "
            "longer drawn or counted."
        ),
    )
    history = HistoricalRecords()

    objects = ProgressEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self):
        return f"{self.value} on {self.date:%Y-%m-%d}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class HistoricalVisitGoal(models.Model):
    """A goal one version of a visit addressed: a visit's history (Django admin's) keeps the
    goals it addressed at each version here, a row per goal, written by goals/visit_history.py.
    The table keeps the name and the columns django-simple-history gave it when the goals were
    a field of the visit."""

    id = models.BigIntegerField("ID", auto_created=True, blank=True, db_index=True)
    m2m_history_id = models.AutoField(primary_key=True)
    history = models.ForeignKey(
        "relationships.HistoricalVisit", db_constraint=False, on_delete=models.DO_NOTHING
    )
    visit = models.ForeignKey(
        Visit,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
        blank=True,
    )
    goal = models.ForeignKey(
        Goal,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
        blank=True,
    )

    # What django-simple-history's history models say they are the history of.
    instance_type = Goal.visits.through

    class Meta:
        db_table = "relationships_historicalvisit_goals"
        verbose_name = _("goal a visit's version addressed")

    def __str__(self):
        return f"Goal {self.goal_id} in version {self.history_id} of visit {self.visit_id}"
