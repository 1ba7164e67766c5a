"""Small worlds for the observation tests: a program's rubric and checklist, observations made
with them through the service, and the people around a relationship."""

import datetime

from core import clock
from observations.models import Observation, ObservationTool
from observations.services import DomainSpec, observation_record, observation_tool_create
from tests.factories import ProgramFactory, SupportRelationshipFactory, UserFactory

DOMAINS = ("Warm, responsive climate", "Managing time and behaviour", "Deepening thinking")


def rubric(program, name: str = "Classroom interactions", **kwargs) -> ObservationTool:
    return observation_tool_create(
        program=program,
        name=name,
        kind=ObservationTool.Kind.RUBRIC,
        scale_min=1,
        scale_max=7,
        domains=[
            DomainSpec(name=domain, items=[f"An indicator of {domain.lower()}"])
            for domain in DOMAINS
        ],
        **kwargs,
    )


def checklist(program, name: str = "Read-aloud look-fors") -> ObservationTool:
    return observation_tool_create(
        program=program,
        name=name,
        kind=ObservationTool.Kind.CHECKLIST,
        domains=[
            DomainSpec(name="Before reading", items=["Sets a purpose", "Previews new words"]),
            DomainSpec(name="During reading", items=["Asks open questions", "Waits 3 seconds"]),
        ],
    )


def observe(
    relationship, tool: ObservationTool, scores: list[int | None], *, days_ago: int = 0, **kwargs
) -> Observation:
    """A rubric observation by the relationship's mentor, one score per domain in order."""
    domains = list(tool.domains.order_by("order"))
    return observation_record(
        relationship=relationship,
        tool=tool,
        by=relationship.mentor,
        observed_on=clock.today() - datetime.timedelta(days=days_ago),
        scores={domain.pk: score for domain, score in zip(domains, scores, strict=True)},
        **kwargs,
    )


def pair(**program_kwargs):
    """A coordinator's program with one relationship and a rubric: (relationship, tool,
    coordinator)."""
    coordinator = UserFactory()
    program = ProgramFactory(coordinators=[coordinator], **program_kwargs)
    relationship = SupportRelationshipFactory(
        program=program, starts_on=clock.today().replace(day=1) - datetime.timedelta(days=200)
    )
    return relationship, rubric(program), coordinator
