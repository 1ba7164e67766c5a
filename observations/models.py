"""Observation tools and the observations made with them (docs/design.md, "Observation tools").

A program defines its tools: a rubric (domains, each scored on the tool's scale, e.g. 1 to 7,
with indicators that describe it) or a checklist (look-fors grouped in one or more domains,
each seen or not). A mentor or coach fills one in during or after a visit; each domain gets a
`ObservationScore` row: the point of the scale for a rubric, the share of its look-fors seen
(0 to 100) for a checklist, so that charts, goal measures and averages read one table.

An observation is the shared-conversation tier of its relationship: the mentor and the
protégé (each member of a team) read it; a coordinator only when the program shares logs, and
only what was written since; the supervision firewall walls it off like any log. Coordinators
and leaders see only averages, under the small-cell rule (reports/).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import clock
from core.fields import choices_condition
from core.urltools import code_url
from goals.models import Goal
from programs.models import Program
from relationships.models import SupportRelationship, Visit, written_since_q

# The widest scale offered: radio buttons for each point must fit a phone's width.
SCALE_POINTS_MAX = 10


class ToolKind(models.TextChoices):
    RUBRIC = "rubric", _("Rubric: domains scored on a scale")
    CHECKLIST = "checklist", _("Checklist of look-fors")


class ObservationToolQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        """A program's tools: its coordinators and the people taking part in it."""
        return self.filter(program__in=Program.objects.visible_to(user))


class ObservationTool(models.Model):
    Kind = ToolKind

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="observation_tools",
        verbose_name=_("program"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.RUBRIC)
    description = models.TextField(_("description"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=7)
    active = models.BooleanField(
        _("offered"), default=True, help_text=_("Mentors and coaches can fill it in.")
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="copies",
        null=True,
        blank=True,
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    history = HistoricalRecords()

    objects = ObservationToolQuerySet.as_manager()

    class Meta:
        ordering = ["program", "name", "pk"]
        verbose_name = _("observation tool")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("kind", ToolKind),
                name="observations_observationtool_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max"))
                & Q(scale_max__lte=F("scale_min") + SCALE_POINTS_MAX - 1),
                name="observations_observationtool_scale_valid",
                violation_error_message=_(
                    "The highest score must be above the lowest, with at most 10 points."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.scale_min is None or self.scale_max is None:
            return
        if self.scale_max <= self.scale_min:
            raise ValidationError({"scale_max": _("The highest score must be above the lowest.")})
        if self.scale_max - self.scale_min + 1 > SCALE_POINTS_MAX:
            raise ValidationError(
                {"scale_max": _("A scale has at most 10 points, so it fits on a phone.")}
            )

    @property
    def is_rubric(self) -> bool:
        return self.kind == ToolKind.RUBRIC

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    @property
    def unit(self) -> str:
        """What a domain's figure is: a score on the scale, or the share of look-fors seen."""
        return "" if self.is_rubric else "%"


class ObservationDomain(models.Model):
    """A domain of a rubric (scored), or a group of a checklist's look-fors. Retired when a
    coordinator removes it after it was used: old observations keep it."""

    tool = models.ForeignKey(
        ObservationTool, on_delete=models.CASCADE, related_name="domains", verbose_name=_("tool")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tool", "order", "pk"]
        verbose_name = _("observation domain")

    def __str__(self):
        return self.name


class ObservationItem(models.Model):
    """A look-for (checklist) or an indicator (rubric) of a domain."""

    domain = models.ForeignKey(
        ObservationDomain, on_delete=models.CASCADE, related_name="items", verbose_name=_("domain")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=300)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["domain", "order", "pk"]
        verbose_name = _("look-for or indicator")
        verbose_name_plural = _("look-fors and indicators")

    def __str__(self):
        return self.text


class ObservationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The shared-conversation tier: the relationship's people; a coordinator of a program
        that shares logs, what was written since it began; never whom the firewall walls off."""
        return self.filter(
            relationship__in=SupportRelationship.objects.conversation_visible_to(user)
        ).filter(written_since_q(user, "created_at"))


class Observation(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("relationship"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        related_name="observations",
        null=True,
        blank=True,
        verbose_name=_("visit"),
    )
    tool = models.ForeignKey(
        ObservationTool,
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("tool"),
    )
    observed_on = models.DateField(_("observed on"), default=clock.today)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("observed by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    # Its author may correct it (observations/services.py, observation_update); each version is
    # kept, with its scores' and look-fors'.
    history = HistoricalRecords()

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-pk"]
        verbose_name = _("observation")
        indexes = [models.Index(fields=["relationship", "observed_on"])]

    def __str__(self):
        return f"{self.tool} on {self.observed_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return code_url("observations:detail", self.code)


class ObservationScore(models.Model):
    """A domain's figure in one observation: the score on a rubric's scale (None: not observed
    this time), or for a checklist the share of the domain's look-fors seen, in %."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("observation")
    )
    domain = models.ForeignKey(
        ObservationDomain, on_delete=models.PROTECT, related_name="scores", verbose_name=_("domain")
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["observation", "domain__order", "domain__pk"]
        verbose_name = _("domain score")
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "domain"], name="observations_observationscore_one_a_domain"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="observations_observationscore_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.domain}: {self.score}"


class ObservationCheck(models.Model):
    """A checklist's look-for in one observation: seen or not."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="checks", verbose_name=_("observation")
    )
    item = models.ForeignKey(
        ObservationItem, on_delete=models.PROTECT, related_name="checks", verbose_name=_("look-for")
    )
    seen = models.BooleanField(_("seen"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["observation", "item__order", "item__pk"]
        verbose_name = _("look-for checked")
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "item"], name="observations_observationcheck_one_an_item"
            ),
        ]

    def __str__(self):
        return f"{self.item}: {'seen' if self.seen else 'not seen'}"


class GoalDomainMeasure(models.Model):
    """A goal measured by a domain's scores: the goal page draws them as its progress. Owned
    here, a floor above goals, so that goals need not know about observation tools."""

    goal = models.OneToOneField(
        Goal, on_delete=models.CASCADE, related_name="domain_measure", verbose_name=_("goal")
    )
    domain = models.ForeignKey(
        ObservationDomain,
        on_delete=models.PROTECT,
        related_name="goal_measures",
        verbose_name=_("domain"),
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen at"), default=clock.now)

    class Meta:
        verbose_name = _("goal measured by a domain")

    def __str__(self):
        return f"{self.goal} by {self.domain}"
