"""My support: each relationship that supports a protégé, side by side, with its goals.

It reads relationships and goals together, so it sits above both (docs/design.md, the layers);
its URL stays in the relationships namespace (mentoring_site/urls.py). Relationships come from
the conversation tier (`supported_relationship_ids`), so a protégé's supervisor reaches none
of them.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from core.http import AuthedRequest
from core.names import person_name
from core.querytools import subquery_count
from goals.charts import ProgressChart, progress_chart
from goals.models import ActionStep, Goal, ProgressEntry
from goals.selectors import StepRow, step_rows
from programs.models import MentorProfile, ProtegeProfile, Supervision
from programs.organizations import Tree
from programs.role_descriptions import describe
from relationships import firewall
from relationships.models import Acknowledgement, SupportRelationship, Visit
from relationships.views.protege import supported_relationship_ids


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def _not_supervisor_statement(names: list[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return gettext("%(name)s is not your supervisor.") % {"name": names[0]}
    if len(names) == 2:
        return gettext("Neither %(first)s nor %(second)s is your supervisor.") % {
            "first": names[0],
            "second": names[1],
        }
    return gettext("None of them (%(names)s) is your supervisor.") % {"names": _join_names(names)}


@dataclass(frozen=True)
class GoalCard:
    """One goal of a relationship, as its protégé reads it on My support."""

    goal: Goal
    steps: list[StepRow]
    chart: ProgressChart | None  # None before the first progress point

    @property
    def waits_for_me(self) -> bool:
        return self.goal.status == Goal.Status.PROPOSED and self.goal.protege_agreed_at is None

    @property
    def waits_for_mentor(self) -> bool:
        return (
            self.goal.status == Goal.Status.PROPOSED
            and self.goal.protege_agreed_at is not None
            and self.goal.mentor_agreed_at is None
        )

    @property
    def steps_done(self) -> int:
        return sum(1 for row in self.steps if row.step.done_at)

    @property
    def chart_id(self) -> str:
        return f"goal-chart-{self.goal.code}"

    @property
    def sort_key(self) -> tuple[bool, bool, float]:
        """Waiting for the protégé first, then open goals, newest first."""
        return (not self.waits_for_me, not self.goal.is_open, -self.goal.created_at.timestamp())


def _goal_card(goal: Goal, relationship: SupportRelationship) -> GoalCard:
    """From the goal's prefetched action steps and current progress points (no queries)."""
    entries = list(goal.progress_entries.all())
    return GoalCard(
        goal=goal,
        steps=step_rows(goal.action_steps.all(), relationship, "protege"),
        chart=progress_chart(goal, entries, compact=True) if entries else None,
    )


@dataclass(frozen=True)
class Sharing:
    """What is shared with whom for one relationship, in plain words ("" for nobody)."""

    mentor: str
    teammates: str  # the protégé's teammates, when the relationship is a team's
    coordinators: str
    coordinators_read: bool  # the program's coordinators read the shared logs
    shared_since: datetime.datetime | None  # since when they read them
    supervisor: str


def _sharing(relationship: SupportRelationship, user: User, supervisor: User | None) -> Sharing:
    program = relationship.program
    teammates = []
    if relationship.team is not None:
        teammates = [
            person_name(member)
            for member in relationship.team.members.all()
            if member.pk != user.pk
        ]
    coordinators = [person_name(person) for person in program.coordinators.all()] if program else []
    return Sharing(
        mentor=relationship.mentor_name,
        teammates=_join_names(teammates),
        coordinators=_join_names(coordinators),
        coordinators_read=bool(program and program.coordinators_read_shared_logs),
        shared_since=program.shared_logs_since if program else None,
        supervisor=person_name(supervisor) if supervisor else "",
    )


@dataclass(frozen=True)
class SupportCard:
    """One relationship that supports the protégé, with its role explained, who sees what,
    and its goals."""

    relationship: SupportRelationship
    role_text: str  # what the role means in its program (programs/role_descriptions.py)
    sharing: Sharing
    goals: list[GoalCard]  # waiting for the protégé first (GoalCard.sort_key)
    logs_waiting: int  # visit logs the protégé has not acknowledged yet
    # Whether the mentor's organization is the protégé's (programs/organizations.py: the
    # district that runs their school counts); None when either is not recorded.
    same_organization: bool | None = None

    @property
    def role_word(self) -> str:
        return "mentor" if self.relationship.kind == SupportRelationship.Kind.MENTORING else "coach"

    @property
    def mentor_profile(self) -> MentorProfile | None:
        return getattr(self.relationship.mentor, "mentor_profile", None)

    @property
    def can_propose(self) -> bool:
        program = self.relationship.program
        return self.relationship.is_open and (program is None or program.allows_collaborative_goals)

    @property
    def can_record_progress(self) -> bool:
        program = self.relationship.program
        return self.relationship.is_open and (program is None or program.proteges_record_progress)


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
            return gettext("from %(before)s to %(after)s") % {
                "before": self.before,
                "after": self.after,
            }
        if self.after:
            return gettext("%(after)s was recorded as your supervisor") % {"after": self.after}
        return gettext("%(before)s is no longer recorded as your supervisor") % {
            "before": self.before
        }


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


def _same_organization(
    profile: ProtegeProfile | None, relationships: Sequence[SupportRelationship]
) -> dict[int, bool]:
    """For each relationship whose mentor's organization is recorded, whether it is the
    protégé's own: one query for the organizations' tree, whatever their number."""
    own = profile.organization_id if profile else None
    theirs = {
        relationship.pk: mentor.organization_id
        for relationship in relationships
        if (mentor := getattr(relationship.mentor, "mentor_profile", None)) is not None
        and mentor.organization_id is not None
    }
    if own is None or not theirs:
        return {}
    tree = Tree.load()
    return {pk: tree.same(own, organization) for pk, organization in theirs.items()}


def my_support(request: AuthedRequest) -> HttpResponse:
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

    current: list[SupportCard] = []
    past: list[SupportCard] = []
    same = _same_organization(profile, relationships)
    for relationship in relationships:
        support = SupportCard(
            relationship=relationship,
            role_text=describe(relationship.program, relationship.kind),
            sharing=_sharing(relationship, user, supervisor),
            goals=sorted(
                (_goal_card(goal, relationship) for goal in relationship.goals.all()),
                key=lambda card: card.sort_key,
            ),
            logs_waiting=relationship.logs_waiting,
            same_organization=same.get(relationship.pk),
        )
        (current if relationship.is_open else past).append(support)
    waiting_goals = [
        (support.relationship, card.goal)
        for support in current
        for card in support.goals
        if card.waits_for_me
    ]
    names = list(dict.fromkeys(support.relationship.mentor_name for support in current))
    context = {
        "current": current,
        "past": past,
        "waiting_goals": waiting_goals,
        "logs_waiting": sum(support.logs_waiting for support in current),
        "not_supervisor": _not_supervisor_statement(names),
        "supervisor": supervisor,
        "supervisor_changes": supervisor_changes(user),
        "former_supervisor_period": firewall.former_supervisor_period_words(),
    }
    return render(request, "relationships/protege/support_list.html", context)
