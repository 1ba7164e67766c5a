"""What a person is, worked out once per request and kept on the user object.

Permission predicates run for every row of a list, so they must not query per row: they read
these sets instead. Each set costs one query the first time it is asked for.
"""

import datetime
from functools import cached_property


class ProgramRoles:
    def __init__(self, user):
        self.user = user

    @cached_property
    def coordinated_program_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.coordinated_programs.values_list("pk", flat=True))

    @cached_property
    def sharing_since(self) -> dict[int, datetime.datetime]:
        """Programs this person coordinates that let coordinators read shared logs, each with
        when that began: they read what was written from then on."""
        if not self.coordinated_program_ids:
            return {}
        return dict(
            self.user.coordinated_programs.filter(coordinators_read_shared_logs=True).values_list(
                "pk", "shared_logs_since"
            )
        )

    @cached_property
    def sharing_program_ids(self) -> frozenset[int]:
        """Programs this person coordinates that let coordinators read shared logs."""
        return frozenset(self.sharing_since)


def program_roles(user) -> ProgramRoles:
    roles = getattr(user, "_program_roles", None)
    if roles is None:
        roles = ProgramRoles(user)
        if user.is_authenticated:
            user._program_roles = roles
    return roles
