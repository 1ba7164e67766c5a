"""Organizations form a hierarchy: a district or agency with its schools, centers or sites
(`Organization.parent`). This module answers "the same organization or a different one?"
for matching and profiles, and which organizations matter to a program (its dropdowns).

The rule, stated once: two organizations are the same when one is the other or contains it,
at any depth. A coach employed by the district that runs a school is of the same organization
as that school's teachers; two schools of one district are different organizations.

The tree is read in one query (every organization's id, parent and name: a few thousand rows
at state scale), so asking about many people costs no query per person.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from core import clock, versions
from programs.models import Enrollment, MentorProfile, Organization, Program, ProtegeProfile


@dataclass(frozen=True)
class Tree:
    """Every organization's parent and name, by id."""

    parents: dict[int, int | None]
    names: dict[int, str]

    @classmethod
    def load(cls) -> "Tree":
        parents: dict[int, int | None] = {}
        names: dict[int, str] = {}
        for pk, parent_id, name in Organization.objects.values_list("pk", "parent_id", "name"):
            parents[pk] = parent_id
            names[pk] = name
        return cls(parents=parents, names=names)

    def ancestors(self, pk: int) -> list[int]:
        """The organizations that contain `pk`, nearest first."""
        found: list[int] = []
        parent = self.parents.get(pk)
        while parent is not None and parent not in found and parent != pk:
            found.append(parent)
            parent = self.parents.get(parent)
        return found

    @cached_property
    def children(self) -> dict[int | None, list[int]]:
        """Each organization's children, worked out once per tree (a leader of every
        district asks for the descendants of hundreds)."""
        below: dict[int | None, list[int]] = {}
        for pk, parent in self.parents.items():
            below.setdefault(parent, []).append(pk)
        return below

    def descendants(self, pk: int) -> set[int]:
        """The organizations `pk` contains, at any depth."""
        below = self.children
        found: set[int] = set()
        waiting = list(below.get(pk, []))
        while waiting:
            child = waiting.pop()
            if child not in found and child != pk:
                found.add(child)
                waiting.extend(below.get(child, []))
        return found

    def family(self, pks: Iterable[int | None]) -> set[int]:
        """`pks`, their ancestors and their descendants: every organization the same as one
        of them."""
        found: set[int] = set()
        for pk in pks:
            if pk is not None:
                found |= {pk, *self.ancestors(pk), *self.descendants(pk)}
        return found

    def same(self, first: int | None, second: int | None) -> bool:
        """Whether two organizations count as the same: one is, or contains, the other."""
        if first is None or second is None:
            return False
        return first == second or first in self.ancestors(second) or second in self.ancestors(first)


def same_organization(first: int | None, second: int | None) -> bool:
    """ "Same organization?" for two organization ids (one query)."""
    if first is None or second is None:
        return False
    return first == second or Tree.load().same(first, second)


# Which organizations matter to a program ------------------------------------------------------


def program_organizations(
    program: Program | None, current: Iterable[int | None] = ()
) -> QuerySet[Organization]:
    """The organizations a program's dropdowns offer: the active ones in the sponsor's family
    and those of the program's participants' profiles (every active one without a program),
    and the ones already chosen (`current`), so that a saved value stays valid. One query for
    the tree; the list itself is one more."""
    kept = [pk for pk in current if pk is not None]
    if program is None:
        offered = Q(archived_at__isnull=True)
    else:
        people = Enrollment.objects.filter(program=program).values("person_id")
        offered = Q(archived_at__isnull=True) & (
            Q(pk__in=Tree.load().family([program.sponsor_id]))
            | Q(pk__in=MentorProfile.objects.filter(user__in=people).values("organization_id"))
            | Q(pk__in=ProtegeProfile.objects.filter(user__in=people).values("organization_id"))
        )
    return Organization.objects.filter(offered | Q(pk__in=kept))


def sponsor_choices(user: User, current: int | None = None) -> QuerySet[Organization]:
    """The organizations a person may name as a program's sponsor: every active one for an
    administrator; for a coordinator, the sponsors of the programs they coordinate and their
    families (and the current sponsor, so it stays valid)."""
    if user.is_superuser:
        ids = Organization.objects.active().values("pk")
        return Organization.objects.filter(Q(pk__in=ids) | Q(pk=current))
    sponsors = Program.objects.coordinated_by(user).values_list("sponsor_id", flat=True)
    family = Tree.load().family(sponsors)
    return Organization.objects.filter(Q(pk__in=family, archived_at__isnull=True) | Q(pk=current))


# Writes ----------------------------------------------------------------------------------------

ORGANIZATION_FIELDS = ("name", "kind", "city", "state", "parent")


@transaction.atomic
def organization_save(*, organization: Organization) -> Organization:
    """Create or change an organization, refusing a parent that would make a cycle."""
    organization.name = " ".join(organization.name.split())
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_archive(*, organization: Organization) -> Organization:
    """Archive an organization: it leaves the dropdowns, its records stay. Refused while it
    has active parts or sponsors an active program."""
    if organization.children.active().exists():
        raise ValidationError(
            gettext(
                "It still has active schools, centers or sites: archive them, or move "
                "them to another organization, first."
            )
        )
    if organization.programs.active().exists():
        raise ValidationError(gettext("It sponsors an active program: archive the program first."))
    if organization.archived_at is None:
        organization.archived_at = clock.now()
        organization.save(update_fields=["archived_at"])
    return organization


@transaction.atomic
def organization_restore(*, organization: Organization) -> Organization:
    if organization.archived_at is not None:
        organization.archived_at = None
        organization.save(update_fields=["archived_at"])
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, version: str | None = None, **fields: object
) -> Organization:
    """Change an organization. `version`: the version the edit started from
    (core/versions.py); a newer one raises EditConflict, and a save that changes nothing
    writes nothing."""
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organization fields: {sorted(unknown)}")
    saved, changed = versions.start_edit(
        organization, ORGANIZATION_FIELDS, version=version, typed=fields
    )
    if saved is None:
        raise Organization.DoesNotExist("The organization's row is gone.")
    if not changed:
        return saved
    for name, value in fields.items():
        setattr(saved, name, value)
    return organization_save(organization=saved)


@dataclass(frozen=True)
class TreeRow:
    """One organization of the tree as the administrator's list shows it."""

    organization: Organization
    depth: int
    parent: Organization | None = None

    @property
    def indent(self) -> str:
        """The Bootstrap class that indents a part under the organization it is part of."""
        return ("", "ps-4", "ps-5")[min(self.depth, 2)]


def tree_rows() -> list[TreeRow]:
    """Every organization, each followed by its parts (indented), by name: one query."""
    everything = list(Organization.objects.order_by("name", "pk"))
    below: dict[int | None, list[Organization]] = {}
    known = {organization.pk: organization for organization in everything}
    for organization in everything:
        above = organization.parent_id if organization.parent_id in known else None
        below.setdefault(above, []).append(organization)
    rows: list[TreeRow] = []
    seen: set[int] = set()
    waiting = [(organization, 0) for organization in reversed(below.get(None, []))]
    while waiting:
        organization, depth = waiting.pop()
        if organization.pk in seen:
            continue
        seen.add(organization.pk)
        rows.append(
            TreeRow(
                organization=organization,
                depth=depth,
                parent=known.get(organization.parent_id or 0) if depth else None,
            )
        )
        waiting.extend((child, depth + 1) for child in reversed(below.get(organization.pk, [])))
    return rows
