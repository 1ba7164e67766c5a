"""The real task worker (django-tasks-db's `db_worker`) makes a video's poster once the upload
commits; until then the page shows a placeholder."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from evidence.models import Attachment
from tests.evidence import samples
from tests.factories import VisitFactory

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_makes_the_poster_of_an_uploaded_video(client):
    visit = VisitFactory(logged=True)
    client.force_login(visit.relationship.mentor)
    response = client.post(
        reverse("evidence:attach_to_visit", args=[visit.code]),
        {"file": samples.upload("lesson.webm", samples.video("webm", "libvpx")), "tier": "shared"},
    )
    assert response.status_code == 302
    video = Attachment.objects.get()
    poster = reverse("evidence:thumbnail", args=[video.code])
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "preview being made" in page and poster not in page

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.01, verbosity=0)

    video.refresh_from_db()
    assert video.thumbnail.name and video.processed_at
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "preview being made" not in page and poster in page
    assert client.get(poster)["Content-Type"] == "image/jpeg"
