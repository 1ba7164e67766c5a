"""Matrix rows for coaching cycles (cycles/views.py).

The demo's coaching program has the common four stages; the coach's relationship with the
resident is in "Observe" of its second cycle. A program's stages are its coordinators' (and
admins'): people who take part in the program get a 403, everyone else a 404. A cycle is the
coach's to move: the resident and the coordinator, who may open the relationship page, get a
403; everyone else, the resident's supervisor included, a 404.

Action rows are GETs (the confirmation pages; a GET of a POST-only action sends back to the
stages), so nothing changes between roles.
"""

from cycles.models import CoachingCycle, CycleStage
from tests.matrix.coordinator import COACHING_PEOPLE, for_coordinators
from tests.matrix.world import Demo, Row


def _program(demo: Demo):
    return demo.program(Demo.COACHING)


def _stage(demo: Demo, name: str = "Observe") -> CycleStage:
    return _program(demo).cycle_stages.active().get(name=name)


def _cycle(demo: Demo) -> CoachingCycle:
    return demo.relationship("coach", "resident").coaching_cycles.open().get()


COACH_ONLY = {"coach": 200, "resident": 403, "coordinator": 403}
# Sent back to the stages page, for the coordinators; a 403 for the people taking part.
BACK_TO_STAGES = {"coordinator": 302, "admin": 302, **COACHING_PEOPLE}

ROWS = {
    "cycles:stages": lambda demo: for_coordinators(
        f"/cycles/programs/{_program(demo).code}/stages/", COACHING_PEOPLE
    ),
    # The program has stages already: the coordinator is told so, nothing changes.
    "cycles:stages_common": lambda demo: Row(
        f"/cycles/programs/{_program(demo).code}/stages/common/",
        method="post",
        expect=BACK_TO_STAGES,
    ),
    "cycles:stage_edit": lambda demo: for_coordinators(
        f"/cycles/stages/{_stage(demo).code}/edit/", COACHING_PEOPLE
    ),
    "cycles:stage_move": lambda demo: Row(
        f"/cycles/stages/{_stage(demo).code}/move/", expect=BACK_TO_STAGES
    ),
    "cycles:stage_remove": lambda demo: for_coordinators(
        f"/cycles/stages/{_stage(demo, 'Plan').code}/remove/", COACHING_PEOPLE
    ),
    # A cycle is under way: the coach is sent back to the relationship page.
    "cycles:start": lambda demo: Row(
        f"/cycles/for/{demo.relationship('coach', 'resident').code}/start/",
        expect={**COACH_ONLY, "coach": 302},
    ),
    "cycles:advance": lambda demo: Row(
        f"/cycles/{_cycle(demo).code}/next-stage/", expect=COACH_ONLY
    ),
    "cycles:end": lambda demo: Row(f"/cycles/{_cycle(demo).code}/end/", expect=COACH_ONLY),
}
