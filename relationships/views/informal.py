"""Informal relationships, made by teachers outside any program (relationships/informal.py):
invite a colleague, answer or withdraw an invitation, end the relationship. Only the two
people reach these pages; for anyone else, coordinators and admins included, they do not
exist (404)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.http import AuthedRequest
from core.names import person_name
from programs.forms import add_service_error
from programs.views.access import posted
from relationships import informal_services
from relationships.forms_coordinator import EndForm
from relationships.forms_informal import InformalInviteForm
from relationships.informal import InformalInvitation
from relationships.lookups import get_permitted_or_404
from relationships.models import SupportRelationship


def informal_new(request: AuthedRequest) -> HttpResponse:
    """Invite a colleague to an informal relationship."""
    form = InformalInviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = informal_services.informal_invitation_create(
                by=request.user, invitee=data["person"], kind=data["kind"], by_role=data["by_role"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited. The relationship starts once they accept.")
                % {"name": person_name(invitation.invitee)},
            )
            return redirect(invitation)
    return render(request, "relationships/informal_invite.html", {"form": form})


ACTIONS = {"accept", "decline", "withdraw"}


def _act(request: AuthedRequest, invitation: InformalInvitation, action: str) -> str:
    """Carry out `action` for the person; the notice to show."""
    name = person_name(invitation.inviter)
    if action == "withdraw":
        informal_services.informal_invitation_withdraw(invitation=invitation, by=request.user)
        return _("Your invitation to %(name)s is withdrawn.") % {
            "name": person_name(invitation.invitee)
        }
    accept = action == "accept"
    informal_services.informal_invitation_answer(
        invitation=invitation, by=request.user, accept=accept
    )
    if accept:
        if invitation.kind == "coaching":
            return _("Your informal coaching with %(name)s has started.") % {"name": name}
        return _("Your informal mentoring with %(name)s has started.") % {"name": name}
    return _("You declined %(name)s's invitation.") % {"name": name}


def informal_invitation(request: AuthedRequest, code) -> HttpResponse:
    """The invitation, for its two people: the one invited accepts or declines, the one who
    invited may withdraw it while it waits."""
    invitation = get_object_or_404(
        InformalInvitation.objects.visible_to(request.user).select_related(
            "inviter", "invitee", "relationship"
        ),
        code=code,
    )
    error = None
    if request.method == "POST" and invitation.is_pending:
        action = request.POST.get("action", "")
        try:
            if action not in ACTIONS:
                raise ValidationError(_("Choose whether you accept or decline."))
            notice = _act(request, invitation, action)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, notice)
            invitation.refresh_from_db()
            if invitation.relationship_id:
                return redirect(invitation.relationship)
            return redirect("home")
    return render(
        request,
        "relationships/informalinvitation_detail.html",
        {
            "invitation": invitation,
            "is_invitee": invitation.invitee_id == request.user.pk,
            "error": error,
        },
    )


def informal_end(request: AuthedRequest, code) -> HttpResponse:
    """Either person ends an informal relationship."""
    relationship = get_permitted_or_404(
        SupportRelationship.objects.select_related("mentor", "protege"),
        rule="relationships.end_informal_relationship",
        user=request.user,
        code=code,
    )
    form = EndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            informal_services.informal_relationship_end(
                relationship=relationship,
                by=request.user,
                reason=data["reason"],
                completed=data["outcome"] == "completed",
                ended_on=data["ended_on"],
            )
        except ValidationError as error:
            add_service_error(form, error, {"end_reason": "reason"})
        else:
            messages.success(request, _("The relationship has ended. Its records are kept."))
            return redirect(relationship)
    other = (
        relationship.protege if relationship.mentor_id == request.user.pk else relationship.mentor
    )
    return render(
        request,
        "relationships/informal_end.html",
        {"relationship": relationship, "form": form, "other_name": person_name(other)},
    )
