"""The administrator's organizations: the tree of districts, agencies and their schools,
centers or sites; creating, changing and archiving one. For anyone else these pages do not
exist (404)."""

from uuid import UUID

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import versions
from core.http import AuthedRequest
from core.names import person_name
from core.querytools import id_number
from programs import leaders, organizations
from programs.forms import ArchiveForm, add_service_error
from programs.models import Organization, OrganizationLeader
from programs.organization_forms import OrganizationForm
from programs.views.access import posted

PAGE_SIZE = 100


def _require_admin(request: AuthedRequest) -> None:
    if not rules.test_rule("programs.manage_organizations", request.user):
        raise Http404("No such page.")


def _organization(request: AuthedRequest, code: UUID) -> Organization:
    _require_admin(request)
    return get_object_or_404(Organization.objects.select_related("parent"), code=code)


def organization_list(request: AuthedRequest) -> HttpResponse:
    """Every organization as a tree: each district or agency followed by its parts."""
    _require_admin(request)
    page = Paginator(organizations.tree_rows(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programs/organization_list.html", {"page_obj": page})


def organization_create(request: AuthedRequest) -> HttpResponse:
    _require_admin(request)
    form = OrganizationForm(posted(request), initial={"kind": Organization.Kind.SCHOOL})
    if request.method == "POST" and form.is_valid():
        try:
            organization = organizations.organization_save(organization=form.instance)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, gettext("%(organization)s is added.") % {"organization": organization}
            )
            return redirect("organizations:list")
    return render(request, "programs/organization_form.html", {"form": form, "organization": None})


def organization_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    organization = _organization(request, code)
    form = OrganizationForm(posted(request), instance=organization)
    version = versions.carry(
        form,
        request,
        lambda: versions.values_of(organization, organizations.ORGANIZATION_FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        try:
            organizations.organization_update(
                organization=organization,
                version=version,
                **{name: form.cleaned_data[name] for name in organizations.ORGANIZATION_FIELDS},
            )
        except versions.EditConflict as conflict:
            versions.show_conflict(form, conflict, keep_url=reverse("organizations:list"))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                gettext("%(organization)s is saved.") % {"organization": form.cleaned_data["name"]},
            )
            return redirect("organizations:list")
    return render(
        request,
        "programs/organization_form.html",
        {"form": form, "organization": organization},
    )


def organization_archive(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Archive an organization (GET: the confirmation), or restore an archived one."""
    organization = _organization(request, code)
    restore = organization.is_archived
    form = ArchiveForm(posted(request))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            if restore:
                organizations.organization_restore(organization=organization)
            else:
                organizations.organization_archive(organization=organization)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                gettext("%(organization)s is restored.") % {"organization": organization}
                if restore
                else gettext(
                    "%(organization)s is archived: it is no longer offered in lists; its "
                    "records are kept."
                )
                % {"organization": organization},
            )
            return redirect("organizations:list")
    return render(
        request,
        "programs/organization_archive.html",
        {"organization": organization, "restore": restore, "error": error},
    )


class LeaderForm(forms.Form):
    """Whom to make a leader: an existing account, by user name or email address."""

    person = forms.CharField(
        label=_("User name or email address"),
        max_length=254,
        help_text=_("Someone with an account here. They see this organization's roll-up."),
    )

    def clean_person(self) -> User:
        typed = self.cleaned_data["person"].strip()
        found = User.objects.filter(
            Q(username__iexact=typed) | Q(email__iexact=typed), is_active=True
        ).order_by("pk")
        if not found:
            raise forms.ValidationError(
                _("Nobody with an account here has the user name or address “%(typed)s”."),
                params={"typed": typed},
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("More than one account has this address: type the user name instead.")
            )
        return found[0]


def organization_leaders(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The program leaders of an organization: add one, or take the role away. For an
    administrator or a leader of an organization above this one; a 404 for anyone else."""
    organization = get_object_or_404(Organization, code=code)
    if not leaders.may_manage_leaders(request.user, organization):
        raise Http404("No such page.")
    form = LeaderForm(request.POST if "person" in request.POST else None)
    error = ""
    if request.method == "POST" and "remove" in request.POST:
        leader = get_object_or_404(
            OrganizationLeader.objects.select_related("user", "organization"),
            organization=organization,
            pk=id_number(request.POST.get("remove")) or 0,
        )
        try:
            leaders.leader_remove(leader=leader, by=request.user)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                _("%(name)s no longer leads %(organization)s.")
                % {"name": person_name(leader.user), "organization": organization.name},
            )
            return redirect("organizations:leaders", code=organization.code)
    elif request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            leaders.leader_grant(organization=organization, user=person, by=request.user)
        except ValidationError as problem:
            add_service_error(form, problem)
        else:
            messages.success(
                request,
                _("%(name)s now leads %(organization)s and everything under it.")
                % {"name": person_name(person), "organization": organization.name},
            )
            return redirect("organizations:leaders", code=organization.code)
    current = organization.leaders.select_related("user", "granted_by").order_by(
        "user__last_name", "user__first_name", "pk"
    )
    return render(
        request,
        "programs/organization_leaders.html",
        {
            "organization": organization,
            "leaders": list(current),
            "form": form,
            "error": error,
            "back_to_list": rules.test_rule("programs.manage_organizations", request.user),
        },
    )
