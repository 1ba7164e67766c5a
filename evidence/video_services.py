"""Writes for video review: a comment pinned to a moment of a shared video, and replies.

Who writes is `evidence.comment_on_video` (evidence/rules.py): the mentor or coach and the
protégé (each team member) of an open relationship, on a shared video they may read. A reply
hangs under the comment it answers, one level deep (a reply to a reply joins its thread), at
that comment's moment. The other side is emailed (evidence/notifications.py).
"""

import rules
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evidence.models import Attachment
from evidence.notifications import notify_video_comment
from evidence.video_comments import VideoComment

BODY_MAX_LENGTH = 2000


@transaction.atomic
def video_comment_add(
    *,
    attachment: Attachment,
    by: User,
    body: str,
    at_seconds: int | None = None,
    parent: VideoComment | None = None,
) -> VideoComment:
    """Add `by`'s comment on `attachment` at `at_seconds`, or their reply to `parent`."""
    if not rules.test_rule("evidence.comment_on_video", by, attachment):
        raise ValidationError(
            _("Only the people in this relationship comment on its shared videos while it is open.")
        )
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment."))
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("A comment is at most %(max)d characters.") % {"max": BODY_MAX_LENGTH}
        )
    if parent is not None:
        if parent.attachment_id != attachment.pk:
            raise ValidationError(_("That comment is not on this video."))
        parent = parent.parent or parent
        at_seconds = parent.at_seconds
    if at_seconds is None or at_seconds < 0:
        raise ValidationError(_("Say at which moment of the video."))
    comment = VideoComment.objects.create(
        attachment=attachment, author=by, at_seconds=at_seconds, body=body, parent=parent
    )
    notify_video_comment(comment)
    return comment
