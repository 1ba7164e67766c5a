"""Which workspaces the navigation bar links to for a person: the one rule, and where it is kept.

A person's roles come from data (a coordinator is listed on a program, a mentor or coach has
open relationships as mentor, a protégé is supported alone or in a team), and the home page
lists the same three things. The bar is on every page, and every page has an exact query
count, so the bar never queries: the roles are worked out at login (one query, plus the
person's teams) and again on the home page (from what it has already fetched), and kept in the
session, which every signed-in page loads anyway. Someone who becomes a mentor after logging in
sees the link once they next visit Home.
"""

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db.models import Exists
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from programs.models import Program
from relationships.models import SupportRelationship

COORDINATOR = "coordinator"
MENTOR = "mentor"
PROTEGE = "protege"
SESSION_KEY = "nav_roles"


def coordinated_programs(user: User):
    """The programs that make a person a coordinator."""
    return Program.objects.coordinated_by(user).active()


def caseload(user: User):
    """The relationships that make a person a mentor or coach."""
    return SupportRelationship.objects.open().filter(mentor=user)


def supports(user: User):
    """The relationships that support a person, as protégé or team member."""
    return SupportRelationship.objects.open().for_participant(user).exclude(mentor=user)


def nav_roles(user: User, *, coordinates: bool, mentors: bool, supported: bool) -> list[str]:
    """The roles whose links the bar shows. An admin sees every program on the Programs page."""
    held = {COORDINATOR: coordinates or user.is_superuser, MENTOR: mentors, PROTEGE: supported}
    return [role for role, holds in held.items() if holds]


def nav_roles_from_data(user: User) -> list[str]:
    """`nav_roles` asked of the database: one query of three EXISTS (and one for the teams)."""
    found = (
        User.objects.filter(pk=user.pk)
        .values(
            coordinates=Exists(coordinated_programs(user)),
            mentors=Exists(caseload(user)),
            supported=Exists(supports(user)),
        )
        .get()
    )
    return nav_roles(user, **found)


def remember(request: HttpRequest, roles: list[str]) -> None:
    """Keep `roles` in the session; written only when they changed, so no save otherwise."""
    if request.session.get(SESSION_KEY) != roles:
        request.session[SESSION_KEY] = roles


@receiver(user_logged_in, dispatch_uid="mentoring_site.navigation.on_login")
def on_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        remember(request, nav_roles_from_data(user))


def navigation(request: HttpRequest) -> dict:
    """Context processor: `nav_roles`, read from the session only when a template asks."""
    return {
        "nav_roles": SimpleLazyObject(
            lambda: (
                frozenset(request.session.get(SESSION_KEY, ()))
                if hasattr(request, "session")
                else frozenset()
            )
        )
    }
