"""A small world for the cycle tests: a coaching program with the common four stages, its
coordinator, and a coach's relationship with a protégé who has a supervisor."""

from dataclasses import dataclass

from cycles.models import CycleStage
from cycles.services import cycle_stage_add_common
from goals.models import Goal
from programs.models import Program
from relationships.models import SupportRelationship
from tests.factories import GoalFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in


@dataclass
class CycleWorld:
    program: Program
    coordinator: object
    relationship: SupportRelationship
    goal: Goal
    supervisor: object

    @property
    def coach(self):
        return self.relationship.mentor

    @property
    def protege(self):
        return self.relationship.protege

    def stages(self) -> list[CycleStage]:
        return list(self.program.cycle_stages.active().order_by("order"))


def cycle_world(*, stages: bool = True) -> CycleWorld:
    program, coordinator = coordinated_program(UserFactory(), coaching=True)
    relationship = relationship_in(program, kind="coaching")
    supervisor = UserFactory(first_name="Sam", last_name="Supervisor")
    profile = relationship.protege.protege_profile
    profile.supervisor = supervisor
    profile.save()
    goal = GoalFactory(relationship=relationship, title="Open-ended questions")
    if stages:
        cycle_stage_add_common(program=program)
        program.refresh_from_db()
    return CycleWorld(
        program=program,
        coordinator=coordinator,
        relationship=relationship,
        goal=goal,
        supervisor=supervisor,
    )


__all__ = ["CycleWorld", "cycle_world"]
