"""`{% cycle_panel relationship %}`: the relationship page's coaching cycle section.

The relationship page (relationships, a floor below) loads this tag rather than importing
cycles. For a relationship whose program names no stages it renders nothing and asks the
database nothing (`Program.has_cycle_stages`).
"""

import rules
from django import template

from core import clock
from cycles.selectors import panel, uses_cycles
from relationships.models import SupportRelationship
from relationships.rules import conversation_since

register = template.Library()


@register.inclusion_tag("cycles/includes/cycle_panel.html", takes_context=True)
def cycle_panel(context, relationship: SupportRelationship) -> dict:
    if not uses_cycles(relationship):
        return {"shown": False}
    user = context["request"].user
    # The cycle's focus is words of the conversation: for the relationship's own people
    # (never a walled-off supervisor, and not a coordinator, even of a program sharing logs).
    reads_words = (
        rules.test_rule("relationships.read_conversation", user, relationship)
        and conversation_since(user, relationship) is None
    )
    return {
        "shown": True,
        "relationship": relationship,
        "panel": panel(relationship, today=clock.today()),
        "can_work": rules.test_rule("relationships.work_in_relationship", user, relationship),
        "reads_words": reads_words,
    }
