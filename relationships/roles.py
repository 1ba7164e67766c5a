"""A person's roles, in one place: the per-request sets the permission predicates and the
querysets read, and the roles the pages need at a glance.

Per-request sets. Permission predicates run for every row of a list, so they must not query
per row: they read these sets instead, kept on the user object (`relationship_roles`), each
costing one query the first time it is asked for. The programs' part (what a person
coordinates, and which of those programs share logs) is `programs.roles.ProgramRoles`, which
the programs' own predicates read; here it gains the teams a person belongs to and the
relationships the supervision firewall walls off from them. The models' querysets read the
same sets: `RelationshipsConfig.ready()` hands `relationship_roles` to relationships/models.py,
which does not import this module (this module reads those models).

Roles at a glance: coordinator, mentor or coach, protégé. Roles come from data, not a role
field: a coordinator is listed on a program, a mentor or coach has open relationships as
mentor, a protégé is supported alone or in a team; the home page lists the same three things.
Every page has an exact query count, so the pages that need the roles (the navigation bar, the
settings page) never query them: they are worked out at login (one query, plus the person's
teams) and again on the home page (from what it has already fetched), and kept in the session,
which every signed-in page loads anyway. Someone who becomes a mentor after logging in has the
role once they next visit Home.
"""

from functools import cached_property

from django.contrib.auth.models import User
from django.db.models import Exists
from django.http import HttpRequest

from programs.models import OrganizationLeader, Program
from programs.roles import ProgramRoles
from relationships.firewall import Firewall
from relationships.models import SupportRelationship

# Per-request sets


class RelationshipRoles(ProgramRoles):
    @cached_property
    def team_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.classroom_teams.values_list("pk", flat=True))

    @cached_property
    def firewall(self) -> Firewall:
        """The walls around this person (relationships/firewall.py): one query, plus one for
        the teams of the protégés it walls off and one for partial walls, when there are any."""
        return Firewall(self.user)


def relationship_roles(user) -> RelationshipRoles:
    roles = getattr(user, "_relationship_roles", None)
    if roles is None:
        roles = RelationshipRoles(user)
        if user.is_authenticated:
            user._relationship_roles = roles
            user._program_roles = roles
    return roles


# Roles at a glance

COORDINATOR = "coordinator"
MENTOR = "mentor"
PROTEGE = "protege"
LEADER = "leader"
SESSION_KEY = "nav_roles"  # the session key (its name predates this module)


def coordinated_programs(user: User):
    """The programs that make a person a coordinator."""
    return Program.objects.coordinated_by(user).active()


def caseload(user: User):
    """The relationships that make a person a mentor or coach."""
    return SupportRelationship.objects.open().filter(mentor=user)


def supports(user: User):
    """The relationships that support a person, as protégé or team member."""
    return SupportRelationship.objects.open().for_participant(user).exclude(mentor=user)


def held_roles(
    user: User, *, coordinates: bool, mentors: bool, supported: bool, leads: bool = False
) -> list[str]:
    """The roles a person holds, in the order the bar lists them. An admin counts as a
    coordinator: their Programs page lists every program. A program leader (an
    organization's, programs/leaders.py) has the roll-up."""
    held = {
        COORDINATOR: coordinates or user.is_superuser,
        MENTOR: mentors,
        PROTEGE: supported,
        LEADER: leads,
    }
    return [role for role, holds in held.items() if holds]


def roles_from_data(user: User) -> list[str]:
    """`held_roles` asked of the database: one query of three EXISTS (and one for the teams)."""
    found = (
        User.objects.filter(pk=user.pk)
        .values(
            coordinates=Exists(coordinated_programs(user)),
            mentors=Exists(caseload(user)),
            supported=Exists(supports(user)),
            leads=Exists(OrganizationLeader.objects.filter(user=user)),
        )
        .get()
    )
    return held_roles(user, **found)


def remember(request: HttpRequest, roles: list[str]) -> None:
    """Keep `roles` in the session; written only when they changed, so no save otherwise."""
    if request.session.get(SESSION_KEY) != roles:
        request.session[SESSION_KEY] = roles


def session_roles(request: HttpRequest) -> frozenset[str]:
    """The roles kept in the session. A signed-in session without them (one that began before
    roles were kept) has them worked out once, here, and kept."""
    session = getattr(request, "session", None)
    if session is None:
        return frozenset()
    if SESSION_KEY not in session and request.user.is_authenticated:
        remember(request, roles_from_data(request.user))
    return frozenset(session.get(SESSION_KEY, ()))
