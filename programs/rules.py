"""Permission predicates for programs; they agree with `Program.objects.visible_to()`."""

import rules

from core.rules_registry import add_rule_and_perm
from programs.roles import program_roles


@rules.predicate
def is_coordinator(user, program) -> bool:
    return program is not None and program.pk in program_roles(user).coordinated_program_ids


is_admin = rules.is_superuser

add_rule_and_perm("programs.manage_program", is_coordinator | is_admin)


@rules.predicate
def coordinates_any_program(user) -> bool:
    return bool(program_roles(user).coordinated_program_ids)


# Coordinators (of any program) and staff start new programs; others ask them.
add_rule_and_perm("programs.create_program", coordinates_any_program | rules.is_staff)


# Organizations are set up by administrators, in the app (programs/views/organizations.py).
add_rule_and_perm("programs.manage_organizations", rules.is_superuser)
