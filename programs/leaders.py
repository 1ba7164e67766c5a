"""Program leaders (`OrganizationLeader`): who leads which organizations, who may give or take
away the role, and the writes that do. What a leader then sees is reports/rollup/.

The rule, stated once: a leader of an organization leads it and everything under it, at any
depth (`Organization.parent`). The role is given and taken away in the app by an administrator,
or by a leader of an organization above the one concerned (not of the same one: nobody names
their own peers or removes them)."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from programs.models import Organization, OrganizationLeader
from programs.organizations import Tree


def led_organization_ids(user: User, tree: Tree | None = None) -> frozenset[int]:
    """The organizations a person leads, with everything under them (two queries, one when
    the tree is given; none of the tree's when they lead nothing)."""
    if not user.is_authenticated:
        return frozenset()
    roots = list(
        OrganizationLeader.objects.filter(user=user).values_list("organization_id", flat=True)
    )
    if not roots:
        return frozenset()
    tree = tree or Tree.load()
    found: set[int] = set(roots)
    for root in roots:
        found |= tree.descendants(root)
    return frozenset(found)


def is_leader(user: User) -> bool:
    return user.is_authenticated and OrganizationLeader.objects.filter(user=user).exists()


def may_manage_leaders(user: User, organization: Organization, tree: Tree | None = None) -> bool:
    """An administrator, or a leader of an organization above this one."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    tree = tree or Tree.load()
    above = set(tree.ancestors(organization.pk))
    return (
        bool(above)
        and OrganizationLeader.objects.filter(user=user, organization_id__in=above).exists()
    )


def managed_organization_ids(user: User, tree: Tree | None = None) -> frozenset[int]:
    """The organizations whose leaders this person may name: every one for an administrator;
    for a leader, those strictly under the ones they lead."""
    if not user.is_authenticated:
        return frozenset()
    tree = tree or Tree.load()
    if user.is_superuser:
        return frozenset(tree.parents)
    roots = OrganizationLeader.objects.filter(user=user).values_list("organization_id", flat=True)
    found: set[int] = set()
    for root in roots:
        found |= tree.descendants(root)
    return frozenset(found)


@transaction.atomic
def leader_grant(*, organization: Organization, user: User, by: User) -> OrganizationLeader:
    """Make `user` a leader of `organization` (refused when `by` may not, or they already are)."""
    if not may_manage_leaders(by, organization):
        raise ValidationError(_("You may not name the leaders of this organization."))
    if not user.is_active:
        raise ValidationError(_("This account cannot sign in."))
    if OrganizationLeader.objects.filter(organization=organization, user=user).exists():
        raise ValidationError(
            _("%(name)s already leads %(organization)s.")
            % {
                "name": user.get_full_name() or user.username,
                "organization": organization.name,
            }
        )
    leader = OrganizationLeader(
        organization=organization, user=user, granted_by=by, granted_at=clock.now()
    )
    leader.full_clean()
    leader.save()
    return leader


@transaction.atomic
def leader_remove(*, leader: OrganizationLeader, by: User) -> None:
    """Take the role away (the history table keeps who had it, and until when)."""
    if not may_manage_leaders(by, leader.organization):
        raise ValidationError(_("You may not name the leaders of this organization."))
    leader.delete()
