"""The coordinator's programs: creating and editing a program's configuration, archiving it,
and its printable role descriptions. (The list of programs, the dashboard and the CSV exports
read relationships and goals too: reports/views/programs.py.)"""

import re
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from core import versions
from core.http import AuthedRequest
from programs import services
from programs.forms import (
    ArchiveForm,
    ProgramForm,
    RoleDescriptionsForm,
    add_service_error,
)
from programs.models import Organization, Program
from programs.role_descriptions import describe, generate, texts
from programs.views.access import (
    managed_program,
    may_create_programs,
    posted,
    refuse_if_read_only,
)

PAGE_SIZE = 25


def _sponsor(form: ProgramForm) -> Organization | None:
    """The sponsor chosen, or the one named as new (created now); None when neither is given
    (the form refuses that)."""
    new_name = (form.cleaned_data.get("new_sponsor") or "").strip()
    if new_name:
        return services.organization_create(
            name=new_name, kind=form.cleaned_data.get("new_sponsor_kind") or "other"
        )
    return form.cleaned_data.get("sponsor")


def _sponsor_asked(request: AuthedRequest) -> dict:
    """The sponsor named by `?sponsor=<code>` (the organizations page's "Start a program")."""
    try:
        code = UUID(request.GET.get("sponsor", ""))
    except ValueError:
        return {}
    sponsor = Organization.objects.active().filter(code=code).first()
    return {"sponsor": sponsor} if sponsor else {}


def program_create(request: AuthedRequest) -> HttpResponse:
    if not may_create_programs(request.user):
        raise PermissionDenied(
            gettext("Ask a program coordinator or an administrator to start a program.")
        )
    form = ProgramForm(posted(request), initial=_sponsor_asked(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                program = services.program_create(
                    by=request.user, sponsor=_sponsor(form), **form.program_fields()
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                gettext("%(program)s is set up. Next: enroll its participants.")
                % {"program": program},
            )
            return redirect("programs:detail", code=program.code)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


def program_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    program = managed_program(request, code)
    if program.is_read_only:
        messages.warning(request, program.read_only_message)
        return redirect("programs:detail", code=program.code)
    form = ProgramForm(posted(request), instance=program, user=request.user)
    version = versions.carry(
        form, request, lambda: versions.values_of(program, services.PROGRAM_FIELDS)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.program_update(
                    program=program,
                    version=version,
                    sponsor=_sponsor(form),
                    **form.program_fields(),
                )
        except versions.EditConflict as conflict:
            keep_url = reverse("programs:detail", kwargs={"code": program.code})
            versions.show_conflict(form, conflict, keep_url=keep_url)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("The program's configuration is saved."))
            return redirect("programs:detail", code=program.code)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


def program_archive(request: AuthedRequest, code: UUID) -> HttpResponse:
    program = managed_program(request, code)
    form = ArchiveForm(posted(request))
    restore = program.is_archived
    if request.method == "POST" and form.is_valid():
        try:
            if restore:
                services.program_restore(program=program)
            else:
                services.program_archive(program=program)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("%(program)s is restored.") % {"program": program}
                if restore
                else gettext(
                    "%(program)s is archived. Its records are kept; it no longer appears in "
                    "your list of programs."
                )
                % {"program": program},
            )
            if restore:
                return redirect("programs:detail", code=program.code)
            return redirect("programs:list")
    return render(
        request,
        "programs/program_archive.html",
        {"program": program, "form": form, "restore": restore},
    )


def _descriptions(program: Program) -> list[dict]:
    labels = {"mentoring": gettext("The mentor's role"), "coaching": gettext("The coach's role")}
    result = []
    for kind in program.offered_kinds:
        text = describe(program, kind)
        result.append(
            {
                "kind": kind,
                "title": labels[kind],
                "paragraphs": [p.strip() for p in re.split(r"\r?\n\s*\r?\n", text) if p.strip()],
                "generated": text == generate(program, kind),
            }
        )
    return result


def role_descriptions(request: AuthedRequest, code: UUID) -> HttpResponse:
    """A printable page describing the mentor's and the coach's role in this program."""
    program = managed_program(request, code)
    return render(
        request,
        "programs/program_roles.html",
        {"program": program, "descriptions": _descriptions(program)},
    )


def role_descriptions_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    program = managed_program(request, code)
    if refused := refuse_if_read_only(request, program, "programs:roles"):
        return refused
    initial = {
        "mentor_text": describe(program, "mentoring"),
        "coach_text": describe(program, "coaching"),
    }
    form = RoleDescriptionsForm(posted(request), initial=initial)
    version = versions.carry(form, request, lambda: texts(program))
    if "coaching" not in program.offered_kinds:
        del form.fields["coach_text"]
    if "mentoring" not in program.offered_kinds:
        del form.fields["mentor_text"]
    if request.method == "POST" and form.is_valid():
        mentor_text = form.cleaned_data.get("mentor_text", program.mentor_role_description)
        coach_text = form.cleaned_data.get("coach_text", program.coach_role_description)
        # Text left exactly as generated is not saved, so it follows later configuration changes.
        if mentor_text.strip() == generate(program, "mentoring").strip():
            mentor_text = ""
        if coach_text.strip() == generate(program, "coaching").strip():
            coach_text = ""
        try:
            services.role_descriptions_save(
                program=program, mentor_text=mentor_text, coach_text=coach_text, version=version
            )
        except versions.EditConflict as conflict:
            keep_url = reverse("programs:roles", kwargs={"code": program.code})
            versions.show_conflict(form, conflict, keep_url=keep_url)
        else:
            messages.success(request, gettext("The role descriptions are saved."))
            return redirect("programs:roles", code=program.code)
    return render(request, "programs/program_roles_form.html", {"program": program, "form": form})
