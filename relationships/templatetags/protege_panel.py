"""`{% protege_panel_state visit user as panel %}`: what the acknowledgement panel of a visit log
shows to this person (templates/relationships/includes/visit_protege_panel.html).

It works from the visit alone, so any page that shows a log can include the panel.
"""

import rules
from django import template

from core.names import person_name
from relationships.forms_protege import AcknowledgeForm
from relationships.models import Visit
from relationships.rules import conversation_since, written_since

register = template.Library()


@register.simple_tag
def protege_panel_state(visit: Visit, user) -> dict:
    """Empty for anyone who may not read the log's conversation (the panel then shows nothing)."""
    relationship = visit.relationship
    if not rules.test_rule("relationships.read_visit", user, visit):
        return {"visible": False}
    every_acknowledgement = list(visit.acknowledgements.select_related("protege"))
    acknowledged_ids = {ack.protege_id for ack in every_acknowledgement}
    # A coordinator who reads shared logs reads the reflections written since they may.
    since = conversation_since(user, relationship)
    acknowledgements = [
        ack for ack in every_acknowledgement if written_since(ack.acknowledged_at, since)
    ]
    if relationship.team_id:
        expected = list(relationship.team.members.order_by("first_name", "last_name", "pk"))
    elif relationship.protege_id:
        expected = [relationship.protege]
    else:
        expected = []
    waiting = [
        "you" if person.pk == user.pk else person_name(person)
        for person in sorted(expected, key=lambda person: person.pk != user.pk)
        if person.pk not in acknowledged_ids
    ]
    mine = next((ack for ack in acknowledgements if ack.protege_id == user.pk), None)
    can_acknowledge = (
        visit.status == Visit.Status.LOGGED
        and mine is None
        and rules.test_rule("relationships.acknowledge_visit", user, relationship)
    )
    for ack in acknowledgements:
        ack.is_mine = ack.protege_id == user.pk
        ack.person_name = "You" if ack.is_mine else person_name(ack.protege)
    return {
        "visible": True,
        "form": AcknowledgeForm(mentor_name=relationship.mentor_name) if can_acknowledge else None,
        "acknowledgements": acknowledgements,
        "waiting": waiting,
        "is_team": relationship.team_id is not None,
        "mine": mine,
        "can_acknowledge": can_acknowledge,
        "mentor_name": relationship.mentor_name,
        "is_logged": visit.status == Visit.Status.LOGGED,
    }
