"""Observations: a mentor or coach fills one in (from the relationship page or a visit's page,
on a phone); the relationship's people read it, and its scores over time; a goal is measured
by a domain's scores. All of it is the relationship's shared-conversation tier: 404 for
whoever may not read that (the supervisor, a coordinator of a program that does not share
logs, anyone outside)."""

import uuid

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from core import clock, versions
from core.access import Read, record_read
from core.http import AuthedRequest
from goals.models import Goal
from observations import services
from observations.forms import MeasureForm, ObservationForm
from observations.models import (
    GoalDomainMeasure,
    Observation,
    ObservationDomain,
    ObservationItem,
    ObservationTool,
)
from observations.selectors import readable_observations, relationship_scores
from programs.forms import add_service_error
from programs.views.access import posted
from relationships.lookups import get_permitted_or_404
from relationships.models import SupportRelationship, Visit
from relationships.rules import conversation_since

PAGE_SIZE = 25
VISITS_OFFERED = 30  # the relationship's latest visits offered in the form's list


def _relationship(request: AuthedRequest, code, rule: str) -> SupportRelationship:
    return get_permitted_or_404(
        SupportRelationship.objects.select_related("program", "protege", "team", "mentor"),
        rule=rule,
        user=request.user,
        code=code,
    )


def _offered_tools(relationship: SupportRelationship) -> list[ObservationTool]:
    if relationship.program_id is None:
        return []
    return list(
        ObservationTool.objects.active()
        .filter(program_id=relationship.program_id)
        .order_by("name", "pk")
    )


def observation_new(request: AuthedRequest, code) -> HttpResponse:
    """Fill in an observation: pick the tool (when the program offers several), then score
    each domain or tick the look-fors seen. `?visit=` ties it to a visit of the relationship."""
    relationship = _relationship(request, code, "relationships.open_relationship_page")
    if not rules.test_rule("observations.record_observation", request.user, relationship):
        raise PermissionDenied(gettext("Only the mentor or coach fills in an observation."))
    visit = None
    if visit_code := request.GET.get("visit"):
        visit = (
            relationship.visits.exclude(status=Visit.Status.CANCELLED)
            .filter(code=_uuid_or_404(visit_code))
            .first()
        )
        if visit is None:
            raise Http404("No such visit.")
    tools = _offered_tools(relationship)
    chosen = request.POST.get("tool") or request.GET.get("tool")
    tool = next((tool for tool in tools if str(tool.code) == chosen), None)
    if tool is None and len(tools) == 1:
        tool = tools[0]
    if tool is None:
        return render(
            request,
            "observations/observation_choose.html",
            {"relationship": relationship, "tools": tools, "visit": visit},
        )
    domains = list(tool.domains.filter(retired_at__isnull=True).prefetch_related("items"))
    visits = (
        []
        if visit is not None
        else list(
            relationship.visits.exclude(status=Visit.Status.CANCELLED).order_by("-date", "-pk")[
                :VISITS_OFFERED
            ]
        )
    )
    initial = {"observed_on": min(visit.date, clock.today()) if visit else clock.today()}
    form = ObservationForm(
        posted(request),
        initial=initial,
        tool=tool,
        domains=domains,
        visits=visits,
        fixed_visit=visit,
    )
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.observation_record(
                relationship=relationship,
                tool=tool,
                by=request.user,
                **form.observation(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("The observation is saved."))
            return redirect(observation.get_absolute_url())
    return render(
        request,
        "observations/observation_form.html",
        {
            "relationship": relationship,
            "tool": tool,
            "tools": tools,
            "visit": visit,
            "form": form,
        },
    )


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("Not found.") from None


def _readable_observation(request: AuthedRequest, code) -> Observation:
    """The observation with this code if the person reads it; else a 404."""
    observation = get_object_or_404(
        Observation.objects.select_related(
            "relationship__program",
            "relationship__mentor",
            "relationship__protege",
            "relationship__team",
            "tool",
            "visit",
            "author",
        ),
        code=code,
    )
    if not rules.test_rule("observations.read_observation", request.user, observation):
        raise Http404("No Observation matches the given query.")
    return observation


def observation_detail(request: AuthedRequest, code) -> HttpResponse:
    observation = _readable_observation(request, code)
    relationship = observation.relationship
    if conversation_since(request.user, relationship) is not None:
        # A coordinator of a program that shares logs: in the access log (docs/design.md, Audit).
        record_read(
            request,
            [
                Read(
                    kind="relationship",
                    what=f"An observation ({observation.tool.name}) of "
                    f"{observation.observed_on.isoformat()}",
                    relationship_id=relationship.pk,
                    program_id=relationship.program_id,
                    visit_id=observation.visit_id,
                )
            ],
        )
    scores = list(observation.scores.select_related("domain").order_by("domain__order", "pk"))
    checks = list(observation.checks.select_related("item").order_by("item__order", "item__pk"))
    by_domain = {
        score.domain_id: [check for check in checks if check.item.domain_id == score.domain_id]
        for score in scores
    }
    return render(
        request,
        "observations/observation_detail.html",
        {
            "observation": observation,
            "relationship": relationship,
            "tool": observation.tool,
            "rows": [(score, by_domain[score.domain_id]) for score in scores],
            "is_mentor": relationship.mentor_id == request.user.pk,
            "corrected": _last_correction(observation),
            "can_change": rules.test_rule(
                "observations.change_observation", request.user, observation
            ),
        },
    )


def _last_correction(observation: Observation):
    """When the observation was last corrected (a datetime), or None (one query)."""
    return (
        observation.history.filter(history_type="~")
        .order_by("-history_date", "-history_id")
        .values_list("history_date", flat=True)
        .first()
    )


def observation_edit(request: AuthedRequest, code) -> HttpResponse:
    """Its author corrects an observation: the day, the visit, the scores or look-fors seen,
    the notes. Those who read it but may not change it get a 403; everyone else, a 404."""
    observation = _readable_observation(request, code)
    if not rules.test_rule("observations.change_observation", request.user, observation):
        raise PermissionDenied(gettext("Only the mentor or coach who made it corrects it."))
    relationship, tool = observation.relationship, observation.tool
    scores = list(
        observation.scores.select_related("domain").order_by("domain__order", "domain_id")
    )
    checks = list(observation.checks.select_related("item").order_by("item__order", "item_id"))
    domains = [score.domain for score in scores]
    # A checklist's look-fors: the ones it was made with. A rubric's indicators: its domains'
    # current ones (one query).
    listed = (
        [check.item for check in checks]
        if checks
        else list(
            ObservationItem.objects.filter(domain__in=domains, retired_at__isnull=True).order_by(
                "order", "pk"
            )
        )
    )
    items = {
        domain.pk: [item for item in listed if item.domain_id == domain.pk] for domain in domains
    }
    visits = list(
        relationship.visits.exclude(status=Visit.Status.CANCELLED).order_by("-date", "-pk")[
            :VISITS_OFFERED
        ]
    )
    if observation.visit is not None and observation.visit not in visits:
        visits.append(observation.visit)
    initial: dict[str, object] = {
        "observed_on": observation.observed_on,
        "visit": str(observation.visit.code) if observation.visit is not None else "",
        "note": observation.note,
    }
    for score in scores:
        initial[f"note_{score.domain_id}"] = score.note
        if tool.is_rubric:
            initial[f"score_{score.domain_id}"] = "" if score.score is None else str(score.score)
        else:
            initial[f"seen_{score.domain_id}"] = [
                str(check.item_id)
                for check in checks
                if check.seen and check.item.domain_id == score.domain_id
            ]
    form = ObservationForm(
        posted(request),
        initial=initial,
        tool=tool,
        domains=domains,
        visits=visits,
        items=items,
    )
    version = versions.carry(form, request, lambda: services.observation_values(observation))
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_update(
                observation=observation,
                by=request.user,
                **form.observation(),
                version=version,
            )
        except versions.EditConflict as conflict:
            versions.show_conflict(form, conflict, keep_url=observation.get_absolute_url())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("Your changes are saved."))
            return redirect(observation.get_absolute_url())
    return render(
        request,
        "observations/observation_form.html",
        {
            "relationship": relationship,
            "tool": tool,
            "tools": [tool],
            "visit": None,
            "form": form,
            "observation": observation,
        },
    )


def relationship_observations(request: AuthedRequest, code) -> HttpResponse:
    """A relationship's observations and their scores over time, a chart per tool."""
    relationship = _relationship(request, code, "relationships.read_conversation")
    user = request.user
    observations = (
        readable_observations(relationship, user)
        .select_related("tool", "author", "visit")
        .order_by("-observed_on", "-pk")
    )
    page = Paginator(observations, PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = rules.test_rule("observations.record_observation", user, relationship)
    return render(
        request,
        "observations/relationship_observations.html",
        {
            "relationship": relationship,
            "page_obj": page,
            "observations": page.object_list,
            "tool_scores": relationship_scores(relationship, user),
            "can_record": can_record and bool(_offered_tools(relationship)),
            "is_mentor": relationship.mentor_id == user.pk,
        },
    )


def goal_measure(request: AuthedRequest, code) -> HttpResponse:
    """Measure a goal by a domain of one of the program's tools, or by its own data points."""
    goal = get_object_or_404(
        Goal.objects.select_related("relationship__program", "relationship__mentor"), code=code
    )
    if not rules.test_rule("goals.read_goal", request.user, goal):
        raise Http404("No Goal matches the given query.")
    if not rules.test_rule("goals.work_on_goal", request.user, goal):
        raise PermissionDenied(gettext("Only the goal's people choose how it is measured."))
    relationship = goal.relationship
    domains = (
        list(
            ObservationDomain.objects.filter(
                tool__program_id=relationship.program_id,
                tool__active=True,
                retired_at__isnull=True,
            )
            .select_related("tool")
            .order_by("tool__name", "tool_id", "order", "pk")
        )
        if relationship.program_id
        else []
    )
    current = GoalDomainMeasure.objects.filter(goal=goal).first()
    form = MeasureForm(
        posted(request),
        domains=domains,
        initial={"domain": str(current.domain_id) if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_domain_measure_set(goal=goal, domain=form.chosen(), by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("How the goal is measured is saved."))
            return redirect(goal.get_absolute_url())
    return render(
        request,
        "observations/goal_measure.html",
        {
            "goal": goal,
            "relationship": relationship,
            "form": form,
            "domains": domains,
            "back": reverse("goals:detail", args=[goal.code]),
        },
    )
