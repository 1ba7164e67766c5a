"""Emails about a goal waiting for agreement: a goal the mentor or coach proposed waits for
the protégé (each team member), and one a protégé proposed waits for the mentor or coach.

Sent through the outbox like the relationship emails (relationships/notifications.py): not sent
if, by the time the worker writes it, the goal is no longer waiting for that person.
"""

from typing import cast

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.names import person_name
from goals.models import Goal
from outbox import kinds
from outbox import services as outbox
from outbox.kinds import Kind, Letter
from outbox.models import Delivery
from relationships.notifications import letter, supported
from relationships.roles import MENTOR, PROTEGE

GOAL_AGREEMENT = "goal_agreement"
GOAL_PROPOSED = "goal_proposed"


def _waiting_goal(delivery: Delivery, *, agreed_field: str) -> Goal | None:
    return (
        Goal.objects.select_related("relationship__program", "relationship__mentor", "created_by")
        .filter(
            pk=delivery.params.get("goal"),
            status=Goal.Status.PROPOSED,
            **{f"{agreed_field}__isnull": True},
        )
        .first()
    )


def write_goal_agreement(delivery: Delivery) -> Letter | None:
    goal = _waiting_goal(delivery, agreed_field="protege_agreed_at")
    if goal is None:
        return None
    relationship = goal.relationship
    context = {
        "goal": goal,
        "mentor_name": relationship.mentor_name,
        "program": relationship.program,
    }
    return letter("goal_agreement", delivery, context, reverse("goals:detail", args=[goal.code]))


def write_goal_proposed(delivery: Delivery) -> Letter | None:
    goal = _waiting_goal(delivery, agreed_field="mentor_agreed_at")
    if goal is None:
        return None
    relationship = goal.relationship
    context = {
        "goal": goal,
        "proposer_name": person_name(goal.created_by),
        "team": relationship.team if relationship.team_id else None,
        "program": relationship.program,
    }
    return letter("goal_proposed", delivery, context, reverse("goals:detail", args=[goal.code]))


def notify_goal_waiting(goal: Goal) -> None:
    """Tell the other side that `goal` waits for their agreement: the protégé (each team
    member) for the mentor's proposal, the mentor for a protégé's."""
    relationship = goal.relationship
    if goal.mentor_agreed_at is None:
        outbox.queue(GOAL_PROPOSED, relationship.mentor, goal=goal.pk)
        return
    for person in supported(relationship):
        if person.pk != relationship.mentor_id:
            outbox.queue(GOAL_AGREEMENT, person, goal=goal.pk)


def register_kinds() -> None:
    # The switches' words are lazy: read in the reader's language, whenever the page shows them.
    kinds.register(
        Kind(
            name=GOAL_AGREEMENT,
            write=write_goal_agreement,
            switch=cast(str, _("Email me when a goal waits for my agreement")),
            roles=frozenset({PROTEGE}),
        ),
        Kind(
            name=GOAL_PROPOSED,
            write=write_goal_proposed,
            switch=cast(str, _("Email me when a teacher proposes a goal")),
            roles=frozenset({MENTOR}),
        ),
    )
