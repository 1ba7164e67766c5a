"""People's profiles: a mentor's or coach's, a protégé's, and the record of who supervised
whom (`Supervision`). They sit beside enrollment: a profile says who a person is, whichever
program they take part in; the apps above read them (relationships/firewall.py reads the
supervisors from here). Imported by programs/models.py, so Django knows them as `programs`
models; their tables keep the names they had in `relationships` (programs/migrations/0006)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import (
    ChoiceListField,
    blank_or_choices_condition,
    choice_labels,
    choices_condition,
)
from core.names import person_name
from programs.models import AgeGroup, CareerStage, Organization

# A mentor's or coach's preparation for the role, a yes or no each (MentorProfile).
PREPARATION_FIELDS = (
    "prep_child_development",
    "prep_adult_learning",
    "prep_culture",
    "prep_teacher_development",
    "prep_reflective_practice",
)


class MentorProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="mentor_profiles",
        null=True,
        blank=True,
        verbose_name=_("organization"),
    )
    currently_teaching = models.BooleanField(_("currently a classroom teacher"), default=False)
    years_teaching = models.PositiveSmallIntegerField(
        _("years teaching young children"), null=True, blank=True
    )
    age_groups = ChoiceListField(_("age groups of expertise"), choices_class=AgeGroup)
    prep_child_development = models.BooleanField(
        _("preparation in child development"), default=False
    )
    prep_adult_learning = models.BooleanField(_("preparation in adult learning"), default=False)
    prep_culture = models.BooleanField(_("preparation in culture"), default=False)
    prep_teacher_development = models.BooleanField(
        _("preparation in teacher development"), default=False
    )
    prep_reflective_practice = models.BooleanField(
        _("preparation in reflective practice"), default=False
    )
    credentials = models.TextField(_("credentials"), blank=True)
    caseload_limit = models.PositiveSmallIntegerField(_("caseload limit"), default=12)
    history = HistoricalRecords(table_name="relationships_historicalmentorprofile")

    class Meta:
        db_table = "relationships_mentorprofile"
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("mentor or coach profile")
        constraints = [
            models.CheckConstraint(
                condition=Q(caseload_limit__gte=1),
                name="relationships_mentorprofile_caseload_limit_positive",
            ),
        ]

    def __str__(self):
        return person_name(self.user)

    def age_group_labels(self) -> list[str]:
        return choice_labels(self, "age_groups")

    def preparation_labels(self) -> list[str]:
        return [
            field.verbose_name.removeprefix("preparation in ")
            for field in self._meta.fields
            if field.name.startswith("prep_") and getattr(self, field.name)
        ]


# The career stages, shared with the programs that say which ones they serve.
ProtegeProfileCareerStage = CareerStage


class ProtegeProfile(models.Model):
    CareerStage = ProtegeProfileCareerStage

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="protege_profile",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="protege_profiles",
        null=True,
        blank=True,
        verbose_name=_("site"),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    career_stage = models.CharField(
        _("career stage"),
        max_length=16,
        choices=CareerStage.choices,
        default=CareerStage.NEW,
    )
    age_group_taught = models.CharField(
        _("age group taught"), max_length=16, choices=AgeGroup.choices, blank=True
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervised_profiles",
        null=True,
        blank=True,
        verbose_name=_("supervisor"),
        help_text=(
            _(
                "The person with authority over hiring, firing and promotion. Recorded so the app "
                "can keep them apart from mentoring records."
            )
        ),
    )
    history = HistoricalRecords(table_name="relationships_historicalprotegeprofile")

    class Meta:
        db_table = "relationships_protegeprofile"
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("protégé profile")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("career_stage", ProtegeProfileCareerStage),
                name="relationships_protegeprofile_career_stage_valid",
            ),
            models.CheckConstraint(
                condition=blank_or_choices_condition("age_group_taught", AgeGroup),
                name="relationships_protegeprofile_age_group_valid",
            ),
            models.CheckConstraint(
                condition=~Q(supervisor=F("user")),
                name="relationships_protegeprofile_not_own_supervisor",
            ),
        ]

    def __str__(self):
        return person_name(self.user)

    def clean(self):
        if self.supervisor_id and self.supervisor_id == self.user_id:
            raise ValidationError({"supervisor": gettext("Nobody can be their own supervisor.")})


class Supervision(models.Model):
    """One spell of a person being recorded as a protégé's supervisor, from when it was recorded
    to when it was changed or cleared. Written by `protege_profile_save` on every change of
    `ProtegeProfile.supervisor` (which names the current supervisor), never edited after: the
    supervision firewall (relationships/firewall.py) reads former supervisors from here, and
    the protégé sees every change on their My support page."""

    protege = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisions",
        verbose_name=_("protégé"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisions_held",
        verbose_name=_("supervisor"),
    )
    started_at = models.DateTimeField(
        _("recorded at"),
        null=True,
        blank=True,
        help_text=_("Empty when it was recorded before this history was kept."),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("ended by"),
    )

    class Meta:
        db_table = "relationships_supervision"
        ordering = ["protege", "started_at", "pk"]
        verbose_name = _("supervision")
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=F("protege")),
                name="relationships_supervision_not_own_supervisor",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(ended_at__gte=F("started_at")),
                name="relationships_supervision_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["protege"],
                condition=Q(ended_at__isnull=True),
                name="relationships_supervision_one_current",
                violation_error_message=_("This protégé already has a current supervisor."),
            ),
        ]
        indexes = [
            models.Index(fields=["supervisor", "ended_at"]),
            models.Index(fields=["protege", "ended_at"]),
        ]

    def __str__(self):
        until = f" until {self.ended_at:%Y-%m-%d}" if self.ended_at else ""
        return f"{person_name(self.supervisor)} supervises {person_name(self.protege)}{until}"

    def clean(self):
        if self.supervisor_id and self.supervisor_id == self.protege_id:
            raise ValidationError({"supervisor": gettext("Nobody can be their own supervisor.")})
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValidationError(
                {"ended_at": gettext("A supervision ends after it was recorded.")}
            )
