"""Who may read an attachment: the rules of its record, exactly (docs/design.md, "Classroom
evidence"). A private attachment is its author's alone; a shared one is read by whoever reads
its record's conversation tier, so the supervision firewall and a coordinator's sharing date
hold for files as they do for words."""

import rules

from core.rules_registry import add_rule_and_perm
from goals.rules import can_read_goal, can_read_progress_entry, can_work_on_goal
from relationships.rules import can_read_visit, is_mentor, is_open, is_protege, is_supervisor


@rules.predicate
def can_read_attachment(user, attachment) -> bool:
    if attachment is None or not user.is_authenticated:
        return False
    if attachment.is_private:
        # Not even the author once the firewall walls the relationship off from them.
        return attachment.author_id == user.pk and not is_supervisor(user, attachment.relationship)
    if attachment.visit_id is not None:
        return can_read_visit(user, attachment.visit)
    if attachment.goal_id is not None:
        return can_read_goal(user, attachment.goal)
    return can_read_progress_entry(user, attachment.progress_entry)


add_rule_and_perm("evidence.read_attachment", can_read_attachment)


@rules.predicate
def can_attach_to_visit(user, visit) -> bool:
    """The mentor or the protégé (a team member) of an open relationship adds files to a
    visit's log once it is logged, and not the supervisor, whatever else they are."""
    if visit is None or visit.status != visit.Status.LOGGED:
        return False
    relationship = visit.relationship
    return (
        (is_mentor(user, relationship) or is_protege(user, relationship))
        and not is_supervisor(user, relationship)
        and relationship.is_open
    )


@rules.predicate
def can_attach_to_progress_entry(user, entry) -> bool:
    return entry is not None and entry.withdrawn_at is None and can_work_on_goal(user, entry.goal)


@rules.predicate
def can_delete_attachment(user, attachment) -> bool:
    """Its author alone, while they may still read it."""
    return (
        attachment is not None
        and attachment.author_id == user.pk
        and can_read_attachment(user, attachment)
    )


add_rule_and_perm("evidence.attach_to_visit", can_attach_to_visit)
add_rule_and_perm("evidence.attach_to_goal", can_work_on_goal)
add_rule_and_perm("evidence.attach_to_progress_entry", can_attach_to_progress_entry)
add_rule_and_perm("evidence.delete_attachment", can_delete_attachment)


@rules.predicate
def is_shared_video(user, attachment) -> bool:
    return (
        attachment is not None
        and not attachment.is_private
        and attachment.kind == attachment.Kind.VIDEO
    )


@rules.predicate
def works_in_attachment_relationship(user, attachment) -> bool:
    """The mentor or coach, or the protégé (a team member), of the attachment's relationship
    while it is open; never someone the firewall walls off from it. Not its coordinators."""
    if attachment is None:
        return False
    relationship = attachment.relationship
    return bool(
        (is_mentor(user, relationship) or is_protege(user, relationship))
        and not is_supervisor(user, relationship)
        and is_open(user, relationship)
    )


# Comments on a video are of its conversation tier: read with the video (read_attachment),
# written by the relationship's own two sides, on a shared video only.
add_rule_and_perm(
    "evidence.comment_on_video",
    is_shared_video & works_in_attachment_relationship & can_read_attachment,
)
