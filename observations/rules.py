"""Who may read and fill in observations, and build tools.

An observation is the shared-conversation tier of its relationship (docs/design.md, "Observation
tools"): these predicates call the relationship's own (relationships/rules.py), so the
supervision firewall and a coordinator's sharing date hold for scores as for words. They read
the per-request role sets, so lists never query per row.
"""

import rules

from core.rules_registry import add_rule_and_perm
from programs.rules import is_coordinator as coordinates_program
from relationships.rules import (
    can_read_conversation,
    conversation_since,
    is_mentor,
    is_open,
    is_supervisor,
    written_since,
)


@rules.predicate
def can_read_observation(user, observation) -> bool:
    """What `Observation.objects.visible_to()` returns, for one row."""
    if observation is None or not can_read_conversation(user, observation.relationship):
        return False
    return written_since(observation.created_at, conversation_since(user, observation.relationship))


# The mentor or coach, while the relationship is open and the firewall does not wall it off.
can_record_observation = is_mentor & ~is_supervisor & is_open


@rules.predicate
def can_change_observation(user, observation) -> bool:
    """Its author corrects it, while they could still record one in the relationship."""
    return (
        observation is not None
        and observation.author_id == user.pk
        and can_record_observation(user, observation.relationship)
    )


@rules.predicate
def can_manage_tool(user, tool) -> bool:
    """A tool is built by its program's coordinators (and administrators)."""
    return tool is not None and (user.is_superuser or coordinates_program(user, tool.program))


add_rule_and_perm("observations.read_observation", can_read_observation)
add_rule_and_perm("observations.record_observation", can_record_observation)
add_rule_and_perm("observations.change_observation", can_change_observation)
add_rule_and_perm("observations.manage_tool", can_manage_tool)
