"""Reading attachments: only through the file view, by whoever reads the record's conversation
(the supervisor and outsiders get a 404), private ones by their author alone; the headers, byte
ranges for video, nginx's X-Accel-Redirect; a second storage backend; thumbnails; deleting."""

import io

import pytest
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from audit.models import AccessLogEntry
from evidence.files import evidence_storage
from evidence.models import Attachment
from evidence.services import attachment_add
from evidence.tasks import attachment_thumbnail_make
from tests.evidence import samples
from tests.factories import GoalFactory, ProgressEntryFactory, VisitFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db


def add(record, by, name="chart.png", content=None, **kwargs) -> Attachment:
    content = samples.png() if content is None else content
    return attachment_add(record=record, by=by, upload=SimpleUploadedFile(name, content), **kwargs)


def urls(attachment: Attachment) -> list[str]:
    return [
        reverse(f"evidence:{name}", args=[attachment.code])
        for name in ("file", "thumbnail", "delete")
    ]


def status(client, user, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


def test_every_file_url_is_a_404_for_an_outsider_and_for_the_supervisor(client, world):
    goal = GoalFactory(relationship=world["relationship"], agreed=True)
    entry = ProgressEntryFactory(goal=goal, recorded_by=world["mentor"])
    for record in (world["visit"], goal, entry):
        attachment = add(record, world["mentor"])
        attachment_thumbnail_make(attachment.pk)
        for url in urls(attachment):
            assert status(client, world["mentor"], url) == 200, url
            for who in ("outsider", "supervisor"):
                assert status(client, world[who], url) == 404, (who, url)
        assert status(client, world["protege"], urls(attachment)[0]) == 200


def test_a_private_attachment_is_seen_by_its_author_alone(client, world):
    attachment = add(world["visit"], world["protege"], tier="private", caption="My own photo")
    file_url = urls(attachment)[0]
    assert status(client, world["protege"], file_url) == 200
    for who in ("mentor", "coordinator", "supervisor", "outsider"):
        assert status(client, world[who], file_url) == 404, who
        page = client.get(world["visit"].get_absolute_url()).content.decode()
        assert "My own photo" not in page, who
    client.force_login(world["protege"])
    page = client.get(world["visit"].get_absolute_url()).content.decode()
    assert "My own photo" in page and "Private: only you" in page


def test_a_coordinator_who_reads_shared_logs_opens_a_shared_file_and_is_logged(client, world):
    attachment = add(world["visit"], world["mentor"], caption="Anchor chart")
    client.force_login(world["coordinator"])
    assert "Anchor chart" in client.get(world["visit"].get_absolute_url()).content.decode()
    AccessLogEntry.objects.all().delete()

    assert client.get(urls(attachment)[0]).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.reader, entry.kind, entry.visit) == (
        world["coordinator"],
        "visit",
        world["visit"],
    )
    assert "chart.png" in entry.what
    # Nobody in the relationship is logged.
    for who in ("mentor", "protege"):
        status(client, world[who], urls(attachment)[0])
    assert AccessLogEntry.objects.count() == 1


def test_a_coordinator_without_sharing_gets_a_404(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    visit = VisitFactory(relationship=relationship, logged=True)
    attachment = add(visit, relationship.mentor, caption="Anchor chart")
    assert status(client, coordinator, urls(attachment)[0]) == 404
    assert "Anchor chart" not in client.get(visit.get_absolute_url()).content.decode()
    assert not AccessLogEntry.objects.exists()


def test_the_file_is_streamed_with_safe_headers(client, world):
    photo = add(world["visit"], world["mentor"], name="chart.png")
    document = add(world["visit"], world["mentor"], name="plan.pdf", content=samples.pdf())
    client.force_login(world["protege"])

    response = client.get(urls(photo)[0])
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    with photo.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()

    response = client.get(urls(document)[0])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert b"".join(response.streaming_content) == samples.pdf()


def test_a_video_is_served_in_byte_ranges_so_the_browser_can_seek(client, world):
    content = samples.video()
    attachment = add(world["visit"], world["mentor"], name="lesson.mp4", content=content)
    client.force_login(world["mentor"])
    url = urls(attachment)[0]

    response = client.get(url, headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(content)}"
    assert response["Content-Length"] == "100"
    assert b"".join(response.streaming_content) == content[100:200]

    response = client.get(url, headers={"Range": "bytes=-50"})
    assert b"".join(response.streaming_content) == content[-50:]

    response = client.get(url, headers={"Range": f"bytes={len(content)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(content)}"

    response = client.get(url)
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"].startswith("inline")


@override_settings(EVIDENCE_ACCEL_REDIRECT_PREFIX="/protected-evidence/")
def test_in_production_nginx_streams_the_file_after_the_check(client, world):
    attachment = add(world["visit"], world["mentor"], name="plan.pdf", content=samples.pdf())
    client.force_login(world["protege"])
    response = client.get(urls(attachment)[0])
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-evidence/{attachment.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # The check still comes first.
    assert status(client, world["supervisor"], urls(attachment)[0]) == 404


IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}


def test_upload_and_download_work_on_another_storage_backend(
    client, world, django_capture_on_commit_callbacks
):
    with override_settings(STORAGES=IN_MEMORY):
        client.force_login(world["mentor"])
        url = reverse("evidence:attach_to_visit", args=[world["visit"].code])
        content = samples.video()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {"file": samples.upload("lesson.mp4", content), "caption": "A", "tier": "shared"},
            )
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert isinstance(attachment.file.storage._wrapped, InMemoryStorage)
        assert evidence_storage().exists(attachment.file.name)
        assert attachment.thumbnail.name  # the poster, made by the task
        response = client.get(urls(attachment)[0])
        assert b"".join(response.streaming_content) == content
        response = client.get(urls(attachment)[0], headers={"Range": "bytes=10-19"})
        assert b"".join(response.streaming_content) == content[10:20]
    # Nothing of it reached the file system.
    assert not evidence_storage().exists(attachment.file.name)


def test_the_page_shows_a_placeholder_then_the_thumbnail_once_the_task_has_run(client, world):
    photo = add(world["visit"], world["mentor"], name="big.png", content=samples.png(1200, 900))
    video = add(world["visit"], world["mentor"], name="lesson.mp4", content=samples.video())
    client.force_login(world["mentor"])
    page = client.get(world["visit"].get_absolute_url()).content.decode()
    assert "preview being made" in page
    assert reverse("evidence:thumbnail", args=[photo.code]) not in page
    assert client.get(urls(photo)[1]).status_code == 404

    assert attachment_thumbnail_make(photo.pk) == "thumbnail"
    assert attachment_thumbnail_make(video.pk) == "thumbnail"
    page = client.get(world["visit"].get_absolute_url()).content.decode()
    assert "preview being made" not in page
    for attachment in (photo, video):
        response = client.get(urls(attachment)[1])
        assert response["Content-Type"] == "image/jpeg"
        thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert max(thumbnail.size) <= 480
        assert reverse("evidence:thumbnail", args=[attachment.code]) in page
    assert Image.open(io.BytesIO(b"".join(client.get(urls(photo)[1]).streaming_content))).size == (
        480,
        360,
    )


def test_the_author_alone_deletes_after_confirming(
    client, world, django_capture_on_commit_callbacks
):
    attachment = add(world["visit"], world["mentor"], caption="Anchor chart")
    attachment_thumbnail_make(attachment.pk)
    attachment.refresh_from_db()
    names = [attachment.file.name, attachment.thumbnail.name]
    assert all(evidence_storage().exists(name) for name in names)
    delete_url = urls(attachment)[2]
    assert status(client, world["protege"], delete_url) == 403
    assert status(client, world["supervisor"], delete_url) == 404

    client.force_login(world["mentor"])
    page = client.get(delete_url).content.decode()
    assert "Delete “chart.png”?" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url)
    assert response["Location"] == f"{world['visit'].get_absolute_url()}#evidence"
    assert not Attachment.objects.exists()
    assert not any(evidence_storage().exists(name) for name in names)
    assert status(client, world["mentor"], urls(attachment)[0]) == 404
