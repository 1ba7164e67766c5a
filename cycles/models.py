"""Coaching cycles: the stages a program names, and each relationship's cycles through them.

A program may organise coaching into cycles (Practice-Based Coaching's focus, observe, reflect
and give feedback, plan): `CycleStage` rows, in the program's order, each with the days it
should take. A relationship of that program runs one `CoachingCycle` at a time, numbered from
1; `CycleStageRecord` says when the cycle entered each stage and when it left it. The record
without `completed_on` is the current stage, due `cadence_days` after it started
(docs/design.md, "Coaching cycles"). A program without stages has none of this.

Everything here is logistics (stage names, dates, the goal's title) except a cycle's focus,
which is words of the conversation: its people read it, nobody else.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core import clock
from goals.models import Goal
from programs.models import Program
from relationships.models import SupportRelationship

MAX_CADENCE_DAYS = 365


class CycleStageQuerySet(models.QuerySet):
    def active(self) -> "CycleStageQuerySet":
        """The stages a program offers now (a removed stage that a cycle went through is kept,
        retired, for that cycle's record)."""
        return self.filter(retired_at__isnull=True)

    def visible_to(self, user) -> "CycleStageQuerySet":
        """A program's stages: whoever may see the program."""
        return self.filter(program__in=Program.objects.visible_to(user))


class CycleStage(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="cycle_stages",
        verbose_name=_("program"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    cadence_days = models.PositiveSmallIntegerField(
        _("days it should take"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_DAYS)],
        help_text=_("How many days a cycle should spend in this stage, e.g. 7 for a week."),
    )
    retired_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False)

    objects = CycleStageQuerySet.as_manager()

    class Meta:
        ordering = ["program", "order", "pk"]
        verbose_name = _("cycle stage")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "order"],
                condition=Q(retired_at__isnull=True),
                name="cycles_cyclestage_one_per_place",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "program",
                condition=Q(retired_at__isnull=True),
                name="cycles_cyclestage_name_unique",
                violation_error_message=_("The program has a stage of that name already."),
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=MAX_CADENCE_DAYS),
                name="cycles_cyclestage_cadence_range",
                violation_error_message=_("A stage takes from 1 to 365 days."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.name.strip():
            raise ValidationError({"name": _("Give the stage a name.")})
        if self.program_id is None:
            return
        same_name = (
            CycleStage.objects.active()
            .filter(program_id=self.program_id, name__iexact=self.name.strip())
            .exclude(pk=self.pk)
        )
        if same_name.exists():
            raise ValidationError(
                {"name": _("The program has a stage of that name already: choose another.")}
            )


class CoachingCycleQuerySet(models.QuerySet):
    def open(self) -> "CoachingCycleQuerySet":
        return self.filter(ended_on__isnull=True)


class CoachingCycle(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.PROTECT,
        related_name="coaching_cycles",
        verbose_name=_("relationship"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    started_on = models.DateField(_("started on"), default=clock.today)
    focus = models.CharField(
        _("focus"),
        max_length=200,
        blank=True,
        help_text=_("What this cycle works on, in a few words (seen by the two of you only)."),
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        related_name="coaching_cycles",
        null=True,
        blank=True,
        verbose_name=_("goal"),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )

    objects = CoachingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["relationship", "-number"]
        verbose_name = _("coaching cycle")
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "number"], name="cycles_coachingcycle_number_unique"
            ),
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(ended_on__isnull=True),
                name="cycles_coachingcycle_one_open",
                violation_error_message=_("A cycle is under way already: end it first."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="cycles_coachingcycle_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.relationship} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class CycleStageRecord(models.Model):
    cycle = models.ForeignKey(
        CoachingCycle,
        on_delete=models.PROTECT,
        related_name="stage_records",
        verbose_name=_("coaching cycle"),
    )
    stage = models.ForeignKey(
        CycleStage,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("stage"),
    )
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "started_on", "pk"]
        verbose_name = _("stage of a cycle")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(completed_on__isnull=True),
                name="cycles_cyclestagerecord_one_current",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="cycles_cyclestagerecord_completed_after_start",
            ),
        ]
        indexes = [models.Index(fields=["stage", "completed_on"])]

    def __str__(self):
        return f"{self.cycle}: {self.stage}"


def due_on(started_on: datetime.date, cadence_days: int) -> datetime.date:
    """The day a stage started on `started_on` should be done by: `cadence_days` later (a
    stage of 7 days started on a Monday is due the next Monday; overdue from the Tuesday)."""
    return started_on + datetime.timedelta(days=cadence_days)
