"""Fetching a program for its coordinator: out of scope is a 404, in scope but not theirs to
manage is a 403."""

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from programs.models import Program


def managed_program(request: HttpRequest, code) -> Program:
    program = get_object_or_404(Program.objects.visible_to(request.user), code=code)
    if not rules.test_rule("programs.manage_program", request.user, program):
        raise PermissionDenied("Only the program's coordinators can do this.")
    return program


def may_create_programs(user) -> bool:
    """The `programs.create_program` rule: coordinators and staff start new programs."""
    return rules.test_rule("programs.create_program", user)


def posted(request: HttpRequest):
    """The submitted data on a POST (even an empty one), None otherwise: binds a form."""
    return request.POST if request.method == "POST" else None
