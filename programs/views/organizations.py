"""The administrator's organizations: the tree of districts, agencies and their schools,
centers or sites; creating, changing and archiving one. For anyone else these pages do not
exist (404)."""

from uuid import UUID

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from core import versions
from core.http import AuthedRequest
from programs import organizations
from programs.forms import ArchiveForm, add_service_error
from programs.models import Organization
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
