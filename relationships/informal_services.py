"""Writes for informal relationships, made by teachers themselves outside any program
(relationships/informal.py): invite, accept or decline, withdraw, end.

Rules enforced here, beyond those of `services.relationship_create`:
- the person invited already has an active account (nobody gets an account from here);
- nobody invites themselves;
- the supervision firewall: a protégé's supervisor, present or former within the set period,
  is never made their mentor or coach, whoever invites whom (checked when inviting, and again
  when accepting, since a supervisor may have been recorded in between);
- one open informal relationship of a kind between the same two people, and one invitation
  waiting between them for it.
No coordinator takes part: the relationship has no program, so no program's querysets,
dashboards or exports reach it.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core import clock
from core.names import person_name
from relationships.informal import InformalInvitation, InformalRole
from relationships.models import Kind, SupportRelationship
from relationships.notifications import notify_informal_invitation
from relationships.services import check_firewall, relationship_create, relationship_end


def _check_pair(*, mentor: User, protege: User, kind: str) -> None:
    """Refuse a pair the firewall keeps apart, or one already in an open informal relationship
    of this kind; errors name the form's `person` field."""
    try:
        check_firewall(mentor=mentor, people=[protege])
    except ValidationError as error:
        raise ValidationError({"person": error.messages}) from error
    already = SupportRelationship.objects.open().filter(
        program__isnull=True, mentor=mentor, protege=protege, kind=kind
    )
    if already.exists():
        raise ValidationError(
            {
                "person": _(
                    "%(mentor)s and %(protege)s already have an informal %(kind)s relationship."
                )
                % {
                    "mentor": person_name(mentor),
                    "protege": person_name(protege),
                    "kind": Kind(kind).label.lower(),
                }
            }
        )


def _pair(by: User, invitee: User, by_role: str) -> tuple[User, User]:
    """(mentor, protégé) when `by` invites `invitee` and will be `by_role`."""
    return (by, invitee) if by_role == InformalRole.MENTOR else (invitee, by)


@transaction.atomic
def informal_invitation_create(
    *, by: User, invitee: User, kind: str, by_role: str
) -> InformalInvitation:
    """`by` invites `invitee` to an informal relationship of `kind`, in which `by` will be
    `by_role` (mentor or protégé). They see it on their home page and get an email."""
    if invitee.pk == by.pk:
        raise ValidationError({"person": _("You cannot invite yourself.")})
    if not invitee.is_active:
        raise ValidationError({"person": _("This account is deactivated.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose mentoring or coaching.")})
    if by_role not in InformalRole.values:
        raise ValidationError({"by_role": _("Choose who supports whom.")})
    mentor, protege = _pair(by, invitee, by_role)
    _check_pair(mentor=mentor, protege=protege, kind=kind)
    waiting = InformalInvitation.objects.pending().filter(
        Q(inviter=by, invitee=invitee) | Q(inviter=invitee, invitee=by), kind=kind
    )
    if waiting.exists():
        raise ValidationError(
            {
                "person": _(
                    "An invitation to an informal %(kind)s relationship between you and "
                    "%(name)s is already waiting for an answer."
                )
                % {"kind": Kind(kind).label.lower(), "name": person_name(invitee)}
            }
        )
    invitation = InformalInvitation(inviter=by, invitee=invitee, kind=kind, inviter_role=by_role)
    invitation.full_clean()
    invitation.save()
    notify_informal_invitation(invitation)
    return invitation


def _locked(invitation: InformalInvitation) -> InformalInvitation:
    return (
        InformalInvitation.objects.select_for_update()
        .select_related("inviter", "invitee")
        .get(pk=invitation.pk)
    )


def _answered(invitation: InformalInvitation, status: str) -> None:
    invitation.status = status
    invitation.answered_at = clock.now()
    invitation.save(update_fields=["status", "answered_at", "relationship"])


@transaction.atomic
def informal_invitation_answer(
    *, invitation: InformalInvitation, by: User, accept: bool
) -> SupportRelationship | None:
    """The person invited accepts (the relationship starts today) or declines. Only they can
    answer, once."""
    invitation = _locked(invitation)
    if by.pk != invitation.invitee_id:
        raise ValidationError(_("Only the person invited can answer this invitation."))
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation is no longer open: %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )
    if not accept:
        _answered(invitation, InformalInvitation.Status.DECLINED)
        return None
    mentor, protege = invitation.mentor, invitation.protege
    _check_pair(mentor=mentor, protege=protege, kind=invitation.kind)
    relationship = relationship_create(
        mentor=mentor,
        protege=protege,
        kind=invitation.kind,
        program=None,
        meeting_arrangement=SupportRelationship.MeetingArrangement.BOTH,
        by=by,
    )
    invitation.relationship = relationship
    _answered(invitation, InformalInvitation.Status.ACCEPTED)
    return relationship


@transaction.atomic
def informal_invitation_withdraw(*, invitation: InformalInvitation, by: User) -> None:
    """The person who invited takes the invitation back, while it waits for an answer."""
    invitation = _locked(invitation)
    if by.pk != invitation.inviter_id:
        raise ValidationError(_("Only the person who invited can withdraw this invitation."))
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation is no longer open: %(status)s.")
            % {"status": invitation.get_status_display().lower()}
        )
    _answered(invitation, InformalInvitation.Status.WITHDRAWN)


def informal_relationship_end(
    *, relationship: SupportRelationship, by: User, reason: str, completed: bool, ended_on=None
) -> SupportRelationship:
    """Either person ends an informal relationship (a program's are ended by its
    coordinators)."""
    if relationship.program_id is not None:
        raise ValidationError(_("The program's coordinators end this relationship."))
    if by.pk not in {relationship.mentor_id, relationship.protege_id}:
        raise ValidationError(_("Only the two people in this relationship can end it."))
    return relationship_end(
        relationship=relationship, reason=reason, completed=completed, ended_on=ended_on
    )
