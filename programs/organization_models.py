"""Organizations: a district, agency or network with its schools, centers or sites
(`Organization.parent`). The rule of "the same organization" is programs/organizations.py."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import clock
from core.fields import choices_condition


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class OrganizationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    DISTRICT = "district", _("School district")
    CHILD_CARE_CENTER = "child_care_center", _("Child care center")
    HEAD_START = "head_start", _("Head Start / Early Head Start agency")
    FAMILY_CHILD_CARE = "family_child_care", _("Family child care home")
    COLLEGE = "college", _("College or university")
    STATE_AGENCY = "state_agency", _("State agency")
    OTHER = "other", _("Other")


class Organization(models.Model):
    Kind = OrganizationKind

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
        verbose_name=_("part of"),
        help_text=_("The district, agency or network that runs it, if any."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("kind", OrganizationKind),
                name="programs_organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="programs_organization_not_its_own_parent",
                violation_error_message=_("An organization cannot be part of itself."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """No cycles: the parent is not this organization, nor one of its own parts."""
        seen = {self.pk} if self.pk else set()
        parent = self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError(
                    {
                        "parent": gettext(
                            "An organization cannot be part of itself or of one of its parts."
                        )
                    }
                )
            seen.add(parent.pk)
            parent = parent.parent

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class OrganizationLeaderQuerySet(models.QuerySet):
    def of(self, user):
        """The organizations `user` leads (their rows)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class OrganizationLeader(models.Model):
    """A program leader: someone who sees the roll-up of an organization and of everything
    under it (its parts, at any depth; the programs they sponsor; the relationships at their
    sites), logistics only and in aggregate (reports/rollup/). Given and taken away in the app
    by an administrator or by a leader of an organization above (programs/leaders.py)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="leaders",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organization_leaderships",
        verbose_name=_("leader"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=clock.now)
    history = HistoricalRecords()

    objects = OrganizationLeaderQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name", "user__last_name", "user__first_name", "pk"]
        verbose_name = _("program leader")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                name="programs_organizationleader_once_per_organization",
                violation_error_message=_("This person already leads this organization."),
            ),
        ]

    def __str__(self):
        return f"{self.user} leads {self.organization}"
