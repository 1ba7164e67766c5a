"""Adding and deleting attachments (docs/design.md, "Classroom evidence").

The views have checked that the person may add to the record (evidence/rules.py); these check
the file itself (evidence/files.py), strip a photo's metadata before anything is stored, write
the row and its file, and queue the thumbnail or poster once the write commits.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from evidence import files
from evidence.models import Attachment, AttachmentTier
from evidence.video_comments import VideoComment
from goals.models import Goal, ProgressEntry
from relationships.visits import Visit

Record = Visit | Goal | ProgressEntry


def _record_fields(record: Record) -> dict:
    if isinstance(record, Visit):
        return {"visit": record, "relationship_id": record.relationship_id}
    if isinstance(record, Goal):
        return {"goal": record, "relationship_id": record.relationship_id}
    return {"progress_entry": record, "relationship_id": record.goal.relationship_id}


def _original_name(upload: UploadedFile) -> str:
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:255] or _("file")


def attachment_add(
    *,
    record: Record,
    by: User,
    upload: UploadedFile,
    tier: str = AttachmentTier.SHARED,
    caption: str = "",
) -> Attachment:
    """Attach `upload` to a visit log, a goal or a progress entry. Raises ValidationError
    (on `file`) for a file of the wrong type or size, or a photo that cannot be read."""
    from evidence.tasks import attachment_process

    if tier not in AttachmentTier.values:
        raise ValidationError({"tier": _("Choose who can see the file.")})
    try:
        detected = files.check(upload)
        content = (
            files.strip_metadata(upload, detected.content_type)
            if detected.kind == files.IMAGE
            else upload
        )
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    with transaction.atomic():
        attachment = Attachment(
            **_record_fields(record),
            author=by,
            tier=tier,
            kind=detected.kind,
            original_name=_original_name(upload),
            content_type=detected.content_type,
            size=content.size or 0,
            caption=caption.strip(),
        )
        attachment.file.save("upload", content, save=False)
        stored = attachment.file.name or ""
        try:
            attachment.save()
        except Exception:
            files.evidence_storage().delete(stored)
            raise
        if detected.kind != files.DOCUMENT:
            transaction.on_commit(lambda: attachment_process.enqueue(attachment.pk))
    return attachment


def attachment_delete(*, attachment: Attachment, by: User) -> None:
    """Delete an attachment and, once that commits, its file and thumbnail. Its author alone
    (the view checks `evidence.delete_attachment`)."""
    if attachment.author_id != by.pk:
        raise ValidationError(_("Only the person who added a file can delete it."))
    names = [name for name in (attachment.file.name, attachment.thumbnail.name) if name]
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).delete()

        def remove_files() -> None:
            storage = files.evidence_storage()
            for name in names:
                storage.delete(name)

        transaction.on_commit(remove_files)


def attachments_remove(*, attachments: QuerySet[Attachment]) -> int:
    """Delete these attachments, their video comments with them, and once that commits their
    files: what anonymizing leaves of classroom evidence (privacy/services.py). Returns how many."""
    rows = list(attachments.values_list("pk", "file", "thumbnail"))
    names = [name for __, file, thumbnail in rows for name in (file, thumbnail) if name]
    Attachment.objects.filter(pk__in=[row[0] for row in rows]).delete()

    def remove_files() -> None:
        storage = files.evidence_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return len(rows)


def video_comments_scrub(*, comments: QuerySet[VideoComment], replacement: str) -> None:
    """Replace the words of these comments with `replacement` (their moments and threads
    stay)."""
    VideoComment.objects.filter(pk__in=comments.values("pk")).update(body=replacement)
