"""Sending an attachment's file to someone the view has let read it (evidence/views.py).

Never a public address: the file view checks permission, then either streams the file from
the `evidence` storage (whatever its backend: the file system, an S3 bucket, memory in tests)
or, in production behind nginx (`EVIDENCE_ACCEL_REDIRECT_PREFIX`), answers with an empty body
and `X-Accel-Redirect` so that nginx streams it from an `internal` location (docs/deploy.md).
Photos and videos open in the browser, documents download; a single byte range is answered
with 206, so a browser can seek in a video.
"""

import re
from collections.abc import Iterator
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from evidence.models import Attachment

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _protect(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


UNSATISFIABLE = "unsatisfiable"


def _byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) of a single satisfiable range; None to send the whole file (no header, or
    several ranges); UNSATISFIABLE when the range cannot be satisfied."""
    match = RANGE.match(header.strip())
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return UNSATISFIABLE
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return UNSATISFIABLE
    return start, end


def _chunks(file, start: int, length: int) -> Iterator[bytes]:
    try:
        file.seek(start)
        remaining = length
        while remaining > 0:
            chunk = file.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        file.close()


def serve(request: HttpRequest, attachment: Attachment, *, thumbnail: bool = False):
    """The attachment's file (or its thumbnail) as the response."""
    field = attachment.thumbnail if thumbnail else attachment.file
    name = field.name or ""
    content_type = "image/jpeg" if thumbnail else attachment.content_type
    inline = thumbnail or attachment.shown_inline
    disposition = (
        content_disposition_header(as_attachment=not inline, filename=attachment.original_name)
        or ""
    )
    prefix = settings.EVIDENCE_ACCEL_REDIRECT_PREFIX
    if prefix:
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name)
        response["Content-Disposition"] = disposition
        return _protect(response)
    size = field.size
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if isinstance(wanted, str):
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _protect(response)
    file = field.storage.open(name, "rb")
    if wanted is None:
        response = FileResponse(file, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        length = end - start + 1
        response = StreamingHttpResponse(
            _chunks(file, start, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    response["Content-Disposition"] = disposition
    response["Accept-Ranges"] = "bytes"
    return _protect(response)
