"""The demo's classroom evidence: a photo on the demo mentor's latest visit log with the
resident, so that the demo shows a file, its thumbnail and its reading rule."""

import io

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from evidence.services import attachment_add
from evidence.tasks import attachment_thumbnail_make
from relationships.models import SupportRelationship, Visit

CAPTION = "The turn-and-talk anchor chart, by the carpet"


def anchor_chart_png() -> bytes:
    """A small picture of an anchor chart on a wall: coloured cards with lines for words."""
    image = Image.new("RGB", (640, 480), (236, 229, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 60, 520, 420), fill=(255, 255, 250), outline=(90, 90, 90), width=4)
    draw.text((150, 80), "TURN AND TALK", fill=(30, 60, 120))
    for row, colour in enumerate([(231, 111, 81), (42, 157, 143), (233, 196, 106)]):
        top = 130 + row * 95
        draw.rectangle((150, top, 230, top + 70), fill=colour)
        for line in range(3):
            y = top + 12 + line * 20
            draw.line((250, y, 480 - line * 40, y), fill=(120, 120, 120), width=5)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add_demo_evidence(*, users: dict[str, User]) -> None:
    mentor = users["mentor"]
    relationship = (
        SupportRelationship.objects.open()
        .filter(mentor=mentor, protege=users["resident"])
        .order_by("pk")
        .first()
    )
    if relationship is None:
        return
    visit = relationship.visits.filter(status=Visit.Status.LOGGED).order_by("-date", "-pk").first()
    if visit is None:
        return
    attachment = attachment_add(
        record=visit,
        by=mentor,
        upload=SimpleUploadedFile("anchor-chart.png", anchor_chart_png(), "image/png"),
        caption=CAPTION,
    )
    type(attachment).objects.filter(pk=attachment.pk).update(
        created_at=visit.logged_at or visit.created_at
    )
    # The demo shows the thumbnail without waiting for the worker.
    attachment_thumbnail_make(attachment.pk)
