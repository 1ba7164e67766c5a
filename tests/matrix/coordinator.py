"""Matrix rows for the coordinator's workspace (issue 3).

A program's pages are for its coordinators (and admins, who may manage any program). People
who take part in the program can see that it exists, so they get a 403; everyone else a 404.
"""

from programs.models import RosterImport
from tests.matrix.world import Demo, Row


def induction(demo, path: str = "") -> str:
    return f"/programs/{demo.program(Demo.INDUCTION).code}/{path}"


def coaching(demo, path: str = "") -> str:
    return f"/programs/{demo.program(Demo.COACHING).code}/{path}"


# Who takes part in each demo program (and so gets 403, not 404, on its coordinator pages).
INDUCTION_PEOPLE = {"mentor": 403, "resident": 403}
COACHING_PEOPLE = {"coach": 403, "resident": 403, "teammate": 403}


def for_coordinators(url: str, people: dict, **kwargs) -> Row:
    return Row(url, expect={"coordinator": 200, "admin": 200, **people}, **kwargs)


def _roster_import(demo) -> RosterImport:
    """A roster import into the induction program, confirmed by its coordinator."""
    program = demo.program(Demo.INDUCTION)
    job, _ = RosterImport.objects.get_or_create(
        program=program, defaults={"uploaded_by": demo.user("coordinator"), "row_count": 0}
    )
    return job


def _resident_enrollment(demo):
    return demo.enrollment(demo.program(Demo.INDUCTION), "resident")


def _relationship(demo):
    return demo.relationship("mentor", "resident")


ROWS = {
    # Programs
    "programs:list": lambda demo: Row("/programs/", others=200),
    "programs:create": lambda demo: Row(
        "/programs/new/", expect={"coordinator": 200, "admin": 200}, others=403
    ),
    "programs:detail": lambda demo: for_coordinators(induction(demo), INDUCTION_PEOPLE),
    "programs:edit": lambda demo: for_coordinators(induction(demo, "edit/"), INDUCTION_PEOPLE),
    "programs:archive": lambda demo: for_coordinators(
        induction(demo, "archive/"), INDUCTION_PEOPLE
    ),
    "programs:roles": lambda demo: for_coordinators(coaching(demo, "roles/"), COACHING_PEOPLE),
    "programs:roles_edit": lambda demo: for_coordinators(
        coaching(demo, "roles/edit/"), COACHING_PEOPLE
    ),
    "programs:export": lambda demo: for_coordinators(
        induction(demo, "export/visits.csv"), INDUCTION_PEOPLE
    ),
    # The program year. GET only: closing the demo's program would change the other rows.
    "programs:close_year": lambda demo: for_coordinators(
        induction(demo, "close-year/"), INDUCTION_PEOPLE
    ),
    # The induction year is open: its coordinators are sent to close it first.
    "programs:next_year": lambda demo: Row(
        induction(demo, "next-year/"),
        expect={"coordinator": 302, "admin": 302, **INDUCTION_PEOPLE},
    ),
    # Participants
    "programs:participants": lambda demo: for_coordinators(
        induction(demo, "participants/"), INDUCTION_PEOPLE
    ),
    "programs:enroll": lambda demo: for_coordinators(
        induction(demo, "participants/add/"), INDUCTION_PEOPLE
    ),
    "programs:roster_import": lambda demo: for_coordinators(
        induction(demo, "participants/import/"), INDUCTION_PEOPLE
    ),
    "programs:roster_import_status": lambda demo: for_coordinators(
        induction(demo, f"participants/import/{_roster_import(demo).code}/"), INDUCTION_PEOPLE
    ),
    "programs:roster_template": lambda demo: for_coordinators(
        induction(demo, "participants/import/template.csv"), INDUCTION_PEOPLE
    ),
    "programs:roster_template_xlsx": lambda demo: for_coordinators(
        induction(demo, "participants/import/template.xlsx"), INDUCTION_PEOPLE
    ),
    "programs:leave": lambda demo: for_coordinators(
        induction(
            demo,
            f"participants/{demo.enrollment(demo.program(Demo.INDUCTION), 'resident').code}/leave/",
        ),
        INDUCTION_PEOPLE,
    ),
    "programs:profile_edit": lambda demo: for_coordinators(
        induction(
            demo,
            f"participants/{demo.enrollment(demo.program(Demo.INDUCTION), 'mentor').code}/profile/",
        ),
        INDUCTION_PEOPLE,
    ),
    # GET: the confirmation page (the resident has never logged in in the seeded world).
    "programs:invite": lambda demo: for_coordinators(
        induction(demo, f"participants/{_resident_enrollment(demo).code}/invite/"),
        INDUCTION_PEOPLE,
    ),
    "programs:coordinators": lambda demo: for_coordinators(
        induction(demo, "coordinators/"), INDUCTION_PEOPLE
    ),
    # A request to take part is for the person asked alone: Helen Park, asked to join the
    # placement program. Not even the coordinator who asked, nor an admin, opens it.
    "programs:request": lambda demo: Row(
        f"/programs/requests/{demo.user('peer').enrollment_requests.get().code}/",
        expect={"peer": 200},
    ),
    # Password reset and the invitation's set-your-password link: public, the same for everyone
    # (an unknown or used link shows "This link no longer works" with a 200).
    "password_reset": lambda demo: Row("/accounts/password/reset/", others=200, anonymous=200),
    "password_reset_done": lambda demo: Row(
        "/accounts/password/reset/sent/", others=200, anonymous=200
    ),
    "password_reset_confirm": lambda demo: Row(
        "/accounts/password/reset/MQ/not-a-token/", others=200, anonymous=200
    ),
    "password_reset_complete": lambda demo: Row(
        "/accounts/password/reset/complete/", others=200, anonymous=200
    ),
    # Matching, teams, pause/resume/end
    "relationships:match": lambda demo: for_coordinators(
        f"/relationships/coordinate/{demo.program(Demo.COACHING).code}/match/", COACHING_PEOPLE
    ),
    # The caseload of the induction program's mentor, who has not left: the page works all
    # the same (reassigning before someone goes).
    "relationships:reassign": lambda demo: for_coordinators(
        f"/relationships/coordinate/{demo.program(Demo.INDUCTION).code}/reassign/"
        f"{demo.enrollment(demo.program(Demo.INDUCTION), 'mentor').code}/",
        INDUCTION_PEOPLE,
    ),
    "relationships:team_list": lambda demo: for_coordinators(
        f"/relationships/coordinate/{demo.program(Demo.COACHING).code}/teams/", COACHING_PEOPLE
    ),
    "relationships:team_create": lambda demo: for_coordinators(
        f"/relationships/coordinate/{demo.program(Demo.COACHING).code}/teams/new/",
        COACHING_PEOPLE,
    ),
    # The team's members and its coach see the team; only coordinators edit it.
    "relationships:team_edit": lambda demo: for_coordinators(
        f"/relationships/teams/{demo.team().code}/edit/", {"coach": 403, "teammate": 403}
    ),
    # The relationship's people see it; its coordinators manage it; the protégé's supervisor
    # does not even learn it exists.
    "relationships:pause": lambda demo: for_coordinators(
        f"/relationships/{_relationship(demo).code}/pause/", INDUCTION_PEOPLE
    ),
    "relationships:resume": lambda demo: for_coordinators(
        f"/relationships/{_relationship(demo).code}/resume/", INDUCTION_PEOPLE
    ),
    "relationships:end": lambda demo: for_coordinators(
        f"/relationships/{_relationship(demo).code}/end/", INDUCTION_PEOPLE
    ),
    # Goal templates
    "goals:template_list": lambda demo: for_coordinators(
        f"/goals/programs/{demo.program(Demo.COACHING).code}/templates/", COACHING_PEOPLE
    ),
    "goals:template_create": lambda demo: for_coordinators(
        f"/goals/programs/{demo.program(Demo.COACHING).code}/templates/new/", COACHING_PEOPLE
    ),
    "goals:template_edit": lambda demo: for_coordinators(
        f"/goals/templates/{demo.goal_template().code}/edit/", COACHING_PEOPLE
    ),
    "goals:template_retire": lambda demo: for_coordinators(
        f"/goals/templates/{demo.goal_template().code}/retire/", COACHING_PEOPLE
    ),
}
