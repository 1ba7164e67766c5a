"""Video review (evidence:video): a mentor comments at a moment of a shared video, the protégé
replies, and both read the conversation in the order of the video, each comment with the link
that jumps the video to its moment. Whoever may not read the video gets a 404 and cannot post.
"""

import re

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from evidence.models import Attachment
from evidence.video_comments import VideoComment
from outbox.models import Delivery
from tests.evidence.video import VideoCommentFactory, VideoFactory
from tests.factories import (
    ProgramFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(first_name="Sam", last_name="Supervisor")


@pytest.fixture
def coordinator():
    return UserFactory(first_name="Cora", last_name="Coordinator")


@pytest.fixture
def video(supervisor, coordinator):
    """A shared video on a logged visit of Mona (mentor) and Pablo (protégé), whose recorded
    supervisor is Sam, in a program Cora coordinates without reading shared logs."""
    protege = UserFactory(first_name="Pablo", last_name="Protege")
    ProtegeProfileFactory(user=protege, supervisor=supervisor)
    relationship = SupportRelationshipFactory(
        mentor=UserFactory(first_name="Mona", last_name="Mentor"),
        protege=protege,
        program=ProgramFactory(coordinators=[coordinator]),
    )
    return VideoFactory(visit=VisitFactory(relationship=relationship, logged=True))


def page_url(video: Attachment) -> str:
    return reverse("evidence:video", args=[video.code])


def comment(client, video, moment: str, body: str):
    return client.post(
        page_url(video), {"comment-moment": moment, "comment-body": body}, follow=True
    )


def reply(client, video, to: VideoComment, body: str):
    return client.post(
        page_url(video),
        {"reply_to": str(to.code), f"reply-{to.code}-body": body},
        follow=True,
    )


def comments_in_page(html: str) -> list[str]:
    """(moment, body) of each comment card, as the page lists them."""
    return re.findall(r'data-moment="([\d:]+)"', html)


def test_mentor_comments_at_a_moment_and_the_protege_replies(client, video):
    relationship = video.relationship
    client.force_login(relationship.mentor)
    response = comment(client, video, "01:42", "The open question here worked.")
    assert "Your comment at 01:42 is saved." in response.content.decode()
    comment(client, video, "0:15", "Notice how the children settle.")

    client.force_login(relationship.protege)
    first = VideoComment.objects.get(at_seconds=102)
    response = reply(client, video, first, "I will try it again on Thursday.")
    assert "Your reply is saved." in response.content.decode()

    for person in (relationship.mentor, relationship.protege):
        client.force_login(person)
        html = client.get(page_url(video)).content.decode()
        # In the order of the video, not the order written.
        assert comments_in_page(html) == ["00:15", "01:42"]
        assert (
            html.index("Notice how the children settle.")
            < html.index("The open question here worked.")
            < html.index("I will try it again on Thursday.")
        )
        # The moment jumps the video: in place with JavaScript, by reloading without it.
        assert f'href="{page_url(video)}?t=102#player" data-seek="102"' in html
        assert 'aria-label="Play the video from 01:42"' in html
        assert "3 comments" in html

    reply_row = VideoComment.objects.get(parent=first)
    assert (reply_row.at_seconds, reply_row.author) == (102, relationship.protege)


def test_the_video_plays_in_the_page_from_its_file_view(client, video):
    client.force_login(video.relationship.protege)
    html = client.get(page_url(video) + "?t=102").content.decode()
    file_url = reverse("evidence:file", args=[video.code])
    assert '<video id="review-video"' in html
    assert f'src="{file_url}#t=102"' in html
    # The moment field starts at the moment the page was opened at.
    assert 'value="01:42"' in html
    served = client.get(file_url, HTTP_RANGE="bytes=0-9")
    assert served.status_code == 206
    assert len(b"".join(served.streaming_content)) == 10


def test_a_reply_to_a_reply_joins_the_thread_one_level_deep(client, video):
    first = VideoCommentFactory(attachment=video)
    answer = VideoCommentFactory(attachment=video, parent=first, author=video.relationship.protege)
    client.force_login(video.relationship.mentor)
    reply(client, video, answer, "Thank you.")
    # Not a reply box under a reply: only top-level comments take replies.
    assert not VideoComment.objects.filter(body="Thank you.").exists()
    reply(client, video, first, "Thank you.")
    assert VideoComment.objects.get(body="Thank you.").parent == first


@pytest.mark.parametrize("moment", ["1:99", "abc", "1:60:00"])
def test_a_moment_that_is_none_is_refused_with_a_clear_message_and_the_text_kept(
    client, video, moment
):
    client.force_login(video.relationship.mentor)
    response = client.post(
        page_url(video),
        {"comment-moment": moment, "comment-body": "They waited for the answer."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    if moment == "abc":
        assert "Write the moment as minutes and seconds, like 01:42." in html
    else:
        assert (
            f"“{moment}” is not a moment of a video: seconds and minutes go from 00 to 59."
            in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
        )
    assert "They waited for the answer.</textarea>" in html
    assert f'value="{moment}"' in html
    assert not VideoComment.objects.exists()


def test_an_empty_reply_keeps_its_box_open_with_the_message(client, video):
    first = VideoCommentFactory(attachment=video)
    client.force_login(video.relationship.protege)
    response = client.post(
        page_url(video), {"reply_to": str(first.code), f"reply-{first.code}-body": "  "}
    )
    html = response.content.decode()
    assert "Write a reply." in html
    assert '<details class="reply-box" open>' in html


def test_the_protege_supervisor_and_an_outsider_get_a_404_and_cannot_post(
    client, video, supervisor
):
    for person in (supervisor, UserFactory()):
        client.force_login(person)
        assert client.get(page_url(video)).status_code == 404
        response = client.post(page_url(video), {"comment-moment": "00:10", "comment-body": "x"})
        assert response.status_code == 404
        assert client.get(reverse("evidence:file", args=[video.code])).status_code == 404
    assert not VideoComment.objects.exists()


def test_a_coordinator_reads_only_when_the_program_shares_logs_and_never_writes(
    client, video, coordinator
):
    VideoCommentFactory(attachment=video)
    client.force_login(coordinator)
    assert client.get(page_url(video)).status_code == 404

    program = video.relationship.program
    program.coordinators_read_shared_logs = True
    program.shared_logs_since = video.visit.created_at.replace(year=2000)
    program.save()
    response = client.get(page_url(video))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The open question here worked." in html
    assert "Comment on a moment" not in html and "Send the reply" not in html
    # A read from outside the relationship is logged, for the protégé to see.
    entry = AccessLogEntry.objects.get(reader=coordinator)
    assert (entry.relationship, entry.visit) == (video.relationship, video.visit)
    posted = client.post(page_url(video), {"comment-moment": "00:10", "comment-body": "x"})
    assert posted.status_code == 403
    assert VideoComment.objects.count() == 1


def test_a_private_video_is_its_authors_alone_and_takes_no_comments(client, video):
    private = VideoFactory(visit=video.visit, private=True)
    client.force_login(video.relationship.protege)
    assert client.get(page_url(private)).status_code == 404
    client.force_login(video.relationship.mentor)
    html = client.get(page_url(private)).content.decode()
    assert "This one is private." in html and "Comment on a moment" not in html
    assert comment(client, private, "00:05", "A note").status_code == 403


def test_only_videos_have_a_review_page(client, video):
    Attachment.objects.filter(pk=video.pk).update(kind=Attachment.Kind.DOCUMENT)
    client.force_login(video.relationship.mentor)
    assert client.get(page_url(video)).status_code == 404


def test_an_ended_relationship_keeps_its_comments_readable_but_closed(client, video):
    VideoCommentFactory(attachment=video)
    relationship = video.relationship
    relationship.status = relationship.Status.COMPLETED
    relationship.ended_on = relationship.starts_on
    relationship.save()
    client.force_login(relationship.protege)
    html = client.get(page_url(video)).content.decode()
    assert "The open question here worked." in html
    assert "Comment on a moment" not in html
    assert comment(client, video, "00:05", "Late").status_code == 403


def test_each_comment_emails_the_other_side(client, video, django_capture_on_commit_callbacks):
    relationship = video.relationship
    client.force_login(relationship.mentor)
    with django_capture_on_commit_callbacks():
        comment(client, video, "01:42", "The open question here worked.")
    assert list(Delivery.objects.values_list("kind", "recipient")) == [
        ("video_comment", relationship.protege_id)
    ]


def test_a_team_video_is_commented_by_every_member(client):
    relationship = TeamRelationshipFactory(team__members=2)
    team_video = VideoFactory(visit=VisitFactory(relationship=relationship, logged=True))
    member = relationship.team.members.order_by("pk").first()
    client.force_login(member)
    comment(client, team_video, "00:03", "Here the children answer each other.")
    recipients = set(Delivery.objects.values_list("recipient", flat=True))
    assert member.pk not in recipients and relationship.mentor_id in recipients
    assert len(recipients) == 2


def test_the_relationship_page_lists_the_shared_videos_to_review(client, video, coordinator):
    VideoCommentFactory.create_batch(2, attachment=video)
    VideoFactory(visit=video.visit, private=True, caption="Only for me")
    relationship_url = reverse("relationships:detail", args=[video.relationship.code])
    for person in (video.relationship.mentor, video.relationship.protege):
        client.force_login(person)
        html = client.get(relationship_url).content.decode()
        assert "Videos to review" in html
        assert f'href="{page_url(video)}">Morning read-aloud</a>' in html
        assert "2 comments" in html
        # A private video is not one to review together, not even for its author.
        assert "Only for me" not in html
    # A coordinator of a program that does not share logs reads the logistics only.
    client.force_login(coordinator)
    html = client.get(relationship_url).content.decode()
    assert "Videos to review" not in html and "Morning read-aloud" not in html


def test_the_page_speaks_spanish(client, video):
    VideoCommentFactory(attachment=video)
    client.force_login(video.relationship.protege)
    html = client.get(page_url(video), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for words in (
        "<h1>Revisión de video</h1>",
        "Comentar un momento",
        "Usar el momento actual",
        'aria-label="Reproducir el video desde el 01:42"',
        "El video está en el %(moment)s.",
        "1 comentario",
    ):
        assert words in html
    response = client.post(
        page_url(video),
        {"comment-moment": "1:99", "comment-body": "Aquí esperaron la respuesta."},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "los segundos y los minutos van de 00 a 59" in response.content.decode()
