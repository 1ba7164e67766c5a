"""Small worlds for the coordinator tests: a program with its coordinator, relationships with
visits and goals, and secrets planted in the shared and private tiers."""

from dataclasses import dataclass, field

from programs.models import Enrollment, role_for_kind
from tests.factories import (
    AcknowledgementFactory,
    ActionStepFactory,
    EnrollmentFactory,
    GoalFactory,
    ProgramFactory,
    ProgressEntryFactory,
    SupportRelationshipFactory,
    UserFactory,
    VisitFactory,
)


def coordinated_program(coordinator=None, **kwargs):
    coordinator = coordinator or UserFactory(username="coord")
    program = ProgramFactory(coordinators=[coordinator], **kwargs)
    return program, coordinator


def in_another_program_of_the_same_sponsor(program, person, role=Enrollment.Role.PROTEGE):
    """Enroll `person` in another program of `program`'s sponsor: they are then inside its
    organization, and its coordinators enroll them without asking them first."""
    return EnrollmentFactory(
        program=ProgramFactory(sponsor=program.sponsor), person=person, role=role
    )


def relationship_in(program, **kwargs):
    """An active relationship in `program`, both people enrolled."""
    relationship = SupportRelationshipFactory(program=program, **kwargs)
    EnrollmentFactory(
        program=program, person=relationship.mentor, role=role_for_kind(relationship.kind)
    )
    if relationship.protege_id:
        EnrollmentFactory(program=program, person=relationship.protege)
    return relationship


@dataclass
class Secrets:
    """Unique strings written in the shared-conversation and private tiers of a relationship."""

    shared: list[str] = field(default_factory=list)
    private: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[str]:
        return self.shared + self.private


def plant_secrets(relationship, tag: str = "") -> Secrets:
    secrets = Secrets()

    def shared(name: str) -> str:
        value = f"SHARED-{tag}{name}-7f3a"
        secrets.shared.append(value)
        return value

    def private(name: str) -> str:
        value = f"PRIVATE-{tag}{name}-9c1e"
        secrets.private.append(value)
        return value

    visit = VisitFactory(
        relationship=relationship,
        logged=True,
        whats_working=shared("working"),
        focus_challenges=shared("focus"),
        protege_next_steps=shared("protegesteps"),
        mentor_next_steps=shared("mentorsteps"),
        feedback=shared("feedback"),
        next_meeting_focus=shared("nextfocus"),
        private_notes=private("notes"),
    )
    AcknowledgementFactory(
        visit=visit,
        reflection=shared("reflection"),
        private_reflection=private("reflection"),
    )
    goal = GoalFactory(
        relationship=relationship,
        agreed=True,
        statement=shared("statement"),
        measure_description=shared("measure"),
    )
    ActionStepFactory(goal=goal, what=shared("step"))
    ProgressEntryFactory(goal=goal, note=shared("progress"))
    return secrets
