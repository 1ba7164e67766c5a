"""The row of the stand-in file view (evidence/serving.py) of the video review branch; the
attachments branch's own row replaces it."""

from tests.matrix.evidence_video import team_video
from tests.matrix.world import Row, only

ROWS = {
    "evidence:file": lambda demo: Row(
        f"/evidence/files/{team_video(demo).code}/",
        **only("coach", "teammate", "coordinator"),
    ),
}
