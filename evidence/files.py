"""What an uploaded file is, whether it may be kept, and making a photo safe to keep
(docs/design.md, "Classroom evidence").

The type is read from the file's content, never from its name: `filetype` reads the first bytes
(pinned in requirements.txt), a ZIP is opened to tell a Word document or a spreadsheet from any
other archive, and plain text is taken as a CSV spreadsheet only when it reads as text. A
program renamed `photo.jpg` is refused. Each kind has its size limit
(`EVIDENCE_MAX_UPLOAD_BYTES`). A photo is saved again without its EXIF block (the place it was
taken, the camera), turned the way the camera held it.
"""

import io
import zipfile
from dataclasses import dataclass
from typing import IO, cast

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

IMAGE = "image"
VIDEO = "video"
DOCUMENT = "document"
KINDS = (IMAGE, VIDEO, DOCUMENT)

# Content types kept, by kind. What `filetype` reads, plus the ones worked out below.
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/webm", "video/quicktime", "video/x-m4v"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PDF = "application/pdf"
CSV = "text/csv"
DOCUMENT_TYPES = {PDF, DOCX, XLSX, ODS, CSV}

# Pillow's format name for each image type, to save a photo again in its own format.
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}

# The first bytes of programs: Windows (MZ), Linux (ELF), macOS (Mach-O), scripts (#!).
PROGRAM_STARTS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"#!",
)
HEAD_BYTES = 8192
THUMBNAIL_PX = 480


class EvidenceStorage(LazyObject):
    """The `evidence` storage alias, looked up when first used rather than when the models
    load (as Django's `default_storage`), and again after a change of STORAGES (a test's
    `override_settings`)."""

    def _setup(self) -> None:
        self._wrapped = storages["evidence"]


evidence = EvidenceStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting in ("STORAGES", "MEDIA_ROOT"):
        evidence._wrapped = empty  # type: ignore[assignment]


def evidence_storage() -> Storage:
    """Where attachments are kept: the `evidence` storage alias (settings.STORAGES), the file
    system by default and S3-compatible object storage in production (docs/deploy.md)."""
    return cast(Storage, evidence)


@dataclass(frozen=True)
class Detected:
    kind: str
    content_type: str


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _zipped_document(upload: UploadedFile) -> str | None:
    """A Word document, an Excel workbook or an OpenDocument spreadsheet, by what the ZIP holds."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODS.encode():
                return ODS
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def _reads_as_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # The head may cut a character in two at its end.
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


def detect(upload: UploadedFile) -> Detected | None:
    """The kind and type of the file from its content; None for anything not kept."""
    head = _head(upload)
    if not head or head.startswith(PROGRAM_STARTS):
        return None
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime in IMAGE_TYPES:
        return Detected(IMAGE, mime)
    if mime in VIDEO_TYPES:
        return Detected(VIDEO, "video/mp4" if mime == "video/x-m4v" else mime)
    if mime == PDF:
        return Detected(DOCUMENT, PDF)
    if head.startswith(b"PK\x03\x04"):
        zipped = _zipped_document(upload)
        return Detected(DOCUMENT, zipped) if zipped else None
    if mime is None and _reads_as_text(head):
        return Detected(DOCUMENT, CSV)
    return None


def max_bytes(kind: str) -> int:
    return settings.EVIDENCE_MAX_UPLOAD_BYTES[kind]


def check(upload: UploadedFile) -> Detected:
    """The file's kind and type, or a ValidationError that says what is wrong with it."""
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    detected = detect(upload)
    if detected is None:
        raise ValidationError(
            _(
                "This file is not a photo (JPEG, PNG, GIF, WebP), a video (MP4, WebM, "
                "QuickTime) or a document (PDF, Word, Excel, OpenDocument spreadsheet, CSV), "
                "whatever its name says. Choose another file."
            ),
            code="type",
        )
    limit = max_bytes(detected.kind)
    if upload.size > limit:
        messages = {
            IMAGE: _("The photo is %(size)s; photos can be up to %(limit)s."),
            VIDEO: _("The video is %(size)s; videos can be up to %(limit)s."),
            DOCUMENT: _("The document is %(size)s; documents can be up to %(limit)s."),
        }
        raise ValidationError(
            messages[detected.kind]
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="size",
        )
    return detected


def _open_image(data: IO[bytes]) -> Image.Image:
    try:
        image = Image.open(data)
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The photo could not be read. Choose another file."), code="image"
        ) from None
    return image


def strip_metadata(upload: UploadedFile, content_type: str) -> ContentFile | UploadedFile:
    """The photo saved again without EXIF (place, camera, time) or other metadata blocks, the
    way the camera held it. A GIF carries no EXIF and is kept as it is (re-saving would lose
    its animation)."""
    upload.seek(0)
    image = _open_image(cast(IO[bytes], upload))
    upload.seek(0)
    pil_format = PIL_FORMATS.get(content_type)
    if pil_format is None:
        return upload
    upright = ImageOps.exif_transpose(image)
    if pil_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    options: dict = {"format": pil_format}
    if pil_format == "JPEG":
        options.update(quality=90, optimize=True)
    elif pil_format == "WEBP":
        options.update(quality=90)
    icc = image.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    # No `exif=` and no `pnginfo=`: Pillow writes neither unless asked.
    upright.save(out, **options)
    return ContentFile(out.getvalue())


def image_thumbnail(source) -> bytes:
    """A JPEG no wider or taller than THUMBNAIL_PX."""
    opened = Image.open(source)
    opened.seek(0)
    image = ImageOps.exif_transpose(opened)
    image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    if image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def video_poster(source) -> bytes | None:
    """A poster frame of a video, as a JPEG thumbnail: the first frame PyAV decodes, about a
    second in where the video is that long. None when the video cannot be read."""
    import av  # PyAV (FFmpeg), only in the worker

    try:
        with av.open(source) as container:
            stream = container.streams.video[0]
            frame = None
            for decoded in container.decode(stream):
                frame = decoded
                if decoded.time is None or decoded.time >= 1:
                    break
            if frame is None:
                return None
            image = frame.to_image()
    except (av.error.FFmpegError, IndexError, ValueError, OSError):
        return None
    image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=80)
    return out.getvalue()
