"""Matrix rows for the protégé workspace (relationships/views/protege.py; My support in
reports/views/support.py).

"My support", "My feedback" and "My settings" are each person's own pages: everyone signed in
gets one (empty when nobody supports them), and it shows only their own relationships, so
the supervisor's page holds none of the resident's (tests/sweeps/test_protege_firewall.py
checks the content). Acknowledging a log: the resident's coaching log, in a program whose
coordinators read shared logs, so the coordinator and the coach see the page but may not
acknowledge (403); the mentor of the resident's other relationship, the supervisor, admins and
outsiders get a 404. The row is a GET of the form page, so nothing changes between roles.
"""

from tests.matrix.world import Demo, Row


def _coaching_log(demo: Demo):
    return demo.visit(demo.relationship("coach", "resident"))


ROWS = {
    "relationships:my_support": lambda demo: Row("/relationships/my-support/", others=200),
    "relationships:feedback": lambda demo: Row("/relationships/my-support/feedback/", others=200),
    "relationships:settings": lambda demo: Row("/relationships/my-settings/", others=200),
    # Each person's own reads (audit/views.py): an empty list for someone nobody supports.
    "audit:who_read_my_logs": lambda demo: Row("/audit/who-read-my-logs/", others=200),
    "relationships:visit_acknowledge": lambda demo: Row(
        f"/relationships/visits/{_coaching_log(demo).code}/acknowledge/",
        expect={"resident": 200, "coach": 403, "coordinator": 403},
    ),
}
