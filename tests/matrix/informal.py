"""Matrix rows for informal relationships (relationships/views/informal.py) and for assigning
a relationship's missing required goals (goals/views/templates.py).

Everyone signed in may invite a colleague. An invitation is for its two people: the demo's
waits from the resident to the peer. An informal relationship is ended by its two people (the
peer mentors the teammate outside any program); nobody else reaches either page, coordinators,
admins and the teammate's supervisor included. Assigning required goals is for the program's
coordinators (and admins); the relationship's people see it but may not (403).
"""

from relationships.models import InformalInvitation, SupportRelationship
from tests.matrix.world import Demo, Row, only


def _invitation(demo: Demo) -> InformalInvitation:
    return InformalInvitation.objects.get(
        inviter__username="resident", invitee__username="peer", status="pending"
    )


def _informal(demo: Demo) -> SupportRelationship:
    return SupportRelationship.objects.open().get(
        mentor__username="peer", protege__username="teammate", program__isnull=True
    )


ROWS = {
    "relationships:informal_new": lambda demo: Row("/relationships/informal/new/", others=200),
    "relationships:informal_invitation": lambda demo: Row(
        _invitation(demo).get_absolute_url(), **only("resident", "peer")
    ),
    "relationships:informal_end": lambda demo: Row(
        f"/relationships/{_informal(demo).code}/end-informal/", **only("peer", "teammate")
    ),
    "goals:assign_required": lambda demo: Row(
        f"/goals/for/{demo.relationship('coach', 'resident').code}/required/",
        expect={"coordinator": 200, "admin": 200, "coach": 403, "resident": 403},
    ),
}
