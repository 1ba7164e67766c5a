"""Videos for the video review tests, written as rows directly (the upload form is the
attachments' branch's): a shared video on a visit log, and comments on it.

`clip.webm` beside this file is a real video: 4 seconds of 64×48 frames at 10 a second, VP8,
3 KB, made once with PyAV (`av.open(path, "w").add_stream("libvpx", rate=10)`, a moving white
square), so that Chromium plays it and can seek in it.
"""

from pathlib import Path

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from evidence.models import Attachment
from evidence.video_comments import VideoComment
from tests.factories import VisitFactory

CLIP = Path(__file__).with_name("clip.webm")


def clip_file() -> ContentFile:
    return ContentFile(CLIP.read_bytes(), name="clip.webm")


class VideoFactory(DjangoModelFactory):
    """A shared video on a logged visit, added by the relationship's mentor.
    `private=True` makes it private to its author."""

    visit = factory.SubFactory(VisitFactory, logged=True)
    relationship = factory.SelfAttribute("visit.relationship")
    author = factory.SelfAttribute("relationship.mentor")
    tier = Attachment.Tier.SHARED
    kind = Attachment.Kind.VIDEO
    file = factory.LazyFunction(clip_file)
    original_name = "read-aloud.webm"
    content_type = "video/webm"
    size = factory.LazyFunction(lambda: CLIP.stat().st_size)
    caption = "Morning read-aloud"

    class Meta:
        model = Attachment

    class Params:
        private = factory.Trait(tier=Attachment.Tier.PRIVATE)


class VideoCommentFactory(DjangoModelFactory):
    attachment = factory.SubFactory(VideoFactory)
    author = factory.SelfAttribute("attachment.relationship.mentor")
    at_seconds = 102
    body = "The open question here worked."

    class Meta:
        model = VideoComment
