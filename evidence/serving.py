"""A stand-in for the file view (`evidence:file`), so that the video review page plays its
video on this branch: the attachment's file, for whoever may read it (else 404), with byte
ranges so that a browser can seek in a video. The attachments branch brings the real view
(limits, thumbnails, the proxy's X-Accel-Redirect), which replaces this one."""

import re

from django.http import FileResponse, HttpResponse, HttpResponseBase, HttpResponseNotAllowed

from core.http import AuthedRequest
from evidence.models import Attachment
from relationships.lookups import get_permitted_or_404

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def attachment_file(request: AuthedRequest, code) -> HttpResponseBase:
    attachment = get_permitted_or_404(
        Attachment.objects.select_related(
            "relationship",
            "visit__relationship",
            "goal__relationship",
            "progress_entry__goal__relationship",
        ),
        rule="evidence.read_attachment",
        user=request.user,
        code=code,
    )
    # Out of scope is a 404 whatever the method (tests/relationships/test_protege_firewall.py).
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    size = attachment.file.size
    wanted = RANGE.match(request.headers.get("Range", ""))
    response: HttpResponseBase
    if wanted and (wanted[1] or wanted[2]):
        if wanted[1]:
            start, end = int(wanted[1]), int(wanted[2] or size - 1)
        else:
            start, end = max(size - int(wanted[2]), 0), size - 1
        end = min(end, size - 1)
        if start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with attachment.file.open("rb") as stored:
            stored.seek(start)
            part = stored.read(end - start + 1)
        response = HttpResponse(part, status=206, content_type=attachment.content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
