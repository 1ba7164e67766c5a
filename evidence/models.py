"""Classroom evidence: files attached to a visit log, a goal or a progress entry.

An attachment follows the record it belongs to (docs/design.md, "Classroom evidence"): a shared
one is read by whoever reads that record's conversation tier (the supervision firewall
included), a private one by its author alone. `relationship` is the record's relationship, kept
on the row so that scoping never joins through the record.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import clock
from evidence.files import evidence_storage
from goals.models import Goal, ProgressEntry
from relationships.models import SupportRelationship
from relationships.visits import Visit


class AttachmentTier(models.TextChoices):
    SHARED = "shared", _("Shared with the relationship")
    PRIVATE = "private", _("Private: only I can see it")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Photo")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """Stored under a random name: the person's file name is kept in `original_name` only."""
    return f"evidence/{attachment.code}/{uuid.uuid4().hex}"


def thumbnail_path(attachment: "Attachment", filename: str) -> str:
    return f"evidence/{attachment.code}/thumb-{uuid.uuid4().hex}.jpg"


class AttachmentQuerySet(models.QuerySet):
    def shared(self):
        return self.filter(tier=AttachmentTier.SHARED)

    def readable_by(self, user, *, shared: bool):
        """Of these (one record's), what `user` reads: the shared ones when they read the
        record's conversation (`shared`), and their own private ones. The caller has checked
        that the firewall does not wall `user` off (evidence/rules.py)."""
        mine = Q(tier=AttachmentTier.PRIVATE, author_id=user.pk)
        return self.filter(Q(tier=AttachmentTier.SHARED) | mine if shared else mine)


class Attachment(models.Model):
    Tier = AttachmentTier
    Kind = AttachmentKind

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        SupportRelationship,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("relationship"),
    )
    # Exactly one record: a visit log, a goal or a progress entry.
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name=_("visit"),
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name=_("goal"),
    )
    progress_entry = models.ForeignKey(
        ProgressEntry,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
        verbose_name=_("progress entry"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    tier = models.CharField(
        _("who can see it"), max_length=16, choices=Tier.choices, default=Tier.SHARED
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=evidence_storage, max_length=300
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    # A small picture of a photo, or a video's poster frame, made in the background.
    thumbnail = models.FileField(
        _("thumbnail"),
        upload_to=thumbnail_path,
        storage=evidence_storage,
        max_length=300,
        blank=True,
    )
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("added at"), default=clock.now, editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(visit__isnull=False, goal__isnull=True, progress_entry__isnull=True)
                    | Q(visit__isnull=True, goal__isnull=False, progress_entry__isnull=True)
                    | Q(visit__isnull=True, goal__isnull=True, progress_entry__isnull=False)
                ),
                name="evidence_attachment_one_record",
            ),
            models.CheckConstraint(
                condition=Q(tier__in=AttachmentTier.values),
                name="evidence_attachment_tier_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AttachmentKind.values),
                name="evidence_attachment_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["relationship", "created_at"])]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("evidence:file", args=[self.code])

    @property
    def record(self):
        return self.visit or self.goal or self.progress_entry

    @property
    def is_private(self) -> bool:
        return self.tier == AttachmentTier.PRIVATE

    @property
    def is_image(self) -> bool:
        return self.kind == AttachmentKind.IMAGE

    @property
    def is_video(self) -> bool:
        return self.kind == AttachmentKind.VIDEO

    @property
    def shown_inline(self) -> bool:
        """Photos and videos open in the browser; documents download."""
        return self.kind in (AttachmentKind.IMAGE, AttachmentKind.VIDEO)


# Comments on a video, in their own module: imported here, they are models of this app.
from evidence.video_comments import VideoComment  # noqa: E402, F401
