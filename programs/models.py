"""Organizations, the programs they sponsor, and who takes part in each program."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import clock
from core.fields import (
    ChoiceListField,
    blank_or_choices_condition,
    choice_labels,
    choices_condition,
)
from core.urltools import code_url
from programs.enrollment_roles import ROLE_FOR_KIND, SUPPORTING_ROLES, EnrollmentRole, role_for_kind
from programs.organization_models import Organization, OrganizationLeader
from programs.served import AgeGroup, CareerStage, served_phrase

# Organizations, roles and stages live in modules of their own; imported here, they are this app's.
__all__ = ["SUPPORTING_ROLES", "AgeGroup", "CareerStage", "EnrollmentRole", "Organization"]
__all__ += ["OrganizationLeader", "role_for_kind"]


class ProgramQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def coordinated_by(self, user):
        return self.filter(coordinators=user)

    def visible_to(self, user):
        """Programs a person may see: those they coordinate, take part in, or support in."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # One subquery per way in, not one join of them all: joining coordinators,
        # enrollments and relationships multiplies their rows (tens of thousands for one
        # program at state scale) before DISTINCT folds them back.
        ways_in = (
            Q(coordinators=user),
            Q(enrollments__person=user),
            Q(relationships__mentor=user),
            Q(relationships__protege=user),
            Q(relationships__team__members=user),
        )
        condition = Q()
        for way in ways_in:
            condition |= Q(pk__in=Program.objects.filter(way).values("pk"))
        return self.filter(condition)


class ProgramSupportModel(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")
    BOTH = "both", _("Mentoring and coaching")


class ProgramPurpose(models.TextChoices):
    COLLEGIAL = "collegial", _("Collegial support through informal peer relationships")
    HIGHER_ED = (
        "higher_ed",
        _("Higher education, student teaching placement or certification"),
    )
    NEW_TO_FIELD = "new_to_field", _("Supporting protégés who are new to the field")
    RETENTION = "retention", _("Retention of new and/or experienced teachers")
    THEORY_TO_PRACTICE = (
        "theory_to_practice",
        _("Translating coursework theory into classroom practice"),
    )
    QUALITY = "quality", _("A quality improvement initiative (QRIS, accreditation)")
    CURRICULUM = "curriculum", _("Implementing a curriculum or training model")
    OTHER = "other", _("Other")


class ProgramOutcome(models.TextChoices):
    QUALITY_RATINGS = (
        "quality_ratings",
        _("Higher quality ratings or classroom assessment scores"),
    )
    PRACTICES = "practices", _("Specific instructional practices (e.g. early literacy)")
    CHILD_OUTCOMES = (
        "child_outcomes",
        _("Specific child outcomes (e.g. language development)"),
    )
    OTHER = "other", _("Other")


class ProgramGoalPolicy(models.TextChoices):
    COLLABORATIVE = "collaborative", _("Developed collaboratively")
    PRESCRIBED = "prescribed", _("Prescribed by the initiative")
    BOTH = "both", _("Both")


class ProgramGoalScope(models.TextChoices):
    WIDE = "wide", _("Wide-ranging")
    FOCUSED = "focused", _("Focused on particular content areas or skills")


class ProgramDirectorInvolvement(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    OPTIONAL = "optional", _("Optional")
    NONE = "none", _("Not involved")


class ProgramMentorOrganization(models.TextChoices):
    SAME = "same", _("From the same organization as the protégé")
    DIFFERENT = "different", _("From a different organization")
    EITHER = "either", _("Either")


class Program(models.Model):
    SupportModel = ProgramSupportModel

    Purpose = ProgramPurpose

    Outcome = ProgramOutcome

    GoalPolicy = ProgramGoalPolicy

    GoalScope = ProgramGoalScope

    DirectorInvolvement = ProgramDirectorInvolvement

    MentorOrganization = ProgramMentorOrganization

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    sponsor = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("sponsor organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    support_model = models.CharField(
        _("support model"),
        max_length=16,
        choices=SupportModel.choices,
        default=SupportModel.MENTORING,
        help_text=_("Which kinds of relationship this program offers."),
    )
    purposes = ChoiceListField(
        _("purposes"),
        choices_class=Purpose,
        help_text=_("Why the program exists. Choose all that apply."),
    )
    purpose_other = models.CharField(_("other purpose"), max_length=200, blank=True)
    outcomes = ChoiceListField(
        _("desired outcomes"), choices_class=Outcome, help_text=_("Choose all that apply.")
    )
    outcome_details = models.TextField(
        _("outcome specifics"),
        blank=True,
        help_text=_("The assessment, practice or child outcome, and the target you aim for."),
    )
    mentor_organization = models.CharField(
        _("mentors and coaches come from"),
        max_length=16,
        choices=MentorOrganization.choices,
        default=MentorOrganization.EITHER,
    )
    mentors_currently_teaching = models.BooleanField(
        _("mentors are currently classroom teachers"), default=False
    )
    goal_policy = models.CharField(
        _("goal policy"),
        max_length=16,
        choices=GoalPolicy.choices,
        default=GoalPolicy.COLLABORATIVE,
    )
    goal_scope = models.CharField(
        _("goal scope"), max_length=16, choices=GoalScope.choices, default=GoalScope.WIDE
    )
    focus_areas = models.TextField(
        _("focus areas"),
        blank=True,
        help_text=_("One per line, e.g. early literacy, classroom management."),
    )
    age_groups = ChoiceListField(_("age groups served"), choices_class=AgeGroup)
    career_stages = ChoiceListField(
        _("career stages served"),
        choices_class=CareerStage,
        help_text=_("The teachers the program supports. Choose all that apply."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    typical_duration_weeks = models.PositiveSmallIntegerField(
        _("typical duration (weeks)"), null=True, blank=True
    )
    director_involvement = models.CharField(
        _("director involvement"),
        max_length=16,
        choices=DirectorInvolvement.choices,
        default=DirectorInvolvement.OPTIONAL,
    )
    visits_per_month = models.PositiveSmallIntegerField(
        _("visits expected per month"), null=True, blank=True
    )
    minutes_per_month = models.PositiveIntegerField(
        _("minutes expected per month"), null=True, blank=True
    )
    days_to_first_visit = models.PositiveSmallIntegerField(
        _("first visit within (days of matching)"), null=True, blank=True
    )
    days_to_first_goal = models.PositiveSmallIntegerField(
        _("first goal within (days of matching)"), null=True, blank=True
    )
    coordinators_read_shared_logs = models.BooleanField(
        _("coordinators may read shared logs"),
        default=False,
        help_text=(
            _(
                "When on, coordinators can read feedback, log sections, shared reflections and "
                "goal details. Protégés are told so. Private notes stay private either way."
            )
        ),
    )
    shared_logs_since = models.DateTimeField(
        _("coordinators read shared logs written since"),
        null=True,
        blank=True,
        editable=False,
        help_text=(
            _(
                "When coordinators were let read shared logs: they read what was written from then "
                "on, never what was written while it was promised to stay between the two people."
            )
        ),
    )
    proteges_record_progress = models.BooleanField(
        _("protégés may record their own progress"), default=True
    )
    record_retention_years = models.PositiveSmallIntegerField(
        _("keep relationship records for (years after they end)"),
        null=True,
        blank=True,
        help_text=(
            _(
                "After this many years, an ended relationship's visit logs, reflections, goal "
                "details and notes are blanked and its people's names replaced; visit counts, "
                "minutes and statuses stay for the reports. Leave empty to keep everything."
            )
        ),
    )
    mentor_role_description = models.TextField(_("mentor's role description"), blank=True)
    coach_role_description = models.TextField(_("coach's role description"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_programs",
        blank=True,
        verbose_name=_("coordinators"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The program year (programs/years.py): closing it completes its relationships and
    # enrollments on `closed_on`; the next year is a copy that points back to it.
    closed_at = models.DateTimeField(_("year closed at"), null=True, blank=True, editable=False)
    closed_on = models.DateField(
        _("relationships and enrollments completed on"), null=True, blank=True, editable=False
    )
    # Kept by the coaching cycles app (cycles/services.py, through `program_cycle_stages_mark`):
    # whether the program names any cycle stages, so that the pages of a program without them
    # show nothing of cycles and ask the database nothing more (docs/design.md, "Coaching
    # cycles"). Not copied to the next year.
    has_cycle_stages = models.BooleanField(
        _("organises coaching in cycles"), default=False, editable=False
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="next_year",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("previous year"),
    )
    history = HistoricalRecords(m2m_fields=[coordinators])

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("support_model", ProgramSupportModel),
                name="programs_program_support_model_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("goal_policy", ProgramGoalPolicy),
                name="programs_program_goal_policy_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("goal_scope", ProgramGoalScope),
                name="programs_program_goal_scope_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("director_involvement", ProgramDirectorInvolvement),
                name="programs_program_director_involvement_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("mentor_organization", ProgramMentorOrganization),
                name="programs_program_mentor_organization_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="programs_program_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(record_retention_years__isnull=True) | Q(record_retention_years__gte=1),
                name="programs_program_record_retention_at_least_a_year",
                violation_error_message=_("Keep records for at least a year, or leave it empty."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_on__isnull=True)
                | Q(closed_at__isnull=False, closed_on__isnull=False),
                name="programs_program_closed_has_a_day",
            ),
            models.CheckConstraint(
                condition=Q(coordinators_read_shared_logs=True, shared_logs_since__isnull=False)
                | Q(coordinators_read_shared_logs=False, shared_logs_since__isnull=True),
                name="programs_program_sharing_has_a_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return code_url("programs:detail", self.code)

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": gettext("The end date must be on or after the start date.")}
            )
        if "other" in (self.purposes or []) and not self.purpose_other.strip():
            raise ValidationError({"purpose_other": gettext("Say what the other purpose is.")})
        if self.record_retention_years is not None and self.record_retention_years < 1:
            raise ValidationError(
                {
                    "record_retention_years": (
                        gettext("Keep records for at least a year, or leave it empty.")
                    )
                }
            )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_closed(self) -> bool:
        """The year was closed (programs/years.py): its records stay, read-only."""
        return self.closed_at is not None

    @property
    def is_read_only(self) -> bool:
        """Archived or closed: its pages show its records and take no changes."""
        return self.is_archived or self.is_closed

    @property
    def read_only_message(self) -> str:
        """Why the program takes no changes (empty when it does)."""
        if self.is_archived:
            return gettext("This program is archived; restore it before changing it.")
        if self.is_closed:
            return gettext("This program's year is closed: its records are kept and read-only.")
        return ""

    @property
    def offered_kinds(self) -> list[str]:
        """Relationship kinds this program offers ("mentoring", "coaching")."""
        if self.support_model == self.SupportModel.BOTH:
            return ["mentoring", "coaching"]
        return [self.support_model]

    @property
    def offered_roles(self) -> list[str]:
        """Enrollment roles this program offers: the supporting role of each kind it offers,
        then protégé."""
        return [ROLE_FOR_KIND[kind] for kind in self.offered_kinds] + [EnrollmentRole.PROTEGE]

    @property
    def allows_collaborative_goals(self) -> bool:
        return self.goal_policy in {self.GoalPolicy.COLLABORATIVE, self.GoalPolicy.BOTH}

    @property
    def allows_prescribed_goals(self) -> bool:
        return self.goal_policy in {self.GoalPolicy.PRESCRIBED, self.GoalPolicy.BOTH}

    def focus_area_list(self) -> list[str]:
        return [line.strip() for line in self.focus_areas.splitlines() if line.strip()]

    def purpose_labels(self) -> list[str]:
        return choice_labels(self, "purposes")

    def outcome_labels(self) -> list[str]:
        return choice_labels(self, "outcomes")

    def stages_served(self) -> str:
        """The career stages served, in words: "resident teachers in years 1–3"."""
        return served_phrase(self.career_stages or [])

    def serves_stage(self, stage: str) -> bool:
        """Whether the program serves teachers at `stage` (one that names none serves all)."""
        return not self.career_stages or stage in self.career_stages


class EnrollmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)

    def supporting(self):
        """Mentors' and coaches' enrollments."""
        return self.filter(role__in=SUPPORTING_ROLES)

    def visible_to(self, user):
        """Enrollments are logistics: the person themselves and the program's coordinators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(person=user) | Q(program__coordinators=user)).distinct()


class EnrollmentReason(models.TextChoices):
    CHOICE = "choice", _("By choice")
    JOB = "job", _("Required by the job")
    DEGREE_REQUIRED = "degree_required", _("Required part of a degree or training program")
    DEGREE_OPTIONAL = "degree_optional", _("Optional part of a degree or training program")
    QUALITY_MANDATE = "quality_mandate", _("Mandated after classroom quality ratings")


class EnrollmentLeavingReason(models.TextChoices):
    COMPLETED = "completed", _("Completed the program")
    LEFT_JOB = "left_job", _("Left the job")
    LEFT_FIELD = "left_field", _("Left the field")
    MOVED = "moved", _("Moved to another site or role")
    WITHDREW = "withdrew", _("Withdrew from the program")
    OTHER = "other", _("Other")


class Enrollment(models.Model):
    Role = EnrollmentRole

    Reason = EnrollmentReason

    LeavingReason = EnrollmentLeavingReason

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("program"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    reason = models.CharField(
        _("reason for taking part"), max_length=32, choices=Reason.choices, blank=True
    )
    joined_on = models.DateField(_("joined on"), default=clock.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leaving_reason = models.CharField(
        _("reason for leaving"), max_length=16, choices=LeavingReason.choices, blank=True
    )
    leaving_note = models.CharField(_("note on leaving"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["program", "person__last_name", "person__first_name"]
        verbose_name = _("enrollment")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("role", EnrollmentRole),
                name="programs_enrollment_role_valid",
            ),
            models.CheckConstraint(
                condition=blank_or_choices_condition("reason", EnrollmentReason),
                name="programs_enrollment_reason_valid",
            ),
            models.CheckConstraint(
                condition=blank_or_choices_condition("leaving_reason", EnrollmentLeavingReason),
                name="programs_enrollment_leaving_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="programs_enrollment_left_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | ~Q(leaving_reason=""),
                name="programs_enrollment_leaving_has_reason",
            ),
            models.UniqueConstraint(
                fields=["program", "person", "role"],
                condition=Q(left_on__isnull=True),
                name="programs_enrollment_one_current_per_role",
                violation_error_message=_("This person is already enrolled in this role."),
            ),
        ]
        indexes = [models.Index(fields=["program", "role", "left_on"])]

    def __str__(self):
        return f"{self.person} in {self.program} ({self.get_role_display()})"

    def clean(self):
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError(
                {"left_on": gettext("The leaving date must be on or after joining.")}
            )
        if self.left_on and not self.leaving_reason:
            raise ValidationError({"leaving_reason": gettext("Give a reason for leaving.")})

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def is_supporting(self) -> bool:
        """A mentor's or a coach's enrollment."""
        return self.role in SUPPORTING_ROLES


class RosterImportQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=[RosterImport.Status.QUEUED, RosterImport.Status.RUNNING])


class RosterImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be saved")
    RUNNING = "running", _("Being saved")
    DONE = "done", _("Saved")
    FAILED = "failed", _("Nothing saved")


class RosterImport(models.Model):
    """A confirmed roster, saved by the task worker (`programs.tasks.roster_import_save`).

    `rows` holds the checked rows' values (their line in the file and the columns they fill),
    what the preview page already carried; it is emptied once the import is finished, leaving
    the counts, or the problems that stopped it."""

    Status = RosterImportStatus

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="roster_imports",
        verbose_name=_("program"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    row_count = models.PositiveIntegerField(_("rows"))
    rows = models.JSONField(_("rows to save"), default=list, blank=True)
    enrolled_count = models.PositiveIntegerField(_("enrolled"), default=0)
    asked_count = models.PositiveIntegerField(_("asked to accept first"), default=0)
    invited_count = models.PositiveIntegerField(_("invited"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    supervisor_count = models.PositiveIntegerField(_("supervisor accounts made"), default=0)
    error = models.TextField(_("what stopped it"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("status", RosterImportStatus),
                name="programs_rosterimport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"], finished_at__isnull=True)
                | (Q(status__in=["done", "failed"]) & Q(finished_at__isnull=False)),
                name="programs_rosterimport_finished_when_done_or_failed",
            ),
        ]

    def __str__(self):
        return f"Roster of {self.row_count} for {self.program} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def error_lines(self) -> list[str]:
        return [line for line in self.error.splitlines() if line.strip()]


# Requests to take part and people's profiles, in their own modules: imported here, they are
# models of this app.
from programs.enrollment_requests import EnrollmentRequest  # noqa: E402, F401
from programs.profiles import MentorProfile, ProtegeProfile, Supervision  # noqa: E402, F401
