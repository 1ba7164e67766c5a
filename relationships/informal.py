"""Invitations to an informal relationship: one teacher asks a trusted colleague to be their
mentor or coach, or a mentor offers to support a colleague, outside any program. The
relationship (a `SupportRelationship` with no program) exists once both have accepted: the
person inviting accepts by inviting, the person invited accepts or declines; until then the
inviter may withdraw. No coordinator sees either (relationships/informal_services.py).
Imported by relationships/models.py, so Django knows `InformalInvitation` as a model of this
app."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core import clock
from core.fields import choices_condition
from core.names import person_name
from core.urltools import code_url
from relationships.models import Kind, SupportRelationship


class InformalInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=InformalInvitation.Status.PENDING)

    def visible_to(self, user):
        """Its two people only: the one who invited and the one invited."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(inviter=user) | Q(invitee=user))


class InformalInvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InformalRole(models.TextChoices):
    """What the person inviting will be in the relationship."""

    MENTOR = "mentor", _("Mentor or coach")
    PROTEGE = "protege", _("Protégé")


class InformalInvitation(models.Model):
    Status = InformalInvitationStatus
    Role = InformalRole

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    inviter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="informal_invitations_sent",
        verbose_name=_("invited by"),
    )
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="informal_invitations_received",
        verbose_name=_("person invited"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    inviter_role = models.CharField(
        _("the inviter will be"), max_length=16, choices=InformalRole.choices
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("invited at"), default=clock.now, editable=False)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("relationship made"),
    )

    objects = InformalInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("informal invitation")
        constraints = [
            models.CheckConstraint(
                condition=choices_condition("kind", Kind),
                name="relationships_informalinvitation_kind_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("inviter_role", InformalRole),
                name="relationships_informalinvitation_inviter_role_valid",
            ),
            models.CheckConstraint(
                condition=choices_condition("status", InformalInvitationStatus),
                name="relationships_informalinvitation_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(inviter=F("invitee")),
                name="relationships_informalinvitation_not_self",
                violation_error_message=_("Nobody can invite themselves."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="relationships_informalinvitation_answered_when_not_pending",
            ),
            models.CheckConstraint(
                condition=Q(status="accepted", relationship__isnull=False)
                | (~Q(status="accepted") & Q(relationship__isnull=True)),
                name="relationships_informalinvitation_relationship_when_accepted",
            ),
            models.UniqueConstraint(
                fields=["inviter", "invitee", "kind"],
                condition=Q(status="pending"),
                name="relationships_informalinvitation_one_pending",
                violation_error_message=_(
                    "You have already invited this person to this kind of "
                    "relationship, and they have not answered yet."
                ),
            ),
        ]
        indexes = [models.Index(fields=["invitee", "status"])]

    def __str__(self):
        return (
            f"{person_name(self.inviter)} invites {person_name(self.invitee)} "
            f"({self.get_kind_display().lower()})"
        )

    def get_absolute_url(self):
        return code_url("relationships:informal_invitation", self.code)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def mentor(self):
        return self.inviter if self.inviter_role == InformalRole.MENTOR else self.invitee

    @property
    def protege(self):
        return self.invitee if self.inviter_role == InformalRole.MENTOR else self.inviter

    @property
    def invitee_role_display(self) -> str:
        """What the person invited is asked to be, in words."""
        if self.inviter_role == InformalRole.PROTEGE:
            return str(_("coach") if self.kind == Kind.COACHING else _("mentor"))
        return str(_("the teacher supported"))
