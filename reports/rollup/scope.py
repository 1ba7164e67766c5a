"""Which programs, sites and relationships a program leader may count.

A leader of an organization counts, for it and every organization under it (programs/leaders.py):

- every relationship, enrollment and caseload of the programs those organizations sponsor;
- in programs sponsored elsewhere (a state program, say), the relationships at their sites:
  the protégé's site (`ProtegeProfile.organization`) or the classroom team's.

Informal relationships (no program) are never counted. The scope also carries the viewer's
own supervisees, so that no figure singles them out (suppression.py), and the programs the
viewer coordinates, whose rows link to their dashboards.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q

from core.querytools import any_of
from programs.leaders import led_organization_ids
from programs.models import Program
from programs.organizations import Tree
from programs.roles import program_roles
from relationships.firewall import walls
from relationships.models import SupportRelationship


@dataclass(frozen=True)
class ScopedProgram:
    pk: int
    name: str
    code: UUID
    focus_areas: tuple[str, ...]
    sponsored: bool  # sponsored inside the scope (else: only its relationships at our sites)


@dataclass(frozen=True)
class Scope:
    user_id: int
    organization_ids: frozenset[int]
    organization_names: dict[int, str]
    programs: dict[int, ScopedProgram]
    coordinated_program_ids: frozenset[int]
    shielded_ids: frozenset[int]  # the viewer's supervisees: no figure may single them out
    tree: Tree

    def narrowed(self, organization_id: int | None) -> frozenset[int]:
        """The organizations counted once the leader picks one of theirs: it and its parts."""
        if organization_id is None or organization_id not in self.organization_ids:
            return self.organization_ids
        return frozenset({organization_id, *self.tree.descendants(organization_id)}) & (
            self.organization_ids
        )


def relationships_q(organization_ids: frozenset[int], program_ids: Iterable[int]) -> Q:
    """The relationships counted for these organizations (see the module's rule)."""
    ids = sorted(organization_ids)
    return any_of("program_id", program_ids) & (
        any_of("program__sponsor_id", ids)
        | any_of("protege__protege_profile__organization_id", ids)
        | any_of("team__site_id", ids)
    )


def enrollments_q(organization_ids: frozenset[int], program_ids: Iterable[int]) -> Q:
    """The enrollments counted: in a program sponsored inside, or of a person whose site is."""
    ids = sorted(organization_ids)
    return any_of("program_id", program_ids) & (
        any_of("program__sponsor_id", ids) | any_of("person__protege_profile__organization_id", ids)
    )


def leader_scope(user: User) -> Scope | None:
    """What `user` may count as a leader, or None when they lead nothing (four queries, five
    for a supervisor)."""
    if not user.is_authenticated:
        return None
    tree = Tree.load()
    organization_ids = led_organization_ids(user, tree)
    if not organization_ids:
        return None
    ids = sorted(organization_ids)
    at_our_sites = SupportRelationship.objects.filter(program=OuterRef("pk")).filter(
        any_of("protege__protege_profile__organization_id", ids) | any_of("team__site_id", ids)
    )
    rows = (
        Program.objects.filter(any_of("sponsor_id", ids) | Exists(at_our_sites))
        .order_by("name", "pk")
        .values_list("pk", "name", "code", "focus_areas", "sponsor_id")
    )
    programs = {
        pk: ScopedProgram(
            pk=pk,
            name=name,
            code=code,
            focus_areas=tuple(
                line.strip() for line in (focus_areas or "").splitlines() if line.strip()
            ),
            sponsored=sponsor_id in organization_ids,
        )
        for pk, name, code, focus_areas, sponsor_id in rows
    }
    shielded = frozenset(wall.protege_id for wall in walls(supervisor=user))
    return Scope(
        user_id=user.pk,
        organization_ids=organization_ids,
        organization_names={pk: tree.names[pk] for pk in organization_ids},
        programs=programs,
        coordinated_program_ids=program_roles(user).coordinated_program_ids,
        shielded_ids=shielded,
        tree=tree,
    )


def site_choices(scope: Scope) -> list[tuple[int, str]]:
    """The organizations of the scope, by name."""
    return sorted(scope.organization_names.items(), key=lambda item: (item[1].casefold(), item[0]))
