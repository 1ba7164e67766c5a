"""Comments pinned to a moment of a shared video (docs/design.md, "Classroom evidence").

A comment is of the shared-conversation tier of its video: whoever reads the attachment
(`evidence.read_attachment`) reads its comments, and only the mentor or coach and the protégé
(each team member) write them (`evidence.comment_on_video`). A reply hangs under a comment,
one level deep, at that comment's moment.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import clock
from evidence.models import Attachment


def format_moment(seconds: int) -> str:
    """A moment of a video as people write it: "01:42", or "1:02:03" past the first hour."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


class VideoCommentQuerySet(models.QuerySet):
    def on(self, attachment: Attachment) -> "VideoCommentQuerySet":
        """The comments of a video, in the order of the video, with their authors."""
        return (
            self.filter(attachment=attachment)
            .select_related("author")
            .order_by("at_seconds", "created_at", "pk")
        )


class VideoComment(models.Model):
    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    attachment = models.ForeignKey(
        Attachment,
        on_delete=models.CASCADE,
        related_name="video_comments",
        verbose_name=_("video"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    at_seconds = models.PositiveIntegerField(_("moment (seconds into the video)"))
    body = models.TextField(_("comment"), max_length=2000)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        related_name="replies",
        null=True,
        blank=True,
        verbose_name=_("in reply to"),
    )
    created_at = models.DateTimeField(_("written at"), default=clock.now, editable=False)

    objects = VideoCommentQuerySet.as_manager()

    class Meta:
        ordering = ["at_seconds", "created_at", "pk"]
        verbose_name = _("video comment")
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="evidence_videocomment_body_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["attachment", "at_seconds"])]

    def __str__(self):
        return f"{format_moment(self.at_seconds)} {self.body[:40]}"

    @property
    def moment(self) -> str:
        return format_moment(self.at_seconds)
