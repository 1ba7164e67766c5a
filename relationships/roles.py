"""Per-request sets of what a person is in relationships: teams they belong to, and the
relationships the supervision firewall walls off from them. Predicates read these instead of
querying per row."""

from functools import cached_property

from programs.roles import ProgramRoles


class RelationshipRoles(ProgramRoles):
    @cached_property
    def team_ids(self) -> frozenset[int]:
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.classroom_teams.values_list("pk", flat=True))

    @cached_property
    def firewall(self):
        """The walls around this person (relationships/firewall.py): one query, plus one for
        the teams of the protégés it walls off and one for partial walls, when there are any."""
        from relationships.firewall import Firewall

        return Firewall(self.user)


def relationship_roles(user) -> RelationshipRoles:
    roles = getattr(user, "_relationship_roles", None)
    if roles is None:
        roles = RelationshipRoles(user)
        if user.is_authenticated:
            user._relationship_roles = roles
            user._program_roles = roles
    return roles
