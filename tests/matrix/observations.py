"""Matrix rows for observation tools and observations (observations/views/).

A program's tools are its coordinators' (and administrators'): people who take part in the
program get a 403, everyone else a 404. Observations are the relationship's shared
conversation: the induction pair reads theirs; the program's coordinator does not (the
induction program does not share logs), nor the resident's supervisor, nor anyone outside.
"""

from observations.models import Observation, ObservationTool
from tests.matrix.coordinator import COACHING_PEOPLE, for_coordinators
from tests.matrix.world import Demo, Row, only


def _tool(demo: Demo) -> ObservationTool:
    return demo.program(Demo.COACHING).observation_tools.order_by("pk").first()


def _induction(demo: Demo):
    return demo.relationship("mentor", "resident")


def _observation(demo: Demo) -> Observation:
    return _induction(demo).observations.order_by("-observed_on", "-pk").first()


def _goal(demo: Demo):
    return _induction(demo).goals.filter(title__icontains="turn-and-talk").get()


def _coaching(demo: Demo, path: str) -> str:
    return f"/observations/programs/{demo.program(Demo.COACHING).code}/{path}"


ROWS = {
    "observations:tool_list": lambda demo: for_coordinators(
        _coaching(demo, "tools/"), COACHING_PEOPLE
    ),
    "observations:tool_create": lambda demo: for_coordinators(
        _coaching(demo, "tools/new/"), COACHING_PEOPLE
    ),
    "observations:tool_copy": lambda demo: for_coordinators(
        _coaching(demo, "tools/copy/"), COACHING_PEOPLE
    ),
    "observations:tool_edit": lambda demo: for_coordinators(
        f"/observations/tools/{_tool(demo).code}/edit/", COACHING_PEOPLE
    ),
    "observations:tool_active": lambda demo: for_coordinators(
        f"/observations/tools/{_tool(demo).code}/offered/", COACHING_PEOPLE
    ),
    # The conversation tier: the pair only.
    "observations:for_relationship": lambda demo: Row(
        f"/observations/for/{_induction(demo).code}/", **only("mentor", "resident")
    ),
    "observations:detail": lambda demo: Row(
        _observation(demo).get_absolute_url(), **only("mentor", "resident")
    ),
    # Its author (the mentor) corrects it; the resident reads it but may not (403).
    "observations:edit": lambda demo: Row(
        f"/observations/{_observation(demo).code}/edit/",
        expect={"mentor": 200, "resident": 403},
    ),
    # The mentor fills one in; the resident and the coordinator see the relationship but may
    # not (403); the supervisor and everyone else: 404.
    "observations:new": lambda demo: Row(
        f"/observations/for/{_induction(demo).code}/new/",
        expect={"mentor": 200, "resident": 403, "coordinator": 403},
    ),
    "observations:goal_measure": lambda demo: Row(
        f"/observations/goals/{_goal(demo).code}/measure/", **only("mentor", "resident")
    ),
}
