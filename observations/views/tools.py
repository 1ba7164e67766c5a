"""The coordinator's observation tools: a program's list, build and change one (its domains and
look-fors, as rows that work without JavaScript), stop offering it, and copy one from another
program they coordinate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from core.http import AuthedRequest
from core.querytools import subquery_count
from observations import services
from observations.forms import CopyForm, DomainFormSet, ToolForm, domain_initial
from observations.models import Observation, ObservationDomain, ObservationTool
from programs.forms import add_service_error
from programs.models import Program
from programs.views.access import (
    managed_program,
    posted,
    refuse_if_read_only,
    require_coordinator,
)

PAGE_SIZE = 25
NEW_ROWS = 3  # blank domain rows offered, and added by "More rows"
DOMAINS = "domains"  # the formset's prefix
TOOL_FIELDS = ("name", "kind", "description", "scale_min", "scale_max")


def _managed_tool(request: AuthedRequest, code) -> ObservationTool:
    """The tool, for its program's coordinators; 403 for others who may see it; else 404."""
    tool = get_object_or_404(ObservationTool.objects.select_related("program"), code=code)
    require_coordinator(request, tool.program, ObservationTool.objects.filter(pk=tool.pk))
    return tool


def tool_list(request: AuthedRequest, program) -> HttpResponse:
    program = managed_program(request, program)
    tools = program.observation_tools.annotate(
        domain_count=subquery_count(
            ObservationDomain.objects.filter(tool=OuterRef("pk"), retired_at__isnull=True)
        ),
        observation_count=subquery_count(Observation.objects.filter(tool=OuterRef("pk"))),
    ).order_by("-active", "name", "pk")
    page = Paginator(tools, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "observations/tool_list.html",
        {"program": program, "page_obj": page, "tools": page.object_list},
    )


def _typed(data: QueryDict) -> tuple[dict, list[dict]]:
    """What was typed in the tool's form and in each domain row, as initial values: "More
    rows" shows them again, with blank rows after, and no error yet."""
    tool = {name: data.get(name, "") for name in TOOL_FIELDS}
    try:
        total = min(int(data.get(f"{DOMAINS}-TOTAL_FORMS") or 0), DomainFormSet.max_num)
    except ValueError:
        total = 0
    rows = [
        {
            **{
                name: data.get(f"{DOMAINS}-{number}-{name}", "")
                for name in ("id", "name", "description", "items")
            },
            "remove": bool(data.get(f"{DOMAINS}-{number}-remove")),
        }
        for number in range(total)
    ]
    return tool, rows


def _form_page(
    request: AuthedRequest, program: Program, tool: ObservationTool | None
) -> HttpResponse:
    """Save the posted tool and go back to the list, or show the form: with its errors, or
    with more rows when asked ("More rows" saves nothing and keeps what was typed)."""
    data = posted(request)
    more = data is not None and "more_rows" in data
    if data is None or more:
        typed, rows = _typed(data) if data is not None else ({}, domain_initial(tool))
        form = ToolForm(instance=tool, initial=typed)
        formset = DomainFormSet(prefix=DOMAINS, initial=rows)
        formset.extra = NEW_ROWS  # blank rows after the domains (the forms are built later)
    else:
        form = ToolForm(data, instance=tool)
        formset = DomainFormSet(data, prefix=DOMAINS)
    domain_errors: list[str] = []
    if data is not None and not more and form.is_valid() and formset.is_valid():
        specs = [spec for row in formset.forms if (spec := row.spec()) is not None]
        values = {
            "name": form.cleaned_data["name"],
            "kind": form.cleaned_data["kind"],
            "description": form.cleaned_data["description"],
            "scale_min": form.cleaned_data["scale_min"],
            "scale_max": form.cleaned_data["scale_max"],
            "domains": specs,
        }
        try:
            if tool is None:
                saved = services.observation_tool_create(program=program, **values)
            else:
                saved = services.observation_tool_update(tool=tool, **values)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for problem in error.error_dict.pop("domains", []):
                    domain_errors += problem.messages
            if not hasattr(error, "error_dict") or error.error_dict:
                add_service_error(form, error)
        else:
            messages.success(
                request, gettext("The tool “%(name)s” is saved.") % {"name": saved.name}
            )
            return redirect("observations:tool_list", program=program.code)
    return render(
        request,
        "observations/tool_form.html",
        {
            "program": program,
            "form": form,
            "formset": formset,
            "tool": tool,
            "domain_errors": domain_errors,
            "in_use": tool is not None and tool.observations.exists(),
            "more": more,
        },
    )


def tool_create(request: AuthedRequest, program) -> HttpResponse:
    program = managed_program(request, program)
    if refused := refuse_if_read_only(request, program, "observations:tool_list"):
        return refused
    return _form_page(request, program, None)


def tool_edit(request: AuthedRequest, code) -> HttpResponse:
    tool = _managed_tool(request, code)
    if refused := refuse_if_read_only(request, tool.program, "observations:tool_list"):
        return refused
    return _form_page(request, tool.program, tool)


def tool_active(request: AuthedRequest, code) -> HttpResponse:
    """Stop offering a tool, or offer it again: a GET asks, a POST does it."""
    tool = _managed_tool(request, code)
    program = tool.program
    if refused := refuse_if_read_only(request, program, "observations:tool_list"):
        return refused
    if request.method == "POST":
        services.observation_tool_set_active(tool=tool, active=not tool.active)
        if tool.active:
            message = gettext("“%(name)s” is offered again.")
        else:
            message = gettext(
                "“%(name)s” is no longer offered. The observations made with it are kept."
            )
        messages.success(request, message % {"name": tool.name})
        return redirect("observations:tool_list", program=program.code)
    return render(
        request,
        "observations/tool_active.html",
        {"program": program, "tool": tool, "observation_count": tool.observations.count()},
    )


def tool_copy(request: AuthedRequest, program) -> HttpResponse:
    """Copy a tool of another program the person coordinates (any, for an administrator)."""
    program = managed_program(request, program)
    if refused := refuse_if_read_only(request, program, "observations:tool_list"):
        return refused
    if request.user.is_superuser:
        sources = Program.objects.all()
    else:
        sources = Program.objects.coordinated_by(request.user)
    tools = (
        ObservationTool.objects.filter(program__in=sources.values("pk"))
        .exclude(program=program)
        .select_related("program")
        .order_by("name", "program__name", "pk")
    )
    page = Paginator(tools, PAGE_SIZE).get_page(request.GET.get("page"))
    form = CopyForm(posted(request), tools=list(page.object_list))
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.observation_tool_copy(tool=form.chosen(), program=program)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                gettext("“%(name)s” is copied into %(program)s. Adjust it here if you need to.")
                % {"name": copy.name, "program": program.name},
            )
            return redirect("observations:tool_edit", code=copy.code)
    return render(
        request,
        "observations/tool_copy.html",
        {"program": program, "form": form, "page_obj": page},
    )
