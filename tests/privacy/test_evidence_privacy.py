"""Classroom evidence goes with the words when a person is anonymized or a relationship's
retention period ends: the files they added are deleted, from the storage too, and the words of
their video comments are replaced; what the other person added stays until the relationship
itself is anonymized."""

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.storage import storages
from django.urls import reverse

from evidence.models import Attachment
from evidence.video_comments import VideoComment
from privacy.services import REMOVED
from tests import factories
from tests.clock import local
from tests.evidence.video import VideoCommentFactory, VideoFactory
from tests.factories import UserFactory
from tests.privacy.test_retention import anonymize_expired, ended_relationship

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymizing_a_person_deletes_their_files_and_replaces_their_comments(client):
    video = VideoFactory()
    mentor, protege = video.relationship.mentor, video.relationship.protege
    theirs = VideoFactory(visit=video.visit, author=protege, caption="The protégé's clip")
    VideoCommentFactory(attachment=theirs, author=mentor, body="MENTOR-WORDS")
    VideoCommentFactory(attachment=theirs, author=protege, body="PROTEGE-WORDS")
    stored = video.file.name
    assert storages["evidence"].exists(stored)

    client.force_login(UserFactory(admin=True))
    client.post(
        reverse("privacy:anonymize"), {"person": mentor.username, "asked": "on"}, follow=True
    )

    assert not User.objects.get(pk=mentor.pk).is_active
    assert list(Attachment.objects.values_list("caption", flat=True)) == ["The protégé's clip"]
    assert not storages["evidence"].exists(stored)
    assert dict(VideoComment.objects.values_list("author_id", "body")) == {
        mentor.pk: REMOVED,
        protege.pk: "PROTEGE-WORDS",
    }


def test_a_relationship_past_its_retention_keeps_no_file():
    relationship = ended_relationship(factories.ProgramFactory(record_retention_years=1))
    video = VideoFactory(visit=relationship.visits.get())
    VideoCommentFactory(attachment=video)
    stored = video.file.name
    assert storages["evidence"].exists(stored)

    with time_machine.travel(local(2030, 1, 10, 9, 0), tick=False):
        anonymize_expired()

    assert not Attachment.objects.exists()
    assert not VideoComment.objects.exists()
    assert not storages["evidence"].exists(stored)
