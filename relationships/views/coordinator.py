"""The coordinator's side of relationships: matching a protégé or a classroom team with a mentor
or coach (suggested and ranked by fit), creating and editing classroom teams, and pausing,
resuming or ending a relationship with a reason.

The supervision firewall is enforced by relationships.services; these views only make sure
its refusal is shown next to the field, whatever the form was made to send.
"""

import datetime
from collections.abc import Callable
from typing import Any

import rules
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock
from core.http import AuthedRequest
from core.names import person_name
from core.querytools import subquery_count
from programs.forms import add_service_error
from programs.models import Program, role_for_kind
from programs.views.access import managed_program, posted, refuse_if_read_only
from relationships import matching, services
from relationships.forms_coordinator import (
    EndForm,
    MatchForm,
    MatchTargetForm,
    PauseForm,
    ResumeForm,
    TeamForm,
)
from relationships.models import ClassroomTeam, SupportRelationship

PAGE_SIZE = 25
SUGGESTIONS = 8


def _default_end(program: Program, start: datetime.date) -> datetime.date | None:
    end = None
    if program.typical_duration_weeks:
        end = start + datetime.timedelta(weeks=program.typical_duration_weeks)
    if program.ends_on and (end is None or end > program.ends_on) and program.ends_on >= start:
        end = program.ends_on
    return end


def _target(program: Program, data: dict) -> matching.Target:
    enrollment = data.get("protege")
    return matching.Target(
        program=program,
        kind=data["kind"],
        protege=enrollment.person if enrollment else None,
        team=data.get("team"),
    )


def _ranked(target: matching.Target) -> tuple[list[matching.Suggestion], list[User]]:
    """The best few candidates with why, and everyone else eligible."""
    ranked = matching.candidates(target)
    suggestions = [matching.explain(candidate, target) for candidate in ranked[:SUGGESTIONS]]
    return suggestions, [candidate.person for candidate in ranked[SUGGESTIONS:]]


MATCH_PAGE = "relationships/coordinator/supportrelationship_match.html"


def match(request: AuthedRequest, program) -> HttpResponse:
    """Match a protégé or a classroom team with a mentor or coach."""
    program = managed_program(request, program)
    if program.is_read_only:
        messages.warning(request, program.read_only_message)
        return redirect("programs:detail", code=program.code)
    context: dict[str, object] = {"program": program}

    if request.method == "POST":
        form = MatchForm(request.POST, program=program)
        target_form = MatchTargetForm(request.POST, program=program)
        if not target_form.is_valid():
            return render(request, MATCH_PAGE, {**context, "target_form": target_form})
        target = _target(program, target_form.cleaned_data)
        suggestions, others = _ranked(target)
        form.set_candidates(suggestions, others)
        if form.is_valid() and (created := _match_create(request, program, form, target)):
            return created
    else:
        target_form = MatchTargetForm(request.GET or None, program=program)
        if not request.GET or not target_form.is_valid():
            return render(request, MATCH_PAGE, {**context, "target_form": target_form})
        target = _target(program, target_form.cleaned_data)
        suggestions, others = _ranked(target)
        form = MatchForm(initial=_match_initial(program, target_form, suggestions), program=program)
        form.set_candidates(suggestions, others)

    form.move_errors_of_fields_not_shown()
    if not form.can_choose:
        # Nobody to choose: say why, and offer only the ways out.
        context["nobody_enrolled"] = not matching.eligible_mentors(program, target.kind).exists()
    return render(
        request,
        MATCH_PAGE,
        {
            **context,
            "form": form,
            "target": target,
            "suggestions": suggestions,
            "others": others,
            "looks_like_coaching": target.kind == "mentoring" and target.team is not None,
            "supporting_role": role_for_kind(target.kind),
        },
    )


def _match_initial(
    program: Program, target_form: MatchTargetForm, suggestions: list[matching.Suggestion]
) -> dict[str, object]:
    """Step two as it opens: step one's choices, the best suggestion, from today on."""
    start = clock.today()
    initial = {
        "format": target_form.cleaned_data["format"],
        "protege": target_form.cleaned_data.get("protege"),
        "team": target_form.cleaned_data.get("team"),
        "kind": target_form.cleaned_data["kind"],
        "starts_on": start,
        "planned_end_on": _default_end(program, start),
        "meeting_arrangement": "mentor_visits",
    }
    if suggestions:
        initial["mentor"] = suggestions[0].person.pk
    return initial


def _match_create(
    request: AuthedRequest, program: Program, form: MatchForm, target: matching.Target
) -> HttpResponse | None:
    """Create the relationship a valid step two chose and go to the program's dashboard; None
    when the services refuse it (the reason is then on the form)."""
    data = form.cleaned_data
    mentor = data["chosen_mentor"]
    mentor_field = "other_mentor" if data.get("other_mentor") else "mentor"
    try:
        # The firewall first, so a supervisor is refused with its own reason.
        services.check_firewall(
            mentor=mentor,
            people=services.supported_people(protege=target.protege, team=target.team),
        )
        relationship = services.relationship_create(
            mentor=mentor,
            kind=data["kind"],
            program=program,
            protege=target.protege,
            team=target.team,
            meeting_arrangement=data["meeting_arrangement"],
            starts_on=data["starts_on"],
            planned_end_on=data["planned_end_on"],
            by=request.user,
        )
    except ValidationError as error:
        add_service_error(form, error, {"mentor": mentor_field})
        return None
    if relationship.kind == "coaching":
        matched = _("%(mentor)s now coaches %(supported)s.")
    else:
        matched = _("%(mentor)s now mentors %(supported)s.")
    messages.success(request, matched % {"mentor": person_name(mentor), "supported": target.name})
    load = SupportRelationship.objects.open().filter(mentor=mentor).count()
    profile = getattr(mentor, "mentor_profile", None)
    limit = profile.caseload_limit if profile else matching.DEFAULT_LIMIT
    if load > limit:
        messages.warning(
            request,
            _("%(mentor)s is now over their caseload limit (%(load)s of %(limit)s).")
            % {"mentor": person_name(mentor), "load": load, "limit": limit},
        )
    return redirect("programs:detail", code=program.code)


# Classroom teams ---------------------------------------------------------------------------


def team_list(request: AuthedRequest, program) -> HttpResponse:
    program = managed_program(request, program)
    members = ClassroomTeam.members.through.objects.filter(classroomteam=OuterRef("pk"))
    teams = (
        ClassroomTeam.objects.filter(program=program)
        .select_related("site")
        .annotate(
            member_count=subquery_count(members),
            open_relationships=subquery_count(
                SupportRelationship.objects.open().filter(team=OuterRef("pk"))
            ),
        )
        .order_by("archived_at", "name", "pk")
    )
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "relationships/coordinator/classroomteam_list.html",
        {"program": program, "page_obj": page, "teams": page.object_list},
    )


def _team_page(
    request: AuthedRequest, program: Program, form: TeamForm, team: ClassroomTeam | None
) -> HttpResponse:
    """Save a posted team and go back to the list; else the form (with what was wrong)."""
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.program = program
        try:
            services.team_save(team=saved, members=form.cleaned_data["members"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(team)s is saved.") % {"team": saved.name})
            return redirect("relationships:team_list", program=program.code)
    return render(
        request,
        "relationships/coordinator/classroomteam_form.html",
        {"program": program, "form": form, "team": team},
    )


def team_create(request: AuthedRequest, program) -> HttpResponse:
    program = managed_program(request, program)
    if refused := refuse_if_read_only(request, program, "relationships:team_list"):
        return refused
    return _team_page(request, program, TeamForm(posted(request), program=program), None)


def team_edit(request: AuthedRequest, code) -> HttpResponse:
    team = get_object_or_404(ClassroomTeam.objects.visible_to(request.user), code=code)
    program = team.program
    if program is None or not rules.test_rule("programs.manage_program", request.user, program):
        raise PermissionDenied(_("Only the program's coordinators edit its teams."))
    if refused := refuse_if_read_only(request, program, "relationships:team_list"):
        return refused
    form = TeamForm(posted(request), instance=team, program=program)
    return _team_page(request, program, form, team)


# Pause, resume, end --------------------------------------------------------------------------


def _managed_relationship(request: AuthedRequest, code) -> tuple[SupportRelationship, Program]:
    """A relationship of a program the person coordinates, and that program."""
    relationship = get_object_or_404(
        SupportRelationship.objects.visible_to(request.user).select_related(
            "program", "mentor", "protege", "team"
        ),
        code=code,
    )
    program = relationship.program
    if program is None or not rules.test_rule(
        "relationships.manage_relationship", request.user, relationship
    ):
        raise PermissionDenied(_("Only the program's coordinators pause or end relationships."))
    if program.is_read_only:
        raise PermissionDenied(program.read_only_message)
    return relationship, program


# What a status change does with the relationship and the form's cleaned data.
type Change = Callable[[SupportRelationship, dict[str, Any]], object]


def _status_change(
    request: AuthedRequest,
    code,
    *,
    action: str,
    form_class: type[PauseForm | ResumeForm | EndForm],
    change: Change,
    done: str,
) -> HttpResponse:
    """The pause, resume and end pages: the form, then `change(relationship, cleaned_data)`
    through the service, then back where the coordinator came from (the relationship page when
    the link says `?from=relationship`, else the dashboard), saying the relationship `done`."""
    relationship, program = _managed_relationship(request, code)
    if request.GET.get("from") == "relationship":
        back = relationship.get_absolute_url()
    else:
        back = reverse("programs:detail", kwargs={"code": program.code})
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            change(relationship, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error, {"end_reason": "reason"})
        else:
            name = relationship.supported_name
            messages.success(request, done % {"name": name})
            return redirect(back)
    return render(
        request,
        f"relationships/coordinator/supportrelationship_{action}.html",
        {
            "relationship": relationship,
            "program": program,
            "form": form,
            "back": back,
        },
    )


def relationship_pause(request: AuthedRequest, code) -> HttpResponse:
    def pause(relationship: SupportRelationship, data: dict[str, Any]) -> None:
        services.relationship_pause(relationship=relationship, reason=data["reason"])

    return _status_change(
        request,
        code,
        action="pause",
        form_class=PauseForm,
        change=pause,
        done=_("The relationship with %(name)s is paused."),
    )


def relationship_resume(request: AuthedRequest, code) -> HttpResponse:
    def resume(relationship: SupportRelationship, data: dict[str, Any]) -> None:
        services.relationship_resume(relationship=relationship)

    return _status_change(
        request,
        code,
        action="resume",
        form_class=ResumeForm,
        change=resume,
        done=_("The relationship with %(name)s is active again."),
    )


def relationship_end(request: AuthedRequest, code) -> HttpResponse:
    def end(relationship: SupportRelationship, data: dict[str, Any]) -> None:
        services.relationship_end(
            relationship=relationship,
            reason=data["reason"],
            completed=data["outcome"] == "completed",
            ended_on=data["ended_on"],
        )

    return _status_change(
        request,
        code,
        action="end",
        form_class=EndForm,
        change=end,
        done=_("The relationship with %(name)s has ended."),
    )
