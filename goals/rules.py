"""Permission predicates for goals: they follow the relationship's tiers."""

import rules

from core.rules_registry import add_rule_and_perm
from relationships.rules import (
    can_read_conversation,
    conversation_since,
    is_mentor,
    is_protege,
    is_supervisor,
    written_since,
)


@rules.predicate
def can_read_goal(user, goal) -> bool:
    """What `Goal.objects.conversation_visible_to()` returns: for a coordinator who reads
    shared logs, the goals set since the program began sharing them."""
    if goal is None or not can_read_conversation(user, goal.relationship):
        return False
    return written_since(goal.created_at, conversation_since(user, goal.relationship))


@rules.predicate
def can_work_on_goal(user, goal) -> bool:
    if goal is None:
        return False
    relationship = goal.relationship
    return (
        (is_mentor(user, relationship) or is_protege(user, relationship))
        and not is_supervisor(user, relationship)
        and relationship.is_open
    )


@rules.predicate
def can_read_progress_entry(user, entry) -> bool:
    return entry is not None and can_read_goal(user, entry.goal)


@rules.predicate
def can_change_progress_entry(user, entry) -> bool:
    """Correct or withdraw a point: the person who recorded it, while they work on the goal."""
    return (
        entry is not None and entry.recorded_by_id == user.pk and can_work_on_goal(user, entry.goal)
    )


add_rule_and_perm("goals.read_goal", can_read_goal)
add_rule_and_perm("goals.work_on_goal", can_work_on_goal)
add_rule_and_perm("goals.read_progress_entry", can_read_progress_entry)
add_rule_and_perm("goals.change_progress_entry", can_change_progress_entry)
