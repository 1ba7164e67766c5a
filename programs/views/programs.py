"""The coordinator's programs: the list, creating and editing a program's configuration,
archiving it, its dashboard, its printable role descriptions and its CSV exports."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify

from core import clock, versions
from core.access import record_read
from programs import dashboard, exports, services
from programs.forms import (
    ArchiveForm,
    ProgramForm,
    RoleDescriptionsForm,
    add_service_error,
)
from programs.models import Enrollment, Organization, Program
from programs.months import month_bounds
from programs.querytools import subquery_count
from programs.role_descriptions import describe, generate, texts
from programs.roles import program_roles
from programs.views.access import csv_download, managed_program, may_create_programs, posted
from programs.years import program_year
from relationships.pace import GRACE_DAYS

PAGE_SIZE = 25
CASELOAD_PAGE_SIZE = 10


def program_list(request: HttpRequest) -> HttpResponse:
    """The programs I coordinate (every program, for an admin), with their size at a glance."""
    from relationships.models import SupportRelationship, Visit

    show_archived = request.GET.get("archived") == "1"
    if request.user.is_superuser:
        programs = Program.objects.all()
    else:
        programs = Program.objects.coordinated_by(request.user)
    programs = programs.filter(archived_at__isnull=not show_archived)
    today = clock.today()
    month_start, month_end = month_bounds(today)
    current = Enrollment.objects.current().filter(program=OuterRef("pk"))
    programs = (
        programs.select_related("sponsor")
        .annotate(
            open_relationships=subquery_count(
                SupportRelationship.objects.open().filter(program=OuterRef("pk"))
            ),
            protege_count=subquery_count(current.filter(role=Enrollment.Role.PROTEGE)),
            mentor_count=subquery_count(current.filter(role=Enrollment.Role.MENTOR)),
            visits_this_month=subquery_count(
                Visit.objects.filter(
                    relationship__program=OuterRef("pk"),
                    status=Visit.Status.LOGGED,
                    date__gte=month_start,
                    date__lt=month_end,
                )
            ),
        )
        .order_by("name", "pk")
    )
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/program_list.html",
        {
            "page_obj": page,
            "programs": page.object_list,
            "show_archived": show_archived,
            "can_create": may_create_programs(request.user),
        },
    )


def _sponsor(form: ProgramForm) -> Organization:
    sponsor = form.cleaned_data.get("sponsor")
    new_name = (form.cleaned_data.get("new_sponsor") or "").strip()
    if new_name:
        return services.organization_create(
            name=new_name, kind=form.cleaned_data.get("new_sponsor_kind") or "other"
        )
    return sponsor


def program_create(request: HttpRequest) -> HttpResponse:
    if not may_create_programs(request.user):
        raise PermissionDenied("Ask a program coordinator or an administrator to start a program.")
    form = ProgramForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                program = services.program_create(
                    by=request.user, sponsor=_sponsor(form), **form.program_fields()
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{program} is set up. Next: enroll its participants.")
            return redirect("programs:detail", code=program.code)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


def program_edit(request: HttpRequest, code) -> HttpResponse:
    program = managed_program(request, code)
    if program.is_archived:
        messages.warning(request, "This program is archived. Restore it to change it.")
        return redirect("programs:detail", code=program.code)
    form = ProgramForm(posted(request), instance=program)
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
            messages.success(request, "The program's configuration is saved.")
            return redirect("programs:detail", code=program.code)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


def program_archive(request: HttpRequest, code) -> HttpResponse:
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
                f"{program} is restored."
                if restore
                else f"{program} is archived. Its records "
                "are kept; it no longer appears in your list of programs.",
            )
            if restore:
                return redirect("programs:detail", code=program.code)
            return redirect("programs:list")
    return render(
        request,
        "programs/program_archive.html",
        {"program": program, "form": form, "restore": restore},
    )


def program_detail(request: HttpRequest, code) -> HttpResponse:
    """The coordinator's dashboard of one program."""
    from goals.services import program_needs_templates

    program = managed_program(request, code)
    today = clock.today()
    filters = dashboard.Filters.from_query(request.GET)
    rows = dashboard.relationship_rows(program, filters, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    caseload_page = Paginator(dashboard.caseloads(program), CASELOAD_PAGE_SIZE).get_page(
        request.GET.get("caseload_page")
    )
    months = dashboard.visits_per_month(program, today=today)
    year = program_year(program.starts_on, program.ends_on, today)
    goals = dashboard.goal_figures(program)
    context = {
        "program": program,
        "filters": filters,
        "status_choices": [(key, label) for key, (label, _) in dashboard.STATUS_FILTERS.items()],
        "flag_choices": list(dashboard.FLAG_FILTERS.items()),
        "kind_choices": [(k, k.capitalize()) for k in program.offered_kinds],
        "mentor_choices": dashboard.mentor_choices(program),
        "page_obj": page,
        "rows": dashboard.attach_relationships(page.object_list),
        "caseload_page": caseload_page,
        "months": months,
        "visits_chart": dashboard.visits_chart(months),
        "goals": goals,
        "goals_chart": goals.chart(),
        "retention": dashboard.retention(program),
        "status_counts": dashboard.status_counts(program),
        "needs_templates": program_needs_templates(program),
        "this_month": dashboard.this_month(program, months, today=today),
        "program_year": year,
        "pace_grace_days": GRACE_DAYS,
        "year_visits": sum(row["visits"] for row in months),
        "year_minutes": sum(row["minutes"] for row in months),
        "today": today,
        "export_query": urlencode(filters.as_query()),
        "export_kinds": exports.KINDS,
        "shares_logs": program.coordinators_read_shared_logs,
    }
    return render(request, "programs/program_detail.html", context)


def program_export(request: HttpRequest, code, what: str) -> HttpResponse:
    program = managed_program(request, code)
    if what not in exports.EXPORTERS:
        raise Http404("No such export.")
    filters = dashboard.Filters.from_query(request.GET)
    user = request.user
    record_read(
        request,
        exports.export_reads(program, filters, user, what),
        as_admin=program.pk not in program_roles(user).coordinated_program_ids,
    )
    rows = exports.EXPORTERS[what](program, filters, user)
    filename = f"{slugify(program.name)}-{what}-{clock.today().isoformat()}.csv"
    return csv_download(rows, filename)


def _descriptions(program: Program) -> list[dict]:
    labels = {"mentoring": "The mentor's role", "coaching": "The coach's role"}
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


def role_descriptions(request: HttpRequest, code) -> HttpResponse:
    """A printable page describing the mentor's and the coach's role in this program."""
    program = managed_program(request, code)
    return render(
        request,
        "programs/program_roles.html",
        {"program": program, "descriptions": _descriptions(program)},
    )


def role_descriptions_edit(request: HttpRequest, code) -> HttpResponse:
    program = managed_program(request, code)
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
            messages.success(request, "The role descriptions are saved.")
            return redirect("programs:roles", code=program.code)
    return render(request, "programs/program_roles_form.html", {"program": program, "form": form})
