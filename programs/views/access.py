"""Fetching a program for its coordinator: out of scope is a 404, in scope but not theirs to
manage is a 403."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from programs.models import Program
from programs.roles import program_roles


def managed_program(request: HttpRequest, code) -> Program:
    program = get_object_or_404(Program.objects.visible_to(request.user), code=code)
    if not request.user.has_perm("programs.manage_program", program):
        raise PermissionDenied("Only the program's coordinators can do this.")
    return program


def may_create_programs(user) -> bool:
    """Coordinators (of any program) and staff start new programs; others ask them."""
    return user.is_staff or bool(program_roles(user).coordinated_program_ids)


def posted(request: HttpRequest):
    """The submitted data on a POST (even an empty one), None otherwise: binds a form."""
    return request.POST if request.method == "POST" else None
