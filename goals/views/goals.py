"""Goals for mentors, coaches and protégés: propose or assign, agree, action steps, progress
(recorded, and corrected or withdrawn by its author), close and reopen.

Goal pages are the shared-conversation tier: the people in the relationship (every member of a
team) and, when the program shares logs, its coordinators. A protégé's supervisor never gets
here (404). Seeing a goal but not being allowed to change it is a 403.
"""

import uuid

import rules
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import clock, versions
from core.access import Read, record_read
from core.http import AuthedRequest
from core.names import person_name
from goals import services
from goals.charts import progress_chart
from goals.forms import (
    ActionStepForm,
    GoalAssignForm,
    GoalCloseForm,
    GoalForm,
    ProgressCorrectForm,
    ProgressForm,
    StepDoneForm,
)
from goals.models import Goal, ProgressEntry
from goals.selectors import progress_points, step_rows
from goals.services import GOAL_FIELDS
from programs.forms import add_service_error
from relationships.lookups import get_permitted_or_404
from relationships.models import SupportRelationship
from relationships.rules import is_mentor, is_protege, is_supervisor

PEERS = (
    (_("Powerful"), _("will it make a real difference for the children?")),
    (_("Easy"), _("is it simple enough to start on tomorrow?")),
    (_("Emotionally compelling"), _("does it matter to the teacher?")),
    (_("Reachable"), _("can you measure it, and meet it in the time you have?")),
    (_("Student-focused"), _("does it name a change for the children?")),
)


def _role(user: User, relationship: SupportRelationship) -> str | None:
    """'mentor', 'protege' or None (coordinators who read shared logs, the firewall)."""
    if is_supervisor(user, relationship):
        return None
    if is_mentor(user, relationship):
        return "mentor"
    if is_protege(user, relationship):
        return "protege"
    return None


def _relationship(request: AuthedRequest, code) -> SupportRelationship:
    relationship = get_permitted_or_404(
        SupportRelationship.objects.select_related("program", "protege", "team", "mentor"),
        rule="relationships.read_conversation",
        user=request.user,
        code=code,
    )
    if _role(request.user, relationship) is None or not relationship.is_open:
        raise PermissionDenied("Only the people in an open relationship set its goals.")
    return relationship


def _goal(request: AuthedRequest, code) -> Goal:
    return get_permitted_or_404(
        Goal.objects.select_related(
            "relationship",
            "relationship__program",
            "relationship__protege",
            "relationship__team",
            "relationship__mentor",
            "template",
            "created_by",
        ),
        rule="goals.read_goal",
        user=request.user,
        code=code,
    )


def _working_goal(request: AuthedRequest, code, *, mentor_only: bool = False) -> Goal:
    goal = _goal(request, code)
    if not rules.test_rule("goals.work_on_goal", request.user, goal):
        raise PermissionDenied("Only the people in an open relationship work on its goals.")
    if mentor_only and _role(request.user, goal.relationship) != "mentor":
        raise PermissionDenied("The mentor or coach does this.")
    return goal


def _focus_areas(relationship: SupportRelationship) -> list[str]:
    return relationship.program.focus_area_list() if relationship.program else []


# Setting goals --------------------------------------------------------------------------------


def goal_create(request: AuthedRequest, code) -> HttpResponse:
    """Propose a collaborative goal (the mentor, coach or protégé): the author agrees by
    proposing it, the other person agrees next."""
    relationship = _relationship(request, code)
    program = relationship.program
    role = _role(request.user, relationship)
    if program is not None and not program.allows_collaborative_goals:
        if role == "mentor":
            messages.info(
                request, gettext("This program prescribes its goals: choose a goal template.")
            )
            return redirect("goals:assign", code=relationship.code)
        raise PermissionDenied("This program's goals come from its templates.")
    focus_areas = _focus_areas(relationship)
    form = GoalForm(request.POST or None, focus_areas=focus_areas)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_propose(
                relationship=relationship,
                by=request.user,
                **{name: form.cleaned_data[name] for name in GOAL_FIELDS},
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if role != "mentor":
                notice = gettext(
                    "Goal proposed. It becomes agreed once your mentor or coach agrees to it too."
                )
            elif relationship.is_team:
                notice = gettext("Goal proposed. It becomes agreed once the team agrees to it too.")
            else:
                notice = gettext(
                    "Goal proposed. It becomes agreed once the protégé agrees to it too."
                )
            messages.success(request, notice)
            return redirect(goal)
    return render(
        request,
        "goals/goal_form.html",
        {
            "form": form,
            "relationship": relationship,
            "peers": PEERS,
            "focus_areas": focus_areas,
            "role": role,
            "mode": "create",
        },
    )


def goal_edit(request: AuthedRequest, code) -> HttpResponse:
    """Change an open goal; a changed proposal needs the other person's agreement again."""
    goal = _working_goal(request, code)
    if not goal.is_open:
        messages.info(request, gettext("Reopen the goal before changing it."))
        return redirect(goal)
    relationship = goal.relationship
    focus_areas = _focus_areas(relationship)
    form = GoalForm(request.POST or None, instance=goal, focus_areas=focus_areas)
    version = versions.carry(form, request, lambda: versions.values_of(goal, GOAL_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                goal=goal,
                by=request.user,
                version=version,
                **{name: form.cleaned_data[name] for name in GOAL_FIELDS},
            )
        except versions.EditConflict as conflict:
            versions.show_conflict(form, conflict, keep_url=goal.get_absolute_url())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("The goal is saved."))
            return redirect(goal)
    return render(
        request,
        "goals/goal_form.html",
        {
            "form": form,
            "goal": goal,
            "relationship": relationship,
            "peers": PEERS,
            "focus_areas": focus_areas,
            "role": _role(request.user, relationship),
            "mode": "edit",
        },
    )


def goal_assign(request: AuthedRequest, code) -> HttpResponse:
    """The mentor or coach assigns one of the program's prescribed goal templates."""
    relationship = _relationship(request, code)
    if _role(request.user, relationship) != "mentor":
        raise PermissionDenied("The mentor or coach assigns prescribed goals.")
    program = relationship.program
    if program is None or not program.allows_prescribed_goals:
        messages.info(request, gettext("Goals here are written together, not prescribed."))
        return redirect("goals:create", code=relationship.code)
    templates = program.goal_templates.active().order_by("-required", "title")
    form = GoalAssignForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_assign_prescribed(
                relationship=relationship,
                by=request.user,
                template=form.cleaned_data["template"],
                **form.goal_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("Goal assigned: %(title)s.") % {"title": goal.title})
            return redirect(goal)
    return render(
        request,
        "goals/goal_assign.html",
        {
            "form": form,
            "relationship": relationship,
            "templates": list(templates),
            "assigned_template_ids": set(
                relationship.goals.open().values_list("template_id", flat=True)
            ),
        },
    )


# The goal page ---------------------------------------------------------------------------------


def goal_detail(request: AuthedRequest, code) -> HttpResponse:
    goal = _goal(request, code)
    relationship = goal.relationship
    user = request.user
    role = _role(user, relationship)
    can_work = rules.test_rule("goals.work_on_goal", user, goal)
    points = progress_points(goal, user, can_work=can_work)
    steps = step_rows(
        goal.action_steps.select_related("done_by"), relationship, role, can_work=can_work
    )
    program = relationship.program
    if role is None:  # a coordinator who reads shared logs: in the access log
        record_read(
            request,
            [
                Read(
                    kind="goal",
                    what=f"The goal “{goal.title}”",
                    relationship_id=relationship.pk,
                    program_id=relationship.program_id,
                    goal_id=goal.pk,
                )
            ],
        )
    my_agreement = (
        (goal.mentor_agreed_at if role == "mentor" else goal.protege_agreed_at) if role else None
    )
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "relationship": relationship,
            "role": role,
            "is_mentor": role == "mentor",
            "can_work": can_work,
            "entries": points.current,
            "withdrawn": points.withdrawn,
            "steps": steps,
            "chart": progress_chart(goal, points.entries),
            "can_agree": can_work and goal.status == Goal.Status.PROPOSED and not my_agreement,
            "can_record": can_work
            and goal.status in (Goal.Status.AGREED, Goal.Status.IN_PROGRESS)
            and (role == "mentor" or program is None or program.proteges_record_progress),
            "progress_form": ProgressForm(
                goal=goal, initial={"date": clock.today()}, prefix="progress"
            ),
            "step_form": ActionStepForm(prefix="step", relationship=relationship, reader_role=role),
        },
    )


def goal_agree(request: AuthedRequest, code) -> HttpResponse:
    """Agree to a proposed goal (mentor, coach, protégé or team member). GET asks first."""
    goal = _working_goal(request, code)
    if request.method == "POST":
        try:
            services.goal_agree(goal=goal, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if goal.status == Goal.Status.AGREED:
                messages.success(
                    request, gettext("You agreed: the goal is now agreed by both of you.")
                )
            else:
                messages.success(
                    request, gettext("You agreed. The goal waits for the other person.")
                )
        return redirect(goal)
    return render(request, "goals/goal_agree.html", {"goal": goal, "peers": PEERS})


def goal_close(request: AuthedRequest, code) -> HttpResponse:
    goal = _working_goal(request, code, mentor_only=True)
    if not goal.is_open:
        messages.info(request, gettext("This goal is already closed."))
        return redirect(goal)
    form = GoalCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_close(
                goal=goal,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error, {"close_reason": "reason"})
        else:
            messages.success(
                request,
                gettext("The goal is closed: %(status)s.")
                % {"status": goal.get_status_display().lower()},
            )
            return redirect(goal)
    return render(request, "goals/goal_close.html", {"goal": goal, "form": form})


def goal_reopen(request: AuthedRequest, code) -> HttpResponse:
    goal = _working_goal(request, code, mentor_only=True)
    if goal.is_open:
        messages.info(request, gettext("This goal is open already."))
        return redirect(goal)
    if request.method == "POST":
        try:
            services.goal_reopen(goal=goal, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("The goal is open again."))
        return redirect(goal)
    return render(request, "goals/goal_reopen.html", {"goal": goal})


# Action steps and progress ---------------------------------------------------------------------


def step_add(request: AuthedRequest, code) -> HttpResponse:
    goal = _working_goal(request, code)
    form = ActionStepForm(
        request.POST or None,
        prefix="step",
        relationship=goal.relationship,
        reader_role=_role(request.user, goal.relationship),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_step_add(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("Action step added."))
            return redirect(reverse("goals:detail", kwargs={"code": goal.code}) + "#steps")
    return render(request, "goals/actionstep_form.html", {"goal": goal, "form": form})


def step_done(request: AuthedRequest, code) -> HttpResponse:
    """Mark an action step done (or not done). The step is named in the POST body."""
    goal = _working_goal(request, code)
    if request.method == "POST":
        form = StepDoneForm(request.POST, goal=goal)
        if form.is_valid():
            try:
                step = services.action_step_mark_done(
                    step=form.cleaned_data["step"],
                    by=request.user,
                    done=form.cleaned_data["done"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if not form.cleaned_data["done"]:
                    messages.success(request, gettext("Step marked not done."))
                elif step.done_by_id != request.user.pk:  # marked while this page was open
                    messages.info(
                        request,
                        gettext("%(name)s had already marked this step done.")
                        % {"name": person_name(step.done_by)},
                    )
                else:
                    messages.success(request, gettext("Step marked done."))
        else:
            messages.error(request, gettext("That action step is not part of this goal."))
        return redirect(reverse("goals:detail", kwargs={"code": goal.code}) + "#steps")
    role = _role(request.user, goal.relationship)
    steps = step_rows(goal.action_steps.select_related("done_by"), goal.relationship, role)
    return render(request, "goals/actionstep_list.html", {"goal": goal, "steps": steps})


def progress_record(request: AuthedRequest, code) -> HttpResponse:
    """Record a progress data point, on its own or at a visit (?visit=<code> preselects it)."""
    goal = _working_goal(request, code)
    program = goal.relationship.program
    if (
        _role(request.user, goal.relationship) == "protege"
        and program is not None
        and not program.proteges_record_progress
    ):
        raise PermissionDenied("In this program, the mentor or coach records progress.")
    initial = {"date": clock.today()}
    visit_code = request.GET.get("visit")
    if visit_code:
        visit = goal.relationship.visits.logged().filter(code=_uuid_or_none(visit_code)).first()
        if visit:
            initial.update({"visit": visit.code, "date": visit.date})
    form = ProgressForm(request.POST or None, goal=goal, initial=initial, prefix="progress")
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_record(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, gettext("Progress recorded: it is on the chart."))
            return redirect(reverse("goals:detail", kwargs={"code": goal.code}) + "#progress")
    return render(request, "goals/progressentry_form.html", {"goal": goal, "form": form})


def _own_point(request: AuthedRequest, code) -> ProgressEntry:
    """A progress point of a goal the person may read (else 404) that they recorded and still
    work on (else 403)."""
    entry = get_permitted_or_404(
        ProgressEntry.objects.select_related(
            "goal",
            "goal__relationship",
            "goal__relationship__program",
            "goal__relationship__protege",
            "goal__relationship__team",
            "goal__relationship__mentor",
        ),
        rule="goals.read_progress_entry",
        user=request.user,
        code=code,
    )
    if not rules.test_rule("goals.change_progress_entry", request.user, entry):
        raise PermissionDenied("Only the person who recorded a point corrects or withdraws it.")
    return entry


def _progress_url(goal: Goal) -> str:
    return reverse("goals:detail", kwargs={"code": goal.code}) + "#progress"


def _unchangeable(request: AuthedRequest, entry: ProgressEntry) -> HttpResponse | None:
    """Back to the goal page, saying why, when the point can no longer change."""
    if entry.is_withdrawn:
        messages.info(request, gettext("This point has been withdrawn."))
    elif not entry.goal.is_open:
        messages.info(request, gettext("This goal is closed; reopen it to change its progress."))
    else:
        return None
    return redirect(_progress_url(entry.goal))


def progress_correct(request: AuthedRequest, code) -> HttpResponse:
    """Correct a progress point entered by mistake (its author): date, value, note."""
    entry = _own_point(request, code)
    goal = entry.goal
    if back := _unchangeable(request, entry):
        return back
    form = ProgressCorrectForm(request.POST or None, instance=entry, goal=goal, prefix="progress")
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_correct(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, gettext("The point is corrected: the chart shows it as it is now.")
            )
            return redirect(_progress_url(goal))
    return render(
        request, "goals/progressentry_correct.html", {"goal": goal, "entry": entry, "form": form}
    )


def progress_withdraw(request: AuthedRequest, code) -> HttpResponse:
    """Withdraw a progress point entered by mistake (its author). GET asks first."""
    entry = _own_point(request, code)
    goal = entry.goal
    if back := _unchangeable(request, entry):
        return back
    if request.method == "POST":
        try:
            services.progress_withdraw(entry=entry, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, gettext("The point is withdrawn: it is no longer on the chart or counted.")
            )
        return redirect(_progress_url(goal))
    return render(request, "goals/progressentry_withdraw.html", {"goal": goal, "entry": entry})


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
