"""`{% protege_panel_state visit user as panel %}`: what the acknowledgement panel of a visit log
shows to this person (templates/relationships/includes/visit_protege_panel.html).

It works from the visit alone, so any page that shows a log can include the panel.
"""

from dataclasses import dataclass

import rules
from django import template
from django.contrib.auth.models import User

from core.names import person_name
from relationships.forms_protege import AcknowledgeForm
from relationships.models import Acknowledgement, Visit
from relationships.rules import conversation_since, written_since

register = template.Library()


@dataclass(frozen=True)
class ShownAcknowledgement:
    """An acknowledgement as the panel shows it to this person."""

    acknowledgement: Acknowledgement
    is_mine: bool
    person_name: str  # "You" for their own


def _expected(visit: Visit) -> list[User]:
    """Who acknowledges the log: the protégé, or each member of the team."""
    relationship = visit.relationship
    if relationship.team is not None:
        return list(relationship.team.members.order_by("first_name", "last_name", "pk"))
    if relationship.protege is not None:
        return [relationship.protege]
    return []


@register.simple_tag
def protege_panel_state(visit: Visit, user: User) -> dict[str, object]:
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
    waiting = [
        "you" if person.pk == user.pk else person_name(person)
        for person in sorted(_expected(visit), key=lambda person: person.pk != user.pk)
        if person.pk not in acknowledged_ids
    ]
    mine = next((ack for ack in acknowledgements if ack.protege_id == user.pk), None)
    can_acknowledge = (
        visit.status == Visit.Status.LOGGED
        and mine is None
        and rules.test_rule("relationships.acknowledge_visit", user, relationship)
    )
    return {
        "visible": True,
        "form": AcknowledgeForm(mentor_name=relationship.mentor_name) if can_acknowledge else None,
        "acknowledgements": [
            ShownAcknowledgement(
                acknowledgement=ack,
                is_mine=ack.protege_id == user.pk,
                person_name="You" if ack.protege_id == user.pk else person_name(ack.protege),
            )
            for ack in acknowledgements
        ],
        "waiting": waiting,
        "is_team": relationship.team_id is not None,
        "mine": mine,
        "can_acknowledge": can_acknowledge,
        "mentor_name": relationship.mentor_name,
        "is_logged": visit.status == Visit.Status.LOGGED,
    }
