"""Matrix rows for classroom evidence (evidence/views.py).

The demo's photo is on the mentor's latest log with the resident, in the induction program,
whose coordinators do not read shared logs: only the pair reads it, and only the mentor, who
added it, deletes it. Files are added to the Sunflower Room team's log and goal (the coaching
program shares logs: its coordinators open the log and the goal, but add nothing) and to a
data point of the induction pair's goal. The supervisor gets a 404 everywhere.
"""

from evidence.models import Attachment
from tests.matrix.mentor import _induction, _point, _team
from tests.matrix.world import Demo, Row, only


def _photo(demo: Demo) -> Attachment:
    visit = demo.visit(_induction(demo))
    return Attachment.objects.filter(visit=visit).order_by("pk").first()


ROWS = {
    "evidence:attach_to_visit": lambda demo: Row(
        f"/evidence/visits/{demo.visit(_team(demo)).code}/attach/",
        expect={"coach": 200, "teammate": 200, "coordinator": 403},
    ),
    "evidence:attach_to_goal": lambda demo: Row(
        f"/evidence/goals/{demo.goal(_team(demo)).code}/attach/",
        expect={"coach": 200, "teammate": 200, "coordinator": 403},
    ),
    "evidence:attach_to_progress_entry": lambda demo: Row(
        f"/evidence/progress/{_point(demo, 'resident').code}/attach/",
        **only("mentor", "resident"),
    ),
    "evidence:file": lambda demo: Row(
        f"/evidence/files/{_photo(demo).code}/", **only("mentor", "resident")
    ),
    "evidence:thumbnail": lambda demo: Row(
        f"/evidence/files/{_photo(demo).code}/thumbnail/", **only("mentor", "resident")
    ),
    "evidence:delete": lambda demo: Row(
        f"/evidence/files/{_photo(demo).code}/delete/",
        expect={"mentor": 200, "resident": 403},
    ),
}
