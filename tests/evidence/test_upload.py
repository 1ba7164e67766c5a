"""Attaching files through the page: every kind, and the refusals with their message, the
caption and the tier kept."""

import html
import re

import pytest
from django.urls import reverse
from PIL import Image

from evidence.models import Attachment
from tests.evidence import samples
from tests.factories import GoalFactory, ProgressEntryFactory

pytestmark = pytest.mark.django_db


def attach_url(visit) -> str:
    return reverse("evidence:attach_to_visit", args=[visit.code])


def post(client, url, name, content, *, caption="The anchor chart", tier="shared"):
    return client.post(
        url, {"file": samples.upload(name, content), "caption": caption, "tier": tier}
    )


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.mark.parametrize(
    ("name", "make", "kind", "content_type"),
    [
        ("chart.jpg", samples.jpeg_with_gps, "image", "image/jpeg"),
        ("chart.png", samples.png, "image", "image/png"),
        ("lesson.mp4", samples.video, "video", "video/mp4"),
        ("lesson.webm", lambda: samples.video("webm", "libvpx"), "video", "video/webm"),
        ("lesson.mov", lambda: samples.video("mov"), "video", "video/quicktime"),
        ("plan.pdf", samples.pdf, "document", "application/pdf"),
        (
            "plan.docx",
            samples.docx,
            "document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "counts.xlsx",
            samples.xlsx,
            "document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("counts.ods", samples.ods, "document", "application/vnd.oasis.opendocument.spreadsheet"),
        ("counts.csv", samples.csv, "document", "text/csv"),
    ],
)
def test_the_mentor_attaches_each_kind_to_a_visit_log_and_sees_it_on_the_page(
    client, world, django_capture_on_commit_callbacks, name, make, kind, content_type
):
    visit = world["visit"]
    client.force_login(world["mentor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, attach_url(visit), name, make(), caption=f"Evidence {name}")
    assert response.status_code == 302
    assert response["Location"] == f"{visit.get_absolute_url()}#evidence"

    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.content_type) == (kind, content_type)
    assert (attachment.original_name, attachment.visit, attachment.author) == (
        name,
        visit,
        world["mentor"],
    )
    assert name not in attachment.file.name  # stored under a random name
    page = text(client.get(visit.get_absolute_url()))
    assert f"Evidence {name}" in page
    assert reverse("evidence:file", args=[attachment.code]) in page


def test_the_protege_attaches_to_a_goal_and_to_a_data_point(client, world):
    relationship = world["relationship"]
    goal = GoalFactory(relationship=relationship, agreed=True)
    entry = ProgressEntryFactory(goal=goal, recorded_by=world["protege"])
    client.force_login(world["protege"])

    goal_page = text(client.get(goal.get_absolute_url()))
    assert "Attach a file" in goal_page
    assert reverse("evidence:attach_to_progress_entry", args=[entry.code]) in goal_page

    url = reverse("evidence:attach_to_goal", args=[goal.code])
    assert post(client, url, "plan.pdf", samples.pdf(), caption="Lesson plan").status_code == 302
    url = reverse("evidence:attach_to_progress_entry", args=[entry.code])
    assert post(client, url, "count.csv", samples.csv(), caption="Tally").status_code == 302

    page = text(client.get(goal.get_absolute_url()))
    assert "Lesson plan" in page and "Tally" in page
    assert f"data point of {entry.date:%b} {entry.date.day}, {entry.date.year}" in page
    tally = Attachment.objects.get(caption="Tally")
    assert (tally.progress_entry, tally.relationship) == (entry, relationship)


def test_the_form_works_on_a_phone_without_forcing_the_camera(client, world):
    client.force_login(world["mentor"])
    page = client.get(attach_url(world["visit"])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/*,video/*,.pdf,.docx,.xlsx,.ods,.csv' in page
    assert "capture" not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", samples.WINDOWS_PROGRAM, "This file is not a photo"),
        ("photo.jpg", samples.LINUX_PROGRAM, "This file is not a photo"),
        ("notes.zip", samples.plain_zip(), "This file is not a photo"),
        ("empty.pdf", b"", "The file is empty."),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "The photo could not be read."),
    ],
)
def test_a_refused_file_is_explained_next_to_the_field_and_the_rest_is_kept(
    client, world, name, content, message
):
    client.force_login(world["mentor"])
    response = post(
        client, attach_url(world["visit"]), name, content, caption="Kept caption", tier="private"
    )
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'id="error_1_id_file"' in response.content.decode()  # next to the file field
    assert 'value="Kept caption"' in page
    assert re.search(r'<input[^>]*value="private"[^>]*checked', response.content.decode())
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit_of_its_kind(client, world, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = {"image": 100, "video": 10**6, "document": 10**6}
    client.force_login(world["mentor"])
    response = post(client, attach_url(world["visit"]), "big.png", samples.png(400, 400))
    assert response.status_code == 400
    assert "photos can be up to 100 bytes" in text(response)
    assert 'value="The anchor chart"' in text(response)
    assert not Attachment.objects.exists()
    # A document of the same size is within its own limit.
    big_csv = b"a,b\n" * 100
    assert post(client, attach_url(world["visit"]), "t.csv", big_csv).status_code == 302


def test_location_and_camera_details_are_gone_and_the_photo_is_upright(client, world):
    original = Image.open(samples.io.BytesIO(samples.jpeg_with_gps()))
    assert original.getexif().get_ifd(samples.GPS_IFD)  # the test file does carry a place
    client.force_login(world["mentor"])
    post(client, attach_url(world["visit"]), "chart.jpg", samples.jpeg_with_gps())

    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        data = stored.read()
    image = Image.open(samples.io.BytesIO(data))
    exif = image.getexif()
    assert not exif.get_ifd(samples.GPS_IFD)
    assert samples.ORIENTATION not in exif and 0x010F not in exif
    assert b"PhoneMaker" not in data
    assert image.size == (20, 40)  # turned the way the camera was held
    assert attachment.size == len(data)


def test_nobody_but_the_relationship_s_people_may_attach(client, world):
    url = attach_url(world["visit"])
    expected = {"coordinator": 403, "supervisor": 404, "outsider": 404, "protege": 200}
    for who, status in expected.items():
        client.force_login(world[who])
        assert client.get(url).status_code == status, who
        response = post(client, url, "chart.png", samples.png())
        assert response.status_code == (status if status != 200 else 302), who
    assert Attachment.objects.count() == 1
