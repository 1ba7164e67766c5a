"""The video review page (`evidence:video`): a shared video played in the page, its comments
in the order of the video, each jumping to its moment, and replies under them.

Read by whoever reads the attachment (`evidence.read_attachment`: 404 otherwise, as for
anything out of scope); comments written by the relationship's people
(`evidence.comment_on_video`: 403 for a reader who may not write, such as a coordinator who
reads shared logs). Without JavaScript a moment is a link that loads the page with the video
starting there (`?t=102`, a media fragment on the video's address); static/js/video-review.js
seeks in place instead and says so to screen readers.
"""

import uuid
from dataclasses import dataclass

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from core.access import Read, record_read
from core.http import AuthedRequest
from evidence import video_services
from evidence.models import Attachment
from evidence.video_comments import VideoComment, format_moment
from evidence.video_forms import VideoCommentForm, VideoReplyForm
from programs.forms import add_service_error
from relationships.lookups import get_permitted_or_404
from relationships.rules import is_mentor, is_protege

MAX_START = 24 * 3600  # a `?t=` beyond a day is no moment of a classroom video


@dataclass(frozen=True)
class Thread:
    """A comment and its replies, as the page shows them."""

    comment: VideoComment
    replies: list[VideoComment]
    reply_form: VideoReplyForm | None
    # The reply box starts open when what was typed in it came back with an error.
    reply_open: bool


def _video(request: AuthedRequest, code) -> Attachment:
    attachment = get_permitted_or_404(
        Attachment.objects.select_related(
            "author",
            "relationship__program",
            "relationship__mentor",
            "relationship__protege",
            "relationship__team",
            "visit__relationship",
            "goal__relationship",
            "progress_entry__goal__relationship",
        ),
        rule="evidence.read_attachment",
        user=request.user,
        code=code,
    )
    if attachment.kind != Attachment.Kind.VIDEO:
        raise Http404("No video matches the given query.")
    return attachment


def _start(value: str | None) -> int | None:
    """The moment `?t=` asks the video to start at, if it is one."""
    # ASCII digits only ("²" is a digit to `isdigit`), and few of them: no huge number is parsed.
    if value is None or not (value.isascii() and value.isdecimal()) or len(value) > 7:
        return None
    if int(value) > MAX_START:
        return None
    return int(value)


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def _reply_prefix(comment: VideoComment) -> str:
    return f"reply-{comment.code}"


def _threads(
    comments: list[VideoComment],
    *,
    can_comment: bool,
    bound_reply: tuple[uuid.UUID, VideoReplyForm] | None,
) -> list[Thread]:
    """Top-level comments in the order of the video, each with its replies in the order they
    were written; a reply form under each for those who may write."""
    replies: dict[int, list[VideoComment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = []
    for comment in comments:
        if comment.parent_id is not None:
            continue
        form = None
        is_bound = bound_reply is not None and bound_reply[0] == comment.code
        if is_bound:
            form = bound_reply[1]  # type: ignore[index]
        elif can_comment:
            form = VideoReplyForm(prefix=_reply_prefix(comment))
        threads.append(
            Thread(
                comment=comment,
                replies=sorted(replies.get(comment.pk, []), key=lambda r: (r.created_at, r.pk)),
                reply_form=form,
                reply_open=is_bound,
            )
        )
    return threads


def _record_read(request: AuthedRequest, attachment: Attachment) -> None:
    """A reader outside the relationship (a coordinator who reads shared logs) is logged."""
    relationship = attachment.relationship
    if is_mentor(request.user, relationship) or is_protege(request.user, relationship):
        return
    ids: dict[str, int | None]
    if attachment.visit_id is not None:
        kind, ids = "visit", {"visit_id": attachment.visit_id}
    elif attachment.goal_id is not None:
        kind, ids = "goal", {"goal_id": attachment.goal_id}
    else:
        entry = attachment.progress_entry
        kind, ids = "goal", {"goal_id": entry.goal_id if entry is not None else None}
    record_read(
        request,
        [
            Read(
                kind=kind,
                what="A video and its comments",
                relationship_id=relationship.pk,
                program_id=relationship.program_id,
                **ids,
            )
        ],
    )


def video_review(request: AuthedRequest, code) -> HttpResponse:
    attachment = _video(request, code)
    can_comment = rules.test_rule("evidence.comment_on_video", request.user, attachment)
    page_url = reverse("evidence:video", args=[attachment.code])
    start = _start(request.GET.get("t"))
    comment_form = VideoCommentForm(prefix="comment", initial={"moment": format_moment(start or 0)})
    bound_reply: tuple[uuid.UUID, VideoReplyForm] | None = None
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied("Only the relationship's people comment on its videos.")
        reply_to = request.POST.get("reply_to")
        if reply_to is not None:
            parent_code = _uuid(reply_to)
            parent = (
                VideoComment.objects.filter(
                    attachment=attachment, parent=None, code=parent_code
                ).first()
                if parent_code is not None
                else None
            )
            if parent is None:
                raise Http404("No comment matches the given query.")
            form = VideoReplyForm(request.POST, prefix=_reply_prefix(parent))
            bound_reply = (parent.code, form)
            if form.is_valid():
                try:
                    reply = video_services.video_comment_add(
                        attachment=attachment,
                        by=request.user,
                        body=form.cleaned_data["body"],
                        parent=parent,
                    )
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(request, gettext("Your reply is saved."))
                    return redirect(f"{page_url}?t={reply.at_seconds}#comment-{reply.code}")
        else:
            comment_form = VideoCommentForm(request.POST, prefix="comment")
            if comment_form.is_valid():
                try:
                    comment = video_services.video_comment_add(
                        attachment=attachment,
                        by=request.user,
                        body=comment_form.cleaned_data["body"],
                        at_seconds=comment_form.cleaned_data["moment"],
                    )
                except ValidationError as error:
                    add_service_error(comment_form, error)
                else:
                    messages.success(
                        request,
                        gettext("Your comment at %(moment)s is saved.")
                        % {"moment": comment.moment},
                    )
                    return redirect(f"{page_url}?t={comment.at_seconds}#comment-{comment.code}")
    comments = list(VideoComment.objects.on(attachment))
    if not attachment.is_private:
        _record_read(request, attachment)
    relationship = attachment.relationship
    return render(
        request,
        "evidence/video_review.html",
        {
            "attachment": attachment,
            "relationship": relationship,
            "record": attachment.record,
            "threads": _threads(comments, can_comment=can_comment, bound_reply=bound_reply),
            "comment_count": len(comments),
            "can_comment": can_comment,
            "comment_form": comment_form if can_comment else None,
            "start": start,
            "page_url": page_url,
        },
    )
