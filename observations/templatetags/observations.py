"""The parts of lower apps' pages that belong to observations (docs/design.md, the layers):
`{% load observations %}` in the relationship page, a visit's page and a goal's page. The
lower apps' Python never imports this app; their templates name these tags.

- `{% relationship_observations relationship %}`: the scores over time, a chart per tool, and
  "Fill in an observation" for the mentor or coach.
- `{% visit_observations visit %}`: the observations made at a visit, and filling one in there.
- `{% goal_domain_measure goal %}`: a goal measured by a domain's scores, and the link to
  choose one.

Each shows nothing to whoever may not read the relationship's conversation (the supervisor, a
coordinator of a program that does not share logs), and costs a fixed number of queries.
"""

import rules
from django import template

from observations.models import GoalDomainMeasure, ObservationTool
from observations.selectors import domain_scores, readable_observations, relationship_scores
from relationships.rules import is_protege

register = template.Library()

LATEST_CHARTED = 12  # observations charted on the relationship page; the rest on their page


def _offers_tools(relationship) -> bool:
    return (
        relationship.program_id is not None
        and ObservationTool.objects.active().filter(program_id=relationship.program_id).exists()
    )


def _latest_scores(relationship, user) -> list:
    """The scores of the latest observations, by tool. Most relationships have none yet: a
    plain check (0.5 ms) spares them the scores' query (1.7 ms to build and plan)."""
    if not readable_observations(relationship, user).exists():
        return []
    return relationship_scores(relationship, user, latest=LATEST_CHARTED)


@register.inclusion_tag("observations/includes/relationship_observations.html", takes_context=True)
def relationship_observations(context, relationship) -> dict:
    user = context["request"].user
    can_read = rules.test_rule("relationships.read_conversation", user, relationship)
    can_record = rules.test_rule("observations.record_observation", user, relationship)
    offered = can_record and _offers_tools(relationship)
    return {
        "relationship": relationship,
        "can_read": can_read,
        "can_record": offered,
        "tool_scores": _latest_scores(relationship, user) if can_read else [],
        "is_supported": is_protege(user, relationship),
    }


@register.inclusion_tag("observations/includes/visit_observations.html", takes_context=True)
def visit_observations(context, visit) -> dict:
    user = context["request"].user
    relationship = visit.relationship
    if not rules.test_rule("relationships.read_conversation", user, relationship):
        return {"can_read": False}
    observations = list(
        readable_observations(relationship, user)
        .filter(visit=visit)
        .select_related("tool")
        .order_by("observed_on", "pk")
    )
    can_record = (
        visit.status != visit.Status.CANCELLED
        and rules.test_rule("observations.record_observation", user, relationship)
        and _offers_tools(relationship)
    )
    return {
        "can_read": True,
        "visit": visit,
        "relationship": relationship,
        "observations": observations,
        "can_record": can_record,
    }


@register.inclusion_tag("observations/includes/goal_domain_measure.html", takes_context=True)
def goal_domain_measure(context, goal) -> dict:
    user = context["request"].user
    if not rules.test_rule("goals.read_goal", user, goal):
        return {"can_read": False}
    relationship = goal.relationship
    measure = GoalDomainMeasure.objects.filter(goal=goal).select_related("domain__tool").first()
    can_choose = rules.test_rule("goals.work_on_goal", user, goal) and (
        measure is not None or _offers_tools(relationship)
    )
    scores = domain_scores(relationship, user, measure.domain_id) if measure else None
    return {
        "can_read": True,
        "goal": goal,
        "measure": measure,
        "scores": scores,
        "can_choose": can_choose,
    }
