"""My support: each relationship that supports a protégé, side by side, with its goals.

It reads relationships and goals together, so it sits above both (docs/design.md, the layers);
its URL stays in the relationships namespace (mentoring_site/urls.py). Relationships come from
the conversation tier (`supported_relationship_ids`), so a protégé's supervisor reaches none
of them.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.names import person_name
from core.querytools import subquery_count
from goals.charts import progress_chart
from goals.models import ActionStep, Goal, ProgressEntry
from goals.owners import step_owner
from programs.models import Supervision
from programs.role_descriptions import describe
from relationships import firewall
from relationships.models import Acknowledgement, SupportRelationship, Visit
from relationships.views.protege import supported_relationship_ids


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
