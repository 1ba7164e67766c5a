"""The protégé's workspace: who supports them and how, their feedback, acknowledging a log,
and their own settings.

Lists are fetched through the conversation-tier querysets, and the one log a page is about is
checked with the same tier's rule, so a protégé's supervisor (or anyone outside the
relationship) reaches none of it: out of scope is a 404.
"""

import datetime
from dataclasses import dataclass

import rules
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from goals.charts import progress_chart
from goals.models import ActionStep, Goal, ProgressEntry
from goals.owners import step_owner
from programs.names import person_name
from programs.querytools import CountingPaginator, subquery_count
from programs.role_descriptions import describe
from relationships import firewall, person_roles, services
from relationships.forms_protege import AcknowledgeForm, CalendarFeedForm, PersonSettingsForm
from relationships.lookups import get_permitted_or_404
from relationships.models import (
    Acknowledgement,
    PersonSettings,
    Supervision,
    SupportRelationship,
    Visit,
)

PAGE_SIZE = 25


def supported_relationships(user: User) -> QuerySet[SupportRelationship]:
    """Relationships in which `user` is supported: as the protégé, or as a team member.

    Built on the conversation tier, so the firewall (a supervisor never reads them) holds here
    too, whatever else the person is.
    """
    return (
        SupportRelationship.objects.conversation_visible_to(user)
        .filter(Q(protege=user) | Q(team__in=user.classroom_teams.values("pk")))
        .exclude(mentor=user)
    )


def supported_relationship_ids(user: User) -> list[int]:
    """The ids of `supported_relationships(user)`, as a list (a person has a few supports).

    Pages filter by this list rather than by the scope as a subquery: beside their joins,
    PostgreSQL spent longer planning the subquery than running the page's query."""
    return list(supported_relationships(user).values_list("pk", flat=True))


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _not_supervisor_statement(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return f"{names[0]} is not your supervisor."
    if len(names) == 2:
        return f"Neither {names[0]} nor {names[1]} is your supervisor."
    return f"None of them ({_join_names(names)}) is your supervisor."


def _goal_sort_key(goal: Goal):
    waiting = goal.status == Goal.Status.PROPOSED and goal.protege_agreed_at is None
    return (not waiting, not goal.is_open, -goal.created_at.timestamp())


def _prepare_goal(goal: Goal, user: User) -> Goal:
    goal.waits_for_me = goal.status == Goal.Status.PROPOSED and goal.protege_agreed_at is None
    goal.waits_for_mentor = (
        goal.status == Goal.Status.PROPOSED
        and goal.protege_agreed_at is not None
        and goal.mentor_agreed_at is None
    )
    entries = list(goal.progress_entries.all())
    goal.chart = progress_chart(goal, entries, compact=True) if entries else None
    goal.chart_id = f"goal-chart-{goal.code}"
    steps = list(goal.action_steps.all())
    for step in steps:
        step.mine_to_mark = step.who != ActionStep.Who.MENTOR
        step.owner = step_owner(step.who, goal.relationship, "protege")
    goal.steps = steps
    goal.steps_done = sum(1 for step in steps if step.done_at)
    goal.latest = goal.chart["values"][-1] if goal.chart else None
    return goal


def _sharing(relationship: SupportRelationship, user: User, supervisor) -> dict:
    """What is shared with whom, in plain words, for one relationship."""
    program = relationship.program
    mentor = relationship.mentor_name
    teammates = []
    if relationship.team_id:
        teammates = [
            person_name(member)
            for member in relationship.team.members.all()
            if member.pk != user.pk
        ]
    coordinators = [person_name(person) for person in program.coordinators.all()] if program else []
    return {
        "teammates": _join_names(teammates),
        "coordinators": _join_names(coordinators),
        "coordinators_read": bool(program and program.coordinators_read_shared_logs),
        "shared_since": program.shared_logs_since if program else None,
        "mentor": mentor,
        "supervisor": person_name(supervisor) if supervisor else "",
    }


@dataclass(frozen=True)
class SupervisorChange:
    """One change of the supervisor recorded for a protégé, as they read it."""

    at: datetime.datetime
    by: str  # who made it; "" when the system did (seeding, an import)
    before: str  # the former supervisor's name, "" when none was recorded
    after: str  # the new one's, "" when none is recorded now

    @property
    def what(self) -> str:
        if self.before and self.after:
            return f"from {self.before} to {self.after}"
        if self.after:
            return f"{self.after} was recorded as your supervisor"
        return f"{self.before} is no longer recorded as your supervisor"


def supervisor_changes(user: User) -> list[SupervisorChange]:
    """Every change of this person's recorded supervisor, newest first (one query): a change
    closes one spell of `Supervision` and opens the next at the same instant."""
    changes: dict[tuple, dict] = {}
    spells = Supervision.objects.filter(protege=user).select_related(
        "supervisor", "recorded_by", "ended_by"
    )
    for spell in spells:
        name = person_name(spell.supervisor)
        if spell.started_at is not None:
            key = (spell.started_at, spell.recorded_by_id)
            change = changes.setdefault(key, {"by": spell.recorded_by, "before": ""})
            change["after"] = name
        if spell.ended_at is not None:
            key = (spell.ended_at, spell.ended_by_id)
            change = changes.setdefault(key, {"by": spell.ended_by, "after": ""})
            change["before"] = name
    return sorted(
        (
            SupervisorChange(
                at=at,
                by=person_name(change["by"]) if change["by"] else "",
                before=change.get("before", ""),
                after=change.get("after", ""),
            )
            for (at, _), change in changes.items()
        ),
        key=lambda change: change.at,
        reverse=True,
    )


def my_support(request: HttpRequest) -> HttpResponse:
    """Each relationship that supports this person, side by side, with its role explained."""
    user = request.user
    waiting_logs = Visit.objects.filter(
        relationship=OuterRef("pk"), status=Visit.Status.LOGGED
    ).exclude(Exists(Acknowledgement.objects.filter(visit=OuterRef("pk"), protege=user.pk)))
    goals = Goal.objects.order_by("-created_at", "-pk").prefetch_related(
        Prefetch("action_steps", queryset=ActionStep.objects.order_by("due_on", "pk")),
        Prefetch(
            "progress_entries", queryset=ProgressEntry.objects.current().order_by("date", "pk")
        ),
    )
    relationships = list(
        SupportRelationship.objects.filter(pk__in=supported_relationship_ids(user))
        .select_related(
            "program", "mentor", "mentor__mentor_profile__organization", "protege", "team"
        )
        .prefetch_related(
            "program__coordinators",
            Prefetch("team__members", queryset=User.objects.order_by("pk")),
            Prefetch("goals", queryset=goals),
        )
        .annotate(logs_waiting=subquery_count(waiting_logs))
        .order_by("starts_on", "pk")
    )
    # Mentoring first, then coaching: the order the help page explains them in.
    relationships.sort(key=lambda r: r.kind != SupportRelationship.Kind.MENTORING)
    profile = getattr(user, "protege_profile", None)
    supervisor = profile.supervisor if profile and profile.supervisor_id else None

    current, past = [], []
    waiting_goals = []
    for relationship in relationships:
        relationship.role_text = describe(relationship.program, relationship.kind)
        relationship.role_word = (
            "mentor" if relationship.kind == SupportRelationship.Kind.MENTORING else "coach"
        )
        relationship.mentor_profile = getattr(relationship.mentor, "mentor_profile", None)
        relationship.sharing = _sharing(relationship, user, supervisor)
        relationship.goal_list = sorted(
            (_prepare_goal(goal, user) for goal in relationship.goals.all()),
            key=_goal_sort_key,
        )
        program = relationship.program
        relationship.can_propose = relationship.is_open and (
            program is None or program.allows_collaborative_goals
        )
        relationship.can_record_progress = relationship.is_open and (
            program is None or program.proteges_record_progress
        )
        if relationship.is_open:
            current.append(relationship)
            waiting_goals.extend(
                (relationship, goal) for goal in relationship.goal_list if goal.waits_for_me
            )
        else:
            past.append(relationship)

    names = list(dict.fromkeys(relationship.mentor_name for relationship in current))
    context = {
        "current": current,
        "past": past,
        "waiting_goals": waiting_goals,
        "logs_waiting": sum(relationship.logs_waiting for relationship in current),
        "not_supervisor": _not_supervisor_statement(names),
        "supervisor": supervisor,
        "supervisor_changes": supervisor_changes(user),
        "former_supervisor_period": firewall.former_supervisor_period_words(),
    }
    return render(request, "relationships/protege/support_list.html", context)


# What a card of the feedback list shows: reading whole visits and programs (their JSON lists
# decoded on every row) cost more than the rest of the query at state scale.
FEEDBACK_LIST_FIELDS = (
    "code",
    "date",
    "start_time",
    "duration_minutes",
    "feedback",
    "protege_next_steps",
    "relationship__kind",
    "relationship__program__name",
    "relationship__team__name",
    "relationship__mentor__first_name",
    "relationship__mentor__last_name",
    "relationship__mentor__username",
)


def feedback(request: HttpRequest) -> HttpResponse:
    """Visit logs from this person's supports: those waiting for them first, then newest."""
    user = request.user
    logs = (
        Visit.objects.logged()
        .filter(relationship__in=supported_relationship_ids(user))
        .select_related("relationship__mentor", "relationship__program", "relationship__team")
        .only(*FEEDBACK_LIST_FIELDS)
        .annotate(
            acknowledged_by_me=Exists(
                Acknowledgement.objects.filter(visit=OuterRef("pk"), protege=user.pk)
            )
        )
        .order_by("acknowledged_by_me", "-date", "-start_time", "-pk")
    )
    page = CountingPaginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = sum(1 for visit in page.object_list if not visit.acknowledged_by_me)
    return render(
        request,
        "relationships/protege/visit_list.html",
        {"page_obj": page, "visits": page.object_list, "waiting_on_page": waiting},
    )


def visit_acknowledge(request: HttpRequest, code) -> HttpResponse:
    """Read a visit log and acknowledge it: one button co-signs the next steps; a reflection back
    and a private one are optional."""
    visit = get_permitted_or_404(
        Visit.objects.select_related(
            "relationship__mentor", "relationship__program", "relationship__team"
        ),
        rule="relationships.read_visit",
        user=request.user,
        code=code,
    )
    relationship = visit.relationship
    if not rules.test_rule("relationships.acknowledge_visit", request.user, relationship):
        raise PermissionDenied("Only the protégé of this relationship can acknowledge its logs.")
    mine = visit.acknowledgements.filter(protege=request.user).first()
    form = AcknowledgeForm(
        request.POST if request.method == "POST" else None,
        mentor_name=relationship.mentor_name,
    )
    if request.method == "POST":
        if mine is not None:
            messages.info(request, "You have already acknowledged this log.")
            return redirect("relationships:visit_acknowledge", code=visit.code)
        if form.is_valid():
            try:
                services.visit_acknowledge(
                    visit=visit,
                    by=request.user,
                    reflection=form.cleaned_data["reflection"],
                    private_reflection=form.cleaned_data["private_reflection"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                mentor = relationship.mentor_name
                messages.success(
                    request,
                    f"Thank you. {mentor} can see that you acknowledged the log of "
                    f"{visit.date:%B} {visit.date.day} and co-signed your next steps."
                    + (
                        f" Your reflection is there for {mentor} to read."
                        if form.cleaned_data["reflection"]
                        else ""
                    ),
                )
                return redirect("relationships:feedback")
    return render(
        request,
        "relationships/protege/visit_acknowledge.html",
        {
            "visit": visit,
            "relationship": relationship,
            "ack_form": form,
            "my_acknowledgement": mine,
        },
    )


def _calendar_url(person_settings: PersonSettings) -> str:
    """The private calendar feed link, once the mentor workspace provides the feed."""
    for name in ("relationships:calendar_feed", "relationships:calendar"):
        try:
            path = reverse(name, kwargs={"token": person_settings.calendar_token})
        except NoReverseMatch:
            continue
        return path
    return ""


def person_settings(request: HttpRequest) -> HttpResponse:
    """A person's own settings: their email address and the emails that concern them (by the
    roles the navigation bar keeps in the session, so no query), and their private calendar
    link and feed. Each part has its own button and saves only its own fields."""
    user = request.user
    current = PersonSettings.for_user(user)
    posted = request.POST if request.method == "POST" else None
    calendar_part = posted is not None and posted.get("part") == "calendar"
    form = PersonSettingsForm(
        None if calendar_part else posted,
        instance=current,
        user=user,
        roles=person_roles.session_roles(request),
    )
    calendar_form = CalendarFeedForm(posted if calendar_part else None, instance=current, user=user)
    if posted is not None:
        if "new_calendar_link" in posted:
            services.calendar_token_renew(user=user)
            messages.success(
                request,
                "You have a new calendar link. The old one no longer works: paste the new one "
                "into your calendar app.",
            )
            return redirect("relationships:settings")
        sent = calendar_form if calendar_part else form
        if sent.is_valid():
            try:
                saved = services.person_settings_save(user=user, **sent.settings())
            except ValidationError as error:
                sent.add_error(None, error)
            else:
                if not calendar_part:
                    notice = "Your settings are saved."
                elif saved.calendar_enabled:
                    notice = "Your calendar feed is on: your calendar link works."
                else:
                    notice = "Your calendar feed is off: your calendar link shows nothing."
                messages.success(request, notice)
                return redirect("relationships:settings")
    calendar_path = _calendar_url(current)
    return render(
        request,
        "relationships/protege/personsettings_form.html",
        {
            "form": form,
            "calendar_form": calendar_form,
            "person_settings": current,
            "calendar_url": request.build_absolute_uri(calendar_path) if calendar_path else "",
        },
    )
