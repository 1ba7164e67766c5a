"""The email about a comment on a shared video: the other side of the relationship is told
who commented and at which moment, in their own language, with a link to the video at that
moment; never the words; not when they turned it off, nor once they may not read the video."""

import pytest
from django.conf import settings
from django.urls import reverse

from evidence import video_services
from evidence.models import Attachment
from outbox.models import Optout
from relationships.models import PersonSettings
from tests.evidence.video import VideoFactory
from tests.factories import SupportRelationshipFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def video():
    relationship = SupportRelationshipFactory(
        mentor=UserFactory(first_name="Ana", last_name="Díaz"),
        protege=UserFactory(first_name="Rosa", last_name="Ruiz"),
    )
    return VideoFactory(visit=VisitFactory(relationship=relationship, logged=True))


def add(video, by, **fields):
    return video_services.video_comment_add(attachment=video, by=by, **fields)


def test_the_protege_is_told_of_the_mentors_comment_without_its_words(
    mailoutbox, django_capture_on_commit_callbacks, video
):
    relationship = video.relationship
    with django_capture_on_commit_callbacks(execute=True):
        add(video, relationship.mentor, at_seconds=102, body="The open question here worked.")

    (email,) = mailoutbox
    assert email.to == [relationship.protege.email]
    assert email.subject == "Ana Díaz commented on a shared video at 01:42"
    assert "Ana Díaz commented at 01:42 of a video shared in your mentoring relationship" in (
        " ".join(email.body.split())
    )
    url = settings.SITE_URL + reverse("evidence:video", args=[video.code]) + "?t=102"
    assert url in email.body
    assert "The open question here worked." not in email.body


def test_the_mentor_is_told_of_the_protege_reply_in_spanish(
    mailoutbox, django_capture_on_commit_callbacks, video
):
    relationship = video.relationship
    PersonSettings.objects.update_or_create(user=relationship.mentor, defaults={"language": "es"})
    first = add(video, relationship.mentor, at_seconds=102, body="The open question worked.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add(video, relationship.protege, parent=first, body="I will try it again.")

    (email,) = mailoutbox
    assert email.to == [relationship.mentor.email]
    assert email.subject == "Rosa Ruiz respondió en un video compartido, en el 01:42"
    assert email.body.startswith("Hola, Ana Díaz:")
    assert "Hello" not in email.body


def test_no_email_to_someone_who_turned_it_off(
    mailoutbox, django_capture_on_commit_callbacks, video
):
    Optout.objects.create(user=video.relationship.protege, kind="video_comment")
    with django_capture_on_commit_callbacks(execute=True):
        add(video, video.relationship.mentor, at_seconds=3, body="Look here.")
    assert mailoutbox == []


def test_no_email_once_the_video_is_private(mailoutbox, django_capture_on_commit_callbacks, video):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add(video, video.relationship.mentor, at_seconds=3, body="Look here.")
    Attachment.objects.filter(pk=video.pk).update(tier=Attachment.Tier.PRIVATE)
    for callback in callbacks:
        callback()
    assert mailoutbox == []


def test_the_switch_is_on_the_settings_page(client, video):
    client.force_login(video.relationship.protege)
    html = client.get(reverse("relationships:settings")).content.decode()
    assert "Email me when someone comments on a shared video" in html
