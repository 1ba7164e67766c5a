"""Who may read an attachment: the rules of its record, exactly (docs/design.md, "Classroom
evidence"). A private attachment is its author's alone; a shared one is read by whoever reads
its record's conversation tier, so the supervision firewall and a coordinator's sharing date
hold for files as they do for words."""

import rules

from core.rules_registry import add_rule_and_perm
from goals.rules import can_read_goal, can_read_progress_entry
from relationships.rules import can_read_visit, is_supervisor


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
