"""Video review's parts of lower apps' pages (`{% load evidence_video %}`: the lower app's
template names them, its Python never imports this app; docs/design.md, "The layers"). A
library of its own beside the attachments' `evidence` library, so that the two grow apart.

- `{% video_review_link attachment %}`: a link to a video's review page (`evidence:video`),
  with its count of comments when given one; nothing for an attachment that is not a video.
- `{% videos_to_review relationship request.user %}`: the relationship page's "Videos to
  review": the shared videos of the relationship this person may read, newest first, with
  their counts of comments. One query when there are none; two, whatever the number of
  videos and comments.
"""

from dataclasses import dataclass

import rules
from django import template
from django.contrib.auth.models import User
from django.db.models import OuterRef

from core.querytools import subquery_count
from evidence.models import Attachment
from evidence.video_comments import VideoComment
from relationships.models import SupportRelationship

register = template.Library()


@dataclass(frozen=True)
class VideoToReview:
    attachment: Attachment
    comments: int


@register.inclusion_tag("evidence/includes/video_review_link.html")
def video_review_link(attachment: Attachment, comments: int | None = None) -> dict:
    return {
        "attachment": attachment if attachment.kind == Attachment.Kind.VIDEO else None,
        "comments": comments,
    }


def shared_videos(relationship: SupportRelationship, user: User) -> list[VideoToReview]:
    """The shared videos of `relationship` that `user` may read, with their comment counts.
    The reading rule runs on each row from the role sets, without a query per row: each
    record comes with the relationship it belongs to."""
    if not rules.test_rule("relationships.read_conversation", user, relationship):
        return []
    shared = Attachment.objects.shared().filter(
        relationship=relationship, kind=Attachment.Kind.VIDEO
    )
    # Most relationships have no video: a plain check (0.5 ms) spares them the query below,
    # whose joins and count cost 3 ms to build, compile and plan even when it finds nothing.
    if not shared.exists():
        return []
    videos = list(
        shared.select_related("visit", "goal", "progress_entry__goal")
        # A subquery, not Count() over a join: grouping by every column of the tables joined
        # made PostgreSQL take 5.7 ms to plan a query that runs in 0.9.
        .annotate(
            comment_count=subquery_count(VideoComment.objects.filter(attachment=OuterRef("pk")))
        )
        .order_by("-created_at", "-pk")
    )
    # The reading rule reads each record's relationship: this one, which the page has (each
    # record's is checked to be it; another would be fetched as usual).
    for video in videos:
        for record in (video, video.visit, video.goal, getattr(video.progress_entry, "goal", None)):
            if record is not None and record.relationship_id == relationship.pk:
                record.relationship = relationship
    return [
        VideoToReview(attachment=video, comments=video.comment_count)
        for video in videos
        if rules.test_rule("evidence.read_attachment", user, video)
    ]


@register.inclusion_tag("evidence/includes/videos_to_review.html")
def videos_to_review(relationship: SupportRelationship, user: User) -> dict:
    return {"videos": shared_videos(relationship, user)}
