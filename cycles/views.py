"""Coaching cycles in the browser.

The coordinator's page of a program's stages (add, rename, reorder, set the days each takes,
remove; or the common four in one click), and the mentor's or coach's pages that start a
relationship's cycle, move it on a stage and end it. The relationship page shows the cycle
through `{% cycle_panel %}` (cycles/templatetags/cycles.py).

Who: a program's stages are its coordinators' (403 for people who take part in the program,
404 for everyone else); a cycle is worked by the mentor or coach (`relationships.
work_in_relationship`), and whoever may open the relationship page but not work in it gets a
403; everyone else, the protégé's supervisor included, a 404.
"""

import uuid

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from core import clock
from core.dates import format_day
from core.http import AuthedRequest
from cycles import selectors, services
from cycles.forms import CycleStageForm, CycleStartForm
from cycles.models import CoachingCycle, CycleStage
from programs.forms import add_service_error
from programs.models import Program
from programs.views.access import (
    managed_program,
    posted,
    refuse_if_read_only,
    require_coordinator,
)
from relationships.lookups import get_permitted_or_404
from relationships.models import SupportRelationship

# Stages: the program's coordinators --------------------------------------------------------


def _managed_stage(request: AuthedRequest, code) -> CycleStage:
    """A stage the program still offers, for the program's coordinators; 403 for others who
    may see the program; else 404."""
    stage = get_object_or_404(
        CycleStage.objects.active().select_related("program", "program__sponsor"), code=code
    )
    require_coordinator(request, stage.program, Program.objects.filter(pk=stage.program_id))
    return stage


def _refusal(request: AuthedRequest, error: ValidationError) -> None:
    messages.warning(request, " ".join(error.messages))


def stage_list(request: AuthedRequest, program) -> HttpResponse:
    """The program's stages, in order, with the form that adds one."""
    program = managed_program(request, program)
    form = CycleStageForm(posted(request))
    if request.method == "POST":
        if refused := refuse_if_read_only(request, program, "cycles:stages"):
            return refused
        if form.is_valid():
            stage = form.save(commit=False)
            stage.program = program
            try:
                services.cycle_stage_save(stage=stage)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, gettext("The stage “%(name)s” is added.") % {"name": stage.name}
                )
                return redirect("cycles:stages", program=program.code)
    stages = list(program.cycle_stages.active().order_by("order"))
    return render(
        request,
        "cycles/cyclestage_list.html",
        {"program": program, "stages": stages, "form": form},
    )


def stages_common(request: AuthedRequest, program) -> HttpResponse:
    """POST: fill a program without stages with the common four."""
    program = managed_program(request, program)
    if request.method == "POST":
        if refused := refuse_if_read_only(request, program, "cycles:stages"):
            return refused
        try:
            services.cycle_stage_add_common(program=program)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request,
                gettext(
                    "The program's coaching cycle has the common four stages: rename them, "
                    "change their days or their order as the program needs."
                ),
            )
    return redirect("cycles:stages", program=program.code)


def stage_edit(request: AuthedRequest, code) -> HttpResponse:
    stage = _managed_stage(request, code)
    program = stage.program
    if refused := refuse_if_read_only(request, program, "cycles:stages"):
        return refused
    form = CycleStageForm(posted(request), instance=stage)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_stage_save(stage=form.save(commit=False))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, gettext("The stage “%(name)s” is saved.") % {"name": stage.name}
            )
            return redirect("cycles:stages", program=program.code)
    return render(
        request, "cycles/cyclestage_form.html", {"program": program, "stage": stage, "form": form}
    )


def stage_move(request: AuthedRequest, code) -> HttpResponse:
    """POST `direction` up or down: the stage swaps places with its neighbour."""
    stage = _managed_stage(request, code)
    program = stage.program
    if request.method == "POST" and request.POST.get("direction") in ("up", "down"):
        if refused := refuse_if_read_only(request, program, "cycles:stages"):
            return refused
        services.cycle_stage_move(stage=stage, up=request.POST["direction"] == "up")
        messages.success(
            request,
            gettext("“%(name)s” is now stage %(place)s.")
            % {
                "name": stage.name,
                "place": program.cycle_stages.active().filter(order__lte=stage.order).count(),
            },
        )
    return redirect("cycles:stages", program=program.code)


def stage_remove(request: AuthedRequest, code) -> HttpResponse:
    stage = _managed_stage(request, code)
    program = stage.program
    if request.method == "POST":
        if refused := refuse_if_read_only(request, program, "cycles:stages"):
            return refused
        try:
            services.cycle_stage_remove(stage=stage)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request, gettext("The stage “%(name)s” is removed.") % {"name": stage.name}
            )
        return redirect("cycles:stages", program=program.code)
    return render(
        request,
        "cycles/cyclestage_remove.html",
        {
            "program": program,
            "stage": stage,
            "in_use": services.stage_in_use(stage),
            "last_one": not program.cycle_stages.active().exclude(pk=stage.pk).exists(),
        },
    )


# Cycles: the mentor or coach ---------------------------------------------------------------


def _worked(request: AuthedRequest, relationship: SupportRelationship) -> Program:
    """The relationship's program. 404 for a relationship whose program names no stages; 403
    for whoever may open its page but not work in it (the protégé, a coordinator)."""
    program = relationship.program
    if program is None or not program.has_cycle_stages:
        raise Http404("This program does not organise coaching in cycles.")
    if not rules.test_rule("relationships.work_in_relationship", request.user, relationship):
        raise PermissionDenied(gettext("Only the mentor or coach moves the cycle on."))
    return program


def _relationship(request: AuthedRequest, code) -> SupportRelationship:
    relationship = get_permitted_or_404(
        SupportRelationship.objects.select_related("program", "protege", "team", "mentor"),
        rule="relationships.open_relationship_page",
        user=request.user,
        code=code,
    )
    _worked(request, relationship)
    return relationship


def _cycle(request: AuthedRequest, code) -> CoachingCycle:
    cycle = get_object_or_404(
        CoachingCycle.objects.select_related(
            "relationship__program",
            "relationship__protege",
            "relationship__team",
            "relationship__mentor",
            "goal",
        ),
        code=code,
    )
    if not rules.test_rule(
        "relationships.open_relationship_page", request.user, cycle.relationship
    ):
        raise Http404("No coaching cycle matches the given query.")
    _worked(request, cycle.relationship)
    return cycle


def cycle_start(request: AuthedRequest, code) -> HttpResponse:
    relationship = _relationship(request, code)
    back = relationship.get_absolute_url()
    if relationship.coaching_cycles.open().exists():
        messages.info(request, gettext("A cycle is under way already: end it first."))
        return redirect(back)
    form = CycleStartForm(posted(request), relationship=relationship)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.coaching_cycle_start(
                relationship=relationship,
                by=request.user,
                goal=form.cleaned_data["goal"],
                focus=form.cleaned_data["focus"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, gettext("Cycle %(number)s has started.") % {"number": cycle.number}
            )
            return redirect(back)
    program = _worked(request, relationship)
    first = program.cycle_stages.active().order_by("order").first()
    return render(
        request,
        "cycles/coachingcycle_start.html",
        {
            "relationship": relationship,
            "form": form,
            "first": first,
            "first_due": selectors.due_counting_pauses(
                relationship, clock.today(), first.cadence_days, today=clock.today()
            )
            if first
            else None,
        },
    )


def cycle_advance(request: AuthedRequest, code) -> HttpResponse:
    """GET: what moving on does; POST (`from_stage`: the stage the page showed as current):
    move on. A second click, or a page opened before someone else moved it on, does nothing."""
    cycle = _cycle(request, code)
    back = cycle.relationship.get_absolute_url()
    if not cycle.is_open:
        messages.info(request, gettext("This cycle has ended."))
        return redirect(back)
    program = _worked(request, cycle.relationship)
    current = services.current_record(cycle)
    following = (
        program.cycle_stages.active()
        .filter(order__gt=current.stage.order)
        .order_by("order")
        .first()
        if current
        else None
    )
    if request.method == "POST":
        # The stage the page showed as current; without one, the current stage now.
        code = _uuid(request.POST.get("from_stage"))
        shown = CycleStage.objects.filter(code=code).first() if code else None
        if shown is None and current is not None:
            shown = current.stage
        try:
            record = services.coaching_cycle_advance(cycle=cycle, by=request.user, from_stage=shown)
        except ValidationError as error:
            _refusal(request, error)
        else:
            if record is None:
                messages.info(request, gettext("The cycle had moved on already."))
            else:
                messages.success(
                    request,
                    gettext("The cycle is now in “%(name)s”, due %(day)s.")
                    % {
                        "name": record.stage.name,
                        "day": format_day(
                            selectors.due_counting_pauses(
                                cycle.relationship,
                                record.started_on,
                                record.stage.cadence_days,
                                today=clock.today(),
                            )
                        ),
                    },
                )
        return redirect(back)
    return render(
        request,
        "cycles/coachingcycle_advance.html",
        {
            "cycle": cycle,
            "relationship": cycle.relationship,
            "current": current,
            "following": following,
            "following_due": selectors.due_counting_pauses(
                cycle.relationship, clock.today(), following.cadence_days, today=clock.today()
            )
            if following
            else None,
        },
    )


def cycle_end(request: AuthedRequest, code) -> HttpResponse:
    cycle = _cycle(request, code)
    back = cycle.relationship.get_absolute_url()
    if not cycle.is_open:
        messages.info(request, gettext("This cycle has ended."))
        return redirect(back)
    if request.method == "POST":
        services.coaching_cycle_end(cycle=cycle, by=request.user)
        messages.success(request, gettext("Cycle %(number)s has ended.") % {"number": cycle.number})
        return redirect(back)
    return render(
        request,
        "cycles/coachingcycle_end.html",
        {
            "cycle": cycle,
            "relationship": cycle.relationship,
            "current": services.current_record(cycle),
        },
    )


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None
