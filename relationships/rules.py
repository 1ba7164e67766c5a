"""Permission predicates for relationships and visits.

They encode the same tiers as the querysets' `visible_to()` and `conversation_visible_to()`
(docs/design.md, privacy tiers), reading per-request role sets so that lists never query per row.
"""

import datetime

import rules

from core.rules_registry import add_rule_and_perm
from relationships.roles import relationship_roles


@rules.predicate
def is_mentor(user, relationship) -> bool:
    return relationship is not None and relationship.mentor_id == user.pk


@rules.predicate
def is_protege(user, relationship) -> bool:
    """The protégé of an individual relationship, or a member of the team."""
    if relationship is None:
        return False
    if relationship.protege_id is not None:
        return relationship.protege_id == user.pk
    return relationship.team_id in relationship_roles(user).team_ids


@rules.predicate
def is_supervisor(user, relationship) -> bool:
    """Walled off by the supervision firewall (relationships/firewall.py): the supervisor of
    the protégé or of a member of the team, present or former."""
    if relationship is None:
        return False
    return relationship_roles(user).firewall.covers(relationship)


@rules.predicate
def is_coordinator(user, relationship) -> bool:
    return (
        relationship is not None
        and relationship.program_id in relationship_roles(user).coordinated_program_ids
    )


@rules.predicate
def is_sharing_coordinator(user, relationship) -> bool:
    return (
        relationship is not None
        and relationship.program_id in relationship_roles(user).sharing_program_ids
    )


@rules.predicate
def is_open(user, relationship) -> bool:
    return relationship is not None and relationship.is_open


is_participant = (is_mentor | is_protege) & ~is_supervisor

can_view = is_participant | is_coordinator | rules.is_superuser
can_read_conversation = (is_mentor | is_protege | is_sharing_coordinator) & ~is_supervisor

add_rule_and_perm("relationships.view_supportrelationship", can_view)
add_rule_and_perm("relationships.read_conversation", can_read_conversation)
# The workspace pages (relationship page, visit page): `can_view` without the admin, who reads
# records through Django admin. Pages fetch by code and test this rule, 404 when it fails
# (relationships/lookups.py), rather than build the `visible_to()` queryset for one row.
can_open_page = is_participant | is_coordinator
add_rule_and_perm("relationships.open_relationship_page", can_open_page)
add_rule_and_perm("relationships.work_in_relationship", is_mentor & ~is_supervisor & is_open)
add_rule_and_perm("relationships.acknowledge_visit", is_protege & ~is_supervisor)
add_rule_and_perm("relationships.manage_relationship", is_coordinator | rules.is_superuser)


@rules.predicate
def is_informal(user, relationship) -> bool:
    return relationship is not None and relationship.program_id is None


# An informal relationship has no coordinator: either of its two people ends it.
add_rule_and_perm(
    "relationships.end_informal_relationship",
    is_informal & is_open & (is_mentor | is_protege) & ~is_supervisor,
)


@rules.predicate
def is_visit_author(user, visit) -> bool:
    return visit is not None and visit.created_by_id == user.pk


@rules.predicate
def can_open_visit_page(user, visit) -> bool:
    return visit is not None and can_open_page(user, visit.relationship)


def conversation_since(user, relationship) -> datetime.datetime | None:
    """From when `user` reads the conversation of a relationship whose conversation they may
    read: None (all of it) for its own people; for a coordinator who reads shared logs, the
    moment the program began sharing them (docs/design.md, "Audit")."""
    if is_mentor(user, relationship) or is_protege(user, relationship):
        return None
    return relationship_roles(user).sharing_since.get(relationship.program_id)


def written_since(moment: datetime.datetime | None, since: datetime.datetime | None) -> bool:
    return since is None or (moment is not None and moment >= since)


def visit_written_at(visit) -> datetime.datetime:
    """When a visit's conversation was written: when it was logged (planned, until then)."""
    return visit.logged_at or visit.created_at


@rules.predicate
def can_read_visit(user, visit) -> bool:
    """The visit's conversation tier: what `Visit.objects.conversation_visible_to()` returns."""
    if visit is None or not can_read_conversation(user, visit.relationship):
        return False
    return written_since(visit_written_at(visit), conversation_since(user, visit.relationship))


@rules.predicate
def is_walled_off_from_visit(user, visit) -> bool:
    return visit is not None and is_supervisor(user, visit.relationship)


# The author alone, and not even them once the firewall walls the relationship off from them
# (a mentor later recorded as the protégé's supervisor).
add_rule_and_perm("relationships.read_private_notes", is_visit_author & ~is_walled_off_from_visit)
add_rule_and_perm("relationships.open_visit_page", can_open_visit_page)
add_rule_and_perm("relationships.read_visit", can_read_visit)
