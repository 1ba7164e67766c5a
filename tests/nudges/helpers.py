"""Helpers of the scheduled jobs' tests."""

import time_machine

from goals.models import ActionStep
from outbox.models import Delivery
from tests import factories
from tests.clock import local
from tests.factories import in_days

# The private notes of every logged visit of the factories.
PRIVATE = "Seemed tired; ask how the week is going."


def at(*moment: int):
    """Stand the clock still at this wall-clock time in the program's time zone."""
    return time_machine.travel(local(*moment), tick=False)


def to(mailoutbox, person) -> list:
    """The emails sent to `person`."""
    return [email for email in mailoutbox if email.to == [person.email]]


def keys(kind: str) -> list[str]:
    """The keys of the deliveries of `kind`: the record of what the jobs sent."""
    return sorted(Delivery.objects.filter(kind=kind).values_list("key", flat=True))


def busy_relationship(program=None, **fields):
    """A relationship where something of each kind waits for its mentor: a scheduled visit
    gone by, a goal the protégé proposed, a step due this week, and fewer visits than the
    program expects."""
    relationship = factories.SupportRelationshipFactory(
        program=program or factories.ProgramFactory(),
        visits_per_month=4,
        starts_on=in_days(-60),
        **fields,
    )
    factories.VisitFactory(relationship=relationship, date=in_days(-3))
    factories.VisitFactory(relationship=relationship, logged=True, date=in_days(-40))
    factories.GoalFactory(
        relationship=relationship,
        mentor_agreed_at=None,
        created_by=relationship.protege,
        title="Calmer transitions",
    )
    goal = factories.GoalFactory(relationship=relationship, agreed=True)
    factories.ActionStepFactory(
        goal=goal, who=ActionStep.Who.MENTOR, due_on=in_days(-1), what="Film a transition"
    )
    factories.ActionStepFactory(goal=goal, who=ActionStep.Who.BOTH, due_on=in_days(4))
    factories.ActionStepFactory(goal=goal, who=ActionStep.Who.MENTOR, due_on=in_days(9))
    return relationship


def quiet_relationship(**fields):
    """A relationship with nothing waiting and no flag: visited, with an agreed goal, and a
    program that expects no particular pace."""
    relationship = factories.SupportRelationshipFactory(**fields)
    factories.VisitFactory(relationship=relationship, logged=True)
    factories.GoalFactory(relationship=relationship, agreed=True)
    return relationship
