"""Matrix rows for video review (evidence/video_views.py).

A shared video on the Sunflower Room team's latest log, in the coaching program, whose
coordinators read shared logs: the coach, each team member and the coordinator read it (only
the coach and the members comment: tests/evidence/test_video_comments.py); the supervisor of
the team's members, the resident's mentor and everyone else get a 404.
"""

from evidence.models import Attachment
from tests.evidence.video import VideoFactory
from tests.matrix.world import Demo, Row, only

MATRIX_VIDEO = "matrix-team-clip.webm"


def team_video(demo: Demo) -> Attachment:
    """The team's shared video, added to the demo world the first time a row asks for it."""
    found = Attachment.objects.filter(original_name=MATRIX_VIDEO).first()
    if found is not None:
        return found
    visit = demo.visit(demo.relationship("coach"))
    return VideoFactory(visit=visit, original_name=MATRIX_VIDEO, caption="Sunflower Room circle")


ROWS = {
    "evidence:video": lambda demo: Row(
        f"/evidence/videos/{team_video(demo).code}/",
        **only("coach", "teammate", "coordinator"),
    ),
}
