"""What a record's evidence section shows to one person (evidence/templatetags/evidence.py):
in one query, whatever the number of files."""

import datetime
from dataclasses import dataclass

import rules
from django.db.models import Q
from django.urls import reverse

from core.names import person_name
from evidence.models import Attachment
from goals.models import Goal
from relationships.rules import is_supervisor
from relationships.visits import Visit


@dataclass(frozen=True)
class AttachmentRow:
    attachment: Attachment
    author: str
    is_mine: bool
    # For a file of a goal's data point, shown on the goal page: the point's date.
    point_on: datetime.date | None = None


@dataclass(frozen=True)
class EvidenceSection:
    rows: list[AttachmentRow]
    attach_url: str | None  # None when this person cannot add files here


def evidence_section(record: Visit | Goal, user) -> EvidenceSection:
    """The files of a visit log, or of a goal and its data points, that `user` may read."""
    relationship = record.relationship
    if isinstance(record, Visit):
        can_read = rules.test_rule("relationships.read_visit", user, record)
        scope = Q(visit=record)
        can_attach = rules.test_rule("evidence.attach_to_visit", user, record)
        attach_url = reverse("evidence:attach_to_visit", args=[record.code])
    else:
        can_read = rules.test_rule("goals.read_goal", user, record)
        scope = Q(goal=record) | Q(progress_entry__goal=record)
        can_attach = rules.test_rule("evidence.attach_to_goal", user, record)
        attach_url = reverse("evidence:attach_to_goal", args=[record.code])
    if is_supervisor(user, relationship):
        return EvidenceSection(rows=[], attach_url=None)
    attachments = (
        Attachment.objects.filter(scope)
        .readable_by(user, shared=can_read)
        .select_related("author", "progress_entry")
        .order_by("created_at", "pk")
    )
    rows = [
        AttachmentRow(
            attachment=attachment,
            author=person_name(attachment.author),
            is_mine=attachment.author_id == user.pk,
            point_on=attachment.progress_entry.date if attachment.progress_entry else None,
        )
        for attachment in attachments
    ]
    return EvidenceSection(rows=rows, attach_url=attach_url if can_attach else None)
