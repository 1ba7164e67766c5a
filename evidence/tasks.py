"""An attachment's background work: a photo's thumbnail, a video's poster frame
(evidence/files.py). Queued by `services.attachment_add` once the upload commits; the page shows
a placeholder until it has run."""

import logging

from django.core.files.base import ContentFile
from django.tasks import task

from core import clock
from evidence import files
from evidence.models import Attachment

logger = logging.getLogger(__name__)


def attachment_thumbnail_make(attachment_id: int) -> str:
    """Make the attachment's thumbnail (or poster) and mark it processed. What happened."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return "gone"
    if attachment.processed_at is not None:
        return "done already"
    picture = None
    try:
        with attachment.file.open("rb") as source:
            if attachment.kind == Attachment.Kind.IMAGE:
                picture = files.image_thumbnail(source)
            elif attachment.kind == Attachment.Kind.VIDEO:
                picture = files.video_poster(source)
    except (OSError, ValueError):
        logger.exception("No thumbnail for attachment %s", attachment.pk)
    if picture:
        attachment.thumbnail.save("thumb.jpg", ContentFile(picture), save=False)
    attachment.processed_at = clock.now()
    # Only if the row is still there (deleted meanwhile: nothing to do).
    updated = Attachment.objects.filter(pk=attachment.pk).update(
        thumbnail=attachment.thumbnail.name or "", processed_at=attachment.processed_at
    )
    if not updated and attachment.thumbnail.name:
        files.evidence_storage().delete(attachment.thumbnail.name)
        return "gone"
    return "thumbnail" if picture else "no thumbnail"


@task()
def attachment_process(attachment_id: int) -> str:
    return attachment_thumbnail_make(attachment_id)
