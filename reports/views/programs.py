"""The coordinator's pages that read across apps: the list of programs with their size at a
glance, a program's dashboard and its CSV exports.

They count relationships, visits and goals, so they sit above those apps (docs/design.md, the
layers); their URLs keep the programs namespace (mentoring_site/urls.py).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.text import slugify

from core import clock
from core.access import record_read
from core.http import AuthedRequest
from core.months import month_bounds
from core.querytools import subquery_count
from cycles.selectors import current_stages
from goals.services import program_needs_templates
from programs.models import Enrollment, Program
from programs.roles import program_roles
from programs.views.access import csv_download, managed_program, may_create_programs
from programs.views.programs import PAGE_SIZE
from relationships.models import SupportRelationship, Visit
from relationships.pace import GRACE_DAYS
from relationships.waiting import waiting_rows_by_id
from reports import dashboard, exports, kept_rows
from reports.years import program_year

CASELOAD_PAGE_SIZE = 10
WAITING_PAGE_SIZE = 10


def program_list(request: AuthedRequest) -> HttpResponse:
    """The programs I coordinate (every program, for an admin), with their size at a glance."""
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
            mentor_count=subquery_count(current.supporting()),
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


def program_detail(request: AuthedRequest, code) -> HttpResponse:
    """The coordinator's dashboard of one program."""
    program = managed_program(request, code)
    today = clock.today()
    filters = dashboard.Filters.from_query(request.GET)
    stages = current_stages(program, today=today)  # no query without cycle stages
    keep = kept_rows.Keep(program, today)
    rows = dashboard.relationship_rows(program, filters, today=today, stages=stages, keep=keep)
    figures = dashboard.ProgramFigures.kept(keep)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    caseload_page = Paginator(dashboard.caseloads(program), CASELOAD_PAGE_SIZE).get_page(
        request.GET.get("caseload_page")
    )
    waiting_page = Paginator(dashboard.kept_waiting(keep), WAITING_PAGE_SIZE).get_page(
        request.GET.get("waiting_page")
    )
    known, months, goals = figures.known, figures.months, figures.goals
    year = program_year(program.starts_on, program.ends_on, today)
    context = {
        "program": program,
        "filters": filters,
        "status_choices": [(key, label) for key, (label, _) in dashboard.STATUS_FILTERS.items()],
        "flag_choices": dashboard.flag_choices(program),
        "overdue_stages": dashboard.overdue_stage_count(stages),
        "kind_choices": [(k, k.capitalize()) for k in program.offered_kinds],
        "mentor_choices": dashboard.mentor_choices(program, known),
        "page_obj": page,
        "rows": dashboard.attach_relationships(list(page.object_list)),
        "caseload_page": caseload_page,
        "waiting_page": waiting_page,
        "waiting": waiting_rows_by_id(waiting_page.object_list, today=today),
        "months": months,
        "visits_chart": dashboard.visits_chart(months),
        "goals": goals,
        "goals_chart": goals.chart(),
        "retention": figures.retention,
        "status_counts": dashboard.status_counts(program, known),
        "needs_templates": program_needs_templates(program),
        "this_month": figures.this_month,
        "program_year": year,
        "pace_grace_days": GRACE_DAYS,
        "year_visits": sum(row["visits"] for row in months),
        "year_minutes": sum(row["minutes"] for row in months),
        "today": today,
        "export_query": urlencode(filters.as_query()),
        "export_kinds": exports.KINDS,
        "shares_logs": program.coordinators_read_shared_logs,
        "domain_averages": dashboard.domain_averages(program, request.user, year=year),
        "small_cell_minimum": settings.SMALL_CELL_MINIMUM,
        **year_links(program),
    }
    return render(request, "programs/program_detail.html", context)


def year_links(program: Program) -> dict:
    """The program's previous and next years, for the links on its dashboard (one query)."""
    years = list(
        Program.objects.filter(Q(pk=program.previous_id) | Q(previous=program)).only(
            "code", "name", "previous"
        )
    )
    return {
        "previous_year": next((year for year in years if year.pk == program.previous_id), None),
        "next_year": next((year for year in years if year.previous_id == program.pk), None),
    }


def program_export(request: AuthedRequest, code, what: str) -> StreamingHttpResponse:
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
