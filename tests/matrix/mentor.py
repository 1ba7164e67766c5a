"""Matrix rows for the mentor and coach workspace (relationships/views/mentor.py and
relationship.py, goals/views/goals.py).

The demo world: the mentor mentors the resident in the induction program (coordinators do not
read its shared logs); the coach coaches the resident and the Sunflower Room team (teammate is
a member) in the coaching program, whose coordinators do read shared logs. The supervisor
supervises the resident and the team's members. Admins are not special on these pages.

Action rows are GETs of the confirmation or form page, so nothing changes between roles.
"""

from relationships.models import PersonSettings
from tests.matrix.world import Demo, Row, only

INDUCTION_PAIR = ("mentor", "resident")


def _induction(demo: Demo):
    return demo.relationship("mentor", "resident")


def _team(demo: Demo):
    return demo.relationship("coach")


def _goal(demo: Demo, relationship, title_part: str):
    return relationship.goals.filter(title__icontains=title_part).get()


def _point(demo: Demo, username: str):
    """The latest progress point `username` recorded on the induction pair's open goal."""
    goal = _goal(demo, _induction(demo), "turn-and-talk")
    return goal.progress_entries.filter(recorded_by__username=username).order_by("-date").first()


def _scheduled(demo: Demo):
    return demo.visit(_induction(demo), status="scheduled")


def _feed(demo: Demo) -> str:
    token = PersonSettings.for_user(demo.user("mentor")).calendar_token
    return f"/relationships/calendar/{token}.ics"


ROWS = {
    # Everyone signed in has a caseload page and a calendar (empty when they support nobody).
    "relationships:caseload": lambda demo: Row("/relationships/caseload/", others=200),
    "relationships:calendar": lambda demo: Row("/relationships/calendar/", others=200),
    "relationships:calendar_renew": lambda demo: Row(
        "/relationships/calendar/new-link/", others=200
    ),
    # The feed is public by its secret link: the token is the credential.
    "relationships:calendar_feed": lambda demo: Row(_feed(demo), others=200, anonymous=200),
    # Logistics tier: participants and the program's coordinators; never the supervisor.
    "relationships:detail": lambda demo: Row(
        f"/relationships/{_induction(demo).code}/",
        **only("mentor", "resident", "coordinator"),
    ),
    "relationships:visit_schedule": lambda demo: Row(
        f"/relationships/{_induction(demo).code}/visits/schedule/",
        expect={"mentor": 200, "resident": 403, "coordinator": 403},
    ),
    "relationships:visit_log_new": lambda demo: Row(
        f"/relationships/{_induction(demo).code}/visits/log/",
        expect={"mentor": 200, "resident": 403, "coordinator": 403},
    ),
    # A team's log: every member reads it; the coaching program shares logs with coordinators.
    "relationships:visit_detail": lambda demo: Row(
        demo.visit(_team(demo)).get_absolute_url(),
        **only("coach", "teammate", "coordinator"),
    ),
    "relationships:visit_log": lambda demo: Row(
        f"/relationships/visits/{_scheduled(demo).code}/log/",
        expect={"mentor": 200, "resident": 403, "coordinator": 403},
    ),
    "relationships:visit_edit": lambda demo: Row(
        f"/relationships/visits/{_scheduled(demo).code}/edit/",
        expect={"mentor": 200, "resident": 403, "coordinator": 403},
    ),
    "relationships:visit_cancel": lambda demo: Row(
        f"/relationships/visits/{_scheduled(demo).code}/cancel/",
        expect={"mentor": 200, "resident": 403, "coordinator": 403},
    ),
    # Goals are the shared-conversation tier: the induction program does not share logs with
    # its coordinators, so they get a 404 there.
    "goals:create": lambda demo: Row(
        f"/goals/for/{_induction(demo).code}/new/", **only(*INDUCTION_PAIR)
    ),
    "goals:assign": lambda demo: Row(
        f"/goals/for/{_team(demo).code}/assign/",
        expect={"coach": 200, "teammate": 403, "coordinator": 403},
    ),
    "goals:detail": lambda demo: Row(
        f"/goals/{demo.goal(_team(demo)).code}/",
        **only("coach", "teammate", "coordinator"),
    ),
    "goals:edit": lambda demo: Row(
        f"/goals/{_goal(demo, _induction(demo), 'turn-and-talk').code}/edit/",
        **only(*INDUCTION_PAIR),
    ),
    "goals:agree": lambda demo: Row(
        f"/goals/{_goal(demo, _induction(demo), 'families').code}/agree/",
        **only(*INDUCTION_PAIR),
    ),
    "goals:close": lambda demo: Row(
        f"/goals/{_goal(demo, _induction(demo), 'turn-and-talk').code}/close/",
        expect={"mentor": 200, "resident": 403},
    ),
    "goals:reopen": lambda demo: Row(
        f"/goals/{_goal(demo, _induction(demo), 'morning routine').code}/reopen/",
        expect={"mentor": 200, "resident": 403},
    ),
    "goals:step_add": lambda demo: Row(
        f"/goals/{_goal(demo, _induction(demo), 'turn-and-talk').code}/steps/add/",
        **only(*INDUCTION_PAIR),
    ),
    "goals:step_done": lambda demo: Row(
        f"/goals/{_goal(demo, _induction(demo), 'turn-and-talk').code}/steps/done/",
        **only(*INDUCTION_PAIR),
    ),
    "goals:progress": lambda demo: Row(
        f"/goals/{_goal(demo, _induction(demo), 'turn-and-talk').code}/progress/",
        **only(*INDUCTION_PAIR),
    ),
    # A progress point is corrected or withdrawn by the person who recorded it (the resident
    # here); the mentor reads it but may not change it.
    "goals:progress_correct": lambda demo: Row(
        f"/goals/progress/{_point(demo, 'resident').code}/correct/",
        expect={"resident": 200, "mentor": 403},
    ),
    "goals:progress_withdraw": lambda demo: Row(
        f"/goals/progress/{_point(demo, 'resident').code}/withdraw/",
        expect={"resident": 200, "mentor": 403},
    ),
}
