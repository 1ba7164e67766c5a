"""Classroom teams; support relationships and their pauses; people's settings. Visits and
acknowledgements are in relationships/visits.py, people's profiles in programs/profiles.py."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import clock
from core.fields import (
    choices_condition,
)
from core.names import person_name
from core.urltools import code_url
from programs.models import AgeGroup, Organization, Program


class ClassroomTeamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def visible_to(self, user):
        """Teams a person may see: their own teams, and the teams in programs they coordinate."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(members=user)
            | Q(relationships__mentor=user)
            | Q(program__coordinators=user)
            | Q(relationships__program__coordinators=user)
        ).distinct()


class ClassroomTeam(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="teams",
        null=True,
        blank=True,
        verbose_name=_("program"),
    )
    site = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("site"),
    )
    age_group = models.CharField(_("age group"), max_length=16, choices=AgeGroup.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="classroom_teams", verbose_name=_("members")
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = ClassroomTeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("classroom team")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("age_group", AgeGroup),
                name="relationships_classroomteam_age_group_valid",
            ),
        ]

    def __str__(self):
        return self.name


class Kind(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")


OPEN_STATUSES = ("proposed", "active", "paused")


def roles_of(user):
    """The person's per-request role sets (`relationship_roles` of relationships/roles.py),
    which the querysets below compare columns with. That module reads these models, so it is
    not imported here: `RelationshipsConfig.ready()` hands it in (`use_roles`)."""
    return _roles_of(user)


def _roles_not_ready(user):
    raise RuntimeError("relationships' role sets are handed in by RelationshipsConfig.ready()")


_roles_of = _roles_not_ready


def use_roles(relationship_roles) -> None:
    global _roles_of
    _roles_of = relationship_roles


class SupportRelationshipQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    # These conditions compare columns with the person's per-request role sets (the ids the
    # permission predicates read too), not with joins or subqueries: an OR across a join to
    # team members or coordinators keeps PostgreSQL from using the indexes, and at state scale
    # it scanned all 60,000 relationships on every page (seconds; docs/benchmarks.md).
    def _participant_q(self, user) -> Q:
        teams = roles_of(user).team_ids
        return Q(mentor=user) | Q(protege=user) | Q(team__in=teams)

    def _supervised_q(self, user) -> Q:
        """The relationships the supervision firewall walls off from `user`
        (relationships/firewall.py)."""
        return roles_of(user).firewall.q()

    def for_participant(self, user):
        """Relationships a person is part of, as mentor/coach, protégé or team member."""
        return self.filter(
            pk__in=SupportRelationship.objects.filter(self._participant_q(user)).values("pk")
        )

    def taken_part_in_by(self, user):
        """Relationships a person takes part in (mentor, coach, protégé, team member), less
        any the supervision firewall walls off from them."""
        return self.filter(self._participant_q(user)).exclude(self._supervised_q(user))

    def visible_to(self, user):
        """Logistics tier: participants, the program's coordinators, admins.

        A protégé's supervisor (present, or former: relationships/firewall.py) never reaches a
        relationship of theirs as a participant; as a coordinator of the program they see its
        logistics, like any coordinator.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        participant = SupportRelationship.objects.taken_part_in_by(user)
        coordinated = roles_of(user).coordinated_program_ids
        return self.filter(Q(pk__in=participant.values("pk")) | Q(program__in=coordinated))

    def conversation_visible_to(self, user):
        """Shared-conversation tier: participants, and coordinators when the program shares logs.

        Whoever the supervision firewall walls off (relationships/firewall.py) is excluded,
        whatever other role they hold; admins read through Django admin, not these pages.
        """
        if not user.is_authenticated:
            return self.none()
        sharing = roles_of(user).sharing_program_ids
        readers = SupportRelationship.objects.filter(
            self._participant_q(user) | Q(program__in=sharing)
        ).exclude(self._supervised_q(user))
        return self.filter(pk__in=readers.values("pk"))


def written_since_q(user, written: str, relationship: str = "relationship") -> Q:
    """The rows of the conversation tier `user` reads, by when they were written: all of them
    in relationships they take part in; in a program that lets its coordinators read shared
    logs, those written (the field `written`) since it began (docs/design.md, "Audit"). Add it
    to a relationship-level scope (`conversation_visible_to`), which holds the firewall."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    own = SupportRelationship.objects.for_participant(user)
    q = Q(**{f"{relationship}__in": own.values("pk")})
    for program_id, since in roles_of(user).sharing_since.items():
        q |= Q(**{f"{relationship}__program": program_id, f"{written}__gte": since})
    return q


class SupportRelationshipFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    TEAM = "team", _("Classroom team")


class SupportRelationshipMeetingArrangement(models.TextChoices):
    MENTOR_VISITS = "mentor_visits", _("The mentor visits the protégé's classroom")
    PROTEGE_VISITS = "protege_visits", _("The protégé visits the mentor's classroom")
    BOTH = "both", _("Both")
    VIRTUAL = "virtual", _("Virtual")


class SupportRelationshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


class SupportRelationship(models.Model):
    Format = SupportRelationshipFormat

    MeetingArrangement = SupportRelationshipMeetingArrangement

    Status = SupportRelationshipStatus

    Kind = Kind

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="relationships",
        null=True,
        blank=True,
        verbose_name=_("program"),
        help_text=_("Leave empty for an informal relationship outside any program."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.INDIVIDUAL
    )
    protege = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supports_received",
        null=True,
        blank=True,
        verbose_name=_("protégé"),
    )
    team = models.ForeignKey(
        ClassroomTeam,
        on_delete=models.PROTECT,
        related_name="relationships",
        null=True,
        blank=True,
        verbose_name=_("classroom team"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supports_given",
        verbose_name=_("mentor or coach"),
    )
    meeting_arrangement = models.CharField(
        _("meeting arrangement"),
        max_length=16,
        choices=MeetingArrangement.choices,
        default=MeetingArrangement.MENTOR_VISITS,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    starts_on = models.DateField(_("starts on"), default=clock.today)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending or pausing"), max_length=300, blank=True)
    visits_per_month = models.PositiveSmallIntegerField(
        _("visits expected per month"), null=True, blank=True
    )
    minutes_per_month = models.PositiveIntegerField(
        _("minutes expected per month"), null=True, blank=True
    )
    days_to_first_visit = models.PositiveSmallIntegerField(
        _("first visit within (days)"), null=True, blank=True
    )
    days_to_first_goal = models.PositiveSmallIntegerField(
        _("first goal within (days)"), null=True, blank=True
    )
    continues = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="continued_by",
        null=True,
        blank=True,
        verbose_name=_("continues"),
        help_text=_("The relationship this one took over, when the mentor or coach changed."),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    history = HistoricalRecords()

    objects = SupportRelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("support relationship")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("kind", Kind),
                name="relationships_supportrelationship_kind_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("format", SupportRelationshipFormat),
                name="relationships_supportrelationship_format_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition(
                    "meeting_arrangement", SupportRelationshipMeetingArrangement
                ),
                name="relationships_supportrelationship_meeting_arrangement_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("status", SupportRelationshipStatus),
                name="relationships_supportrelationship_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(format="individual", protege__isnull=False, team__isnull=True)
                    | Q(format="team", protege__isnull=True, team__isnull=False)
                ),
                name="relationships_supportrelationship_one_protege_or_team",
                violation_error_message=(
                    _(
                        "An individual relationship has one protégé; a team relationship has one "
                        "classroom team."
                    )
                ),
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("protege")),
                name="relationships_supportrelationship_not_self",
                violation_error_message=_("Nobody can mentor or coach themselves."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=F("starts_on")),
                name="relationships_supportrelationship_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("starts_on")),
                name="relationships_supportrelationship_ended_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["completed", "ended_early"], ended_on__isnull=False)
                | Q(status__in=list(OPEN_STATUSES), ended_on__isnull=True),
                name="relationships_supportrelationship_ended_on_matches_status",
            ),
            # One open relationship of each kind for a protégé (or a team) in a program,
            # whoever the mentor: a new mentor takes over (`continues`), never doubles up.
            models.UniqueConstraint(
                fields=["protege", "program", "kind"],
                condition=Q(status__in=list(OPEN_STATUSES), protege__isnull=False),
                name="relationships_supportrelationship_one_open_per_protege",
                violation_error_message=(
                    _("This protégé already has an open relationship of this kind in this program.")
                ),
            ),
            models.UniqueConstraint(
                fields=["team", "program", "kind"],
                condition=Q(status__in=list(OPEN_STATUSES), team__isnull=False),
                name="relationships_supportrelationship_one_open_per_team",
                violation_error_message=(
                    _("This team already has an open relationship of this kind in this program.")
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.mentor_name} with {self.supported_name}"

    def get_absolute_url(self):
        return code_url("relationships:detail", self.code)

    def clean(self):
        errors = {}
        if self.format == self.Format.INDIVIDUAL:
            if not self.protege_id:
                errors["protege"] = _("Choose the protégé for an individual relationship.")
            if self.team_id:
                errors["team"] = _("An individual relationship has no classroom team.")
        elif self.format == self.Format.TEAM:
            if not self.team_id:
                errors["team"] = _("Choose the classroom team for a team relationship.")
            if self.protege_id:
                errors["protege"] = _("A team relationship has a team, not a single protégé.")
        if self.protege_id and self.protege_id == self.mentor_id:
            errors["mentor"] = _("Nobody can mentor or coach themselves.")
        if self.planned_end_on and self.starts_on and self.planned_end_on < self.starts_on:
            errors["planned_end_on"] = _("The planned end must be on or after the start.")
        if self.ended_on and self.starts_on and self.ended_on < self.starts_on:
            errors["ended_on"] = _("The end date must be on or after the start.")
        if self.program_id and self.kind and self.kind not in self.program.offered_kinds:
            errors["kind"] = _("%(program)s offers %(model)s only.") % {
                "program": self.program,
                "model": self.program.get_support_model_display().lower(),
            }
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_team(self) -> bool:
        return self.format == self.Format.TEAM

    @property
    def mentor_name(self) -> str:
        return person_name(self.mentor)

    @property
    def supported_name(self) -> str:
        if self.team is not None:
            return self.team.name
        return person_name(self.protege)

    @property
    def looks_like_coaching(self) -> bool:
        """A mentoring relationship with a classroom team is usually a coaching model."""
        return self.kind == Kind.MENTORING and self.format == self.Format.TEAM

    def expected(self, name: str):
        """A dosage expectation: the relationship's own, else the program's."""
        own = getattr(self, name)
        if own is not None or self.program_id is None:
            return own
        return expected_dosage(own, self.program, name)


class Pause(models.Model):
    """A spell during which a relationship was paused: from the day it was paused to the day
    it was resumed or ended (open while it is still paused). Dosage never counts those days
    against it (relationships/pace.py)."""

    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.CASCADE,
        related_name="pauses",
        verbose_name=_("relationship"),
    )
    starts_on = models.DateField(_("paused on"))
    ends_on = models.DateField(_("resumed on"), null=True, blank=True)

    class Meta:
        ordering = ["relationship", "starts_on", "pk"]
        verbose_name = _("pause")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="relationships_pause_ends_after_start",
                violation_error_message=_("A pause ends on or after the day it started."),
            ),
            models.UniqueConstraint(
                fields=["relationship"],
                condition=Q(ends_on__isnull=True),
                name="relationships_pause_one_open",
                violation_error_message=_("This relationship is already paused."),
            ),
        ]

    def __str__(self):
        until = f" to {self.ends_on}" if self.ends_on else ""
        return f"Paused from {self.starts_on}{until}"


def expected_dosage(own, program, name: str):
    """A dosage expectation from a relationship's own value and its program (None for an
    informal relationship): the rule of `SupportRelationship.expected`, for rows read with
    `values()`."""
    if own is not None or program is None:
        return own
    return getattr(program, name)


def first_deadline(starts_on: datetime.date, days: int | None, *, done: bool):
    """When a relationship's first visit (or first goal) is due: `days` after it starts, as
    the program's dosage asks; None once it has happened, or when nothing is expected."""
    if days is None or done:
        return None
    return starts_on + datetime.timedelta(days=days)


__all__ = [
    "Acknowledgement",
    "Activity",
    "ClassroomTeam",
    "InformalInvitation",
    "Kind",
    "PersonSettings",
    "SupportMonth",
    "SupportMonthActivity",
    "SupportRelationship",
    "Visit",
]


class PersonSettings(models.Model):
    """One person's own settings: their private calendar feed. (Which emails they get is kept by
    the outbox, outbox.models.Optout.)"""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person_settings",
        verbose_name=_("person"),
    )
    calendar_token = models.UUIDField(
        _("calendar feed key"), default=uuid.uuid4, unique=True, editable=False
    )
    calendar_enabled = models.BooleanField(_("calendar feed on"), default=True)
    # The language of their pages and emails (core/languages.py); empty: the browser's.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
    )

    class Meta:
        verbose_name = _("person's settings")
        verbose_name_plural = _("people's settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(language="")
                | Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="relationships_personsettings_language_valid",
            ),
        ]

    def __str__(self):
        return f"Settings of {self.user}"

    @classmethod
    def for_user(cls, user) -> "PersonSettings":
        return cls.objects.get_or_create(user=user)[0]

    @classmethod
    def language_of(cls, user) -> str | None:
        """The language `user` chose (core/languages.py); None or "": none chosen. One query."""
        return cls.objects.filter(user=user).values_list("language", flat=True).first()


# Visits and their acknowledgements, in their own module: imported here, they are models of
# this app.
from relationships.informal import InformalInvitation  # noqa: E402

# The monthly summary rows of the visits (relationships/summary_refresh.py keeps them).
from relationships.summaries import SupportMonth, SupportMonthActivity  # noqa: E402
from relationships.visits import Acknowledgement, Activity, Visit  # noqa: E402
