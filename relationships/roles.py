"""Per-request sets of what a person is in relationships: teams they belong to, people they
supervise. Predicates read these instead of querying per row."""

from functools import cached_property

from programs.roles import ProgramRoles


class RelationshipRoles(ProgramRoles):
    @cached_property
    def team_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.classroom_teams.values_list("pk", flat=True))

    @cached_property
    def supervised_user_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.supervised_profiles.values_list("user_id", flat=True))

    @cached_property
    def supervised_team_ids(self) -> frozenset[int]:
        from relationships.models import ClassroomTeam

        if not self.supervised_user_ids:
            return frozenset()
        return frozenset(
            ClassroomTeam.objects.filter(members__in=self.supervised_user_ids).values_list(
                "pk", flat=True
            )
        )


def relationship_roles(user) -> RelationshipRoles:
    roles = getattr(user, "_relationship_roles", None)
    if roles is None:
        roles = RelationshipRoles(user)
        if user.is_authenticated:
            user._relationship_roles = roles
            user._program_roles = roles
    return roles
