"""The demo world, looked up for the permission matrix.

`seed_demo` builds it; rows ask this object for the URLs of real objects, so a row reads like
"the resident's mentoring relationship" rather than a primary key.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import User

from goals.models import Goal, GoalTemplate
from programs.models import Enrollment, Program
from relationships.models import ClassroomTeam, SupportRelationship, Visit

# Every person the matrix logs in as. "anonymous" is nobody; "outsider" has an account and
# no role anywhere.
ROLES = (
    "anonymous",
    "outsider",
    "coordinator",
    "mentor",
    "coach",
    "resident",
    "teammate",
    "supervisor",
    "peer",
    "admin",
    "leader",
)


class Demo:
    INDUCTION = "Resident Educator Induction"
    COACHING = "Early Literacy Instructional Coaching"
    PLACEMENT = "Student Teaching Placement"

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def program(self, name: str = INDUCTION) -> Program:
        return Program.objects.get(name=name)

    def relationship(self, mentor: str, protege: str | None = None) -> SupportRelationship:
        """An open relationship of `mentor`, with `protege`, or with a team when None."""
        qs = SupportRelationship.objects.open().filter(mentor__username=mentor)
        if protege:
            qs = qs.filter(protege__username=protege)
        else:
            qs = qs.filter(team__isnull=False)
        return qs.order_by("pk").first()

    def team(self) -> ClassroomTeam:
        return ClassroomTeam.objects.order_by("pk").first()

    def visit(self, relationship: SupportRelationship, status: str = "logged") -> Visit:
        return relationship.visits.filter(status=status).order_by("-date", "-pk").first()

    def goal(self, relationship: SupportRelationship) -> Goal:
        return relationship.goals.order_by("pk").first()

    def goal_template(self, program: Program | None = None) -> GoalTemplate:
        program = program or self.program(self.COACHING)
        return program.goal_templates.order_by("pk").first()

    def enrollment(self, program: Program, username: str) -> Enrollment:
        return program.enrollments.filter(person__username=username).order_by("pk").first()


@dataclass
class Row:
    """What each role gets from one URL. Roles not named get `others`."""

    url: str
    expect: dict[str, int] = field(default_factory=dict)
    others: int = 404
    anonymous: int = 302
    method: str = "get"
    data: dict = field(default_factory=dict)

    def expected(self, role: str) -> int:
        if role == "anonymous":
            return self.anonymous
        return self.expect.get(role, self.others)


def only(*roles: str, status: int = 200, others: int = 404, **kwargs) -> dict:
    """Expectation helper: these roles get `status`, everyone else `others`."""
    return {"expect": dict.fromkeys(roles, status), "others": others, **kwargs}
