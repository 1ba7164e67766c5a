"""The email about a comment on a shared video (`video_comment`): when one person comments or
replies, the others of the relationship (the mentor or coach, the protégé or each team member)
are told, each in their own language, unless they turned it off on *My settings*.

Sent through the outbox like the relationship emails (relationships/notifications.py). By the
time the worker writes it the comment may be gone, or the video no longer readable by the
recipient (made private, the firewall): then it is not sent. The email names who commented and
the moment, and links to the video; the words stay in the app.
"""

from typing import cast

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.names import person_name
from evidence.video_comments import VideoComment
from outbox import kinds
from outbox import services as outbox
from outbox.kinds import Kind, Letter
from outbox.models import Delivery
from relationships.notifications import letter, supported
from relationships.roles import MENTOR, PROTEGE

VIDEO_COMMENT = "video_comment"


def write_video_comment(delivery: Delivery) -> Letter | None:
    comment = (
        VideoComment.objects.select_related(
            "author",
            "attachment__relationship__program",
            "attachment__relationship__mentor",
            "attachment__relationship__protege",
            "attachment__relationship__team",
            "attachment__visit__relationship",
            "attachment__goal__relationship",
            "attachment__progress_entry__goal__relationship",
        )
        .filter(pk=delivery.params.get("comment"))
        .first()
    )
    recipient = delivery.recipient
    if comment is None or recipient is None:
        return None
    attachment = comment.attachment
    if not rules.test_rule("evidence.read_attachment", recipient, attachment):
        return None
    relationship = attachment.relationship
    context = {
        "author_name": person_name(comment.author),
        "moment": comment.moment,
        "is_reply": comment.parent_id is not None,
        "kind": relationship.get_kind_display().lower(),
        "program": relationship.program,
    }
    path = f"{reverse('evidence:video', args=[attachment.code])}?t={comment.at_seconds}"
    return letter("video_comment", delivery, context, path)


def notify_video_comment(comment: VideoComment) -> None:
    """Tell the relationship's other people that `comment` was written."""
    relationship = comment.attachment.relationship
    for person in [relationship.mentor, *supported(relationship)]:
        if person.pk != comment.author_id:
            outbox.queue(VIDEO_COMMENT, person, comment=comment.pk)


def register_kinds() -> None:
    kinds.register(
        Kind(
            name=VIDEO_COMMENT,
            write=write_video_comment,
            switch=cast(str, _("Email me when someone comments on a shared video")),
            roles=frozenset({MENTOR, PROTEGE}),
        ),
    )
