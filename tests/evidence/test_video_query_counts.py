"""Constant queries: the video review page with 1 comment and with 50 (and their replies), and
the relationship page's "Videos to review" with none, 1 video and 20, each with comments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.evidence.video import VideoCommentFactory, VideoFactory
from tests.factories import SupportRelationshipFactory, VisitFactory
from tests.test_query_counts import own_queries

pytestmark = pytest.mark.django_db

# The session and its user, the video with who added it, its relationship and its record (one
# query), the firewall's walls around the person, the comments with their authors.
VIDEO_PAGE_QUERIES = 4


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return own_queries(queries), response.content.decode()


def video_with_comments(count: int):
    video = VideoFactory()
    protege = video.relationship.protege
    for number in range(count):
        parent = VideoCommentFactory(attachment=video, at_seconds=number, body=f"Moment {number}")
        VideoCommentFactory(attachment=video, parent=parent, author=protege, body=f"Reply {number}")
    return video


@pytest.mark.parametrize("person", ["mentor", "protege"])
def test_the_video_page_costs_the_same_for_1_and_50_comments(client, person):
    counts = []
    for count in (1, 50):
        video = video_with_comments(count)
        client.force_login(getattr(video.relationship, person))
        queries, html = count_queries(client, reverse("evidence:video", args=[video.code]))
        assert f"Moment {count - 1}" in html and f"Reply {count - 1}" in html
        counts.append(queries)
    assert counts == [VIDEO_PAGE_QUERIES, VIDEO_PAGE_QUERIES]


def test_videos_to_review_cost_the_same_queries_whatever_their_number(client):
    without = SupportRelationshipFactory()
    client.force_login(without.protege)
    queries, html = count_queries(client, reverse("relationships:detail", args=[without.code]))
    assert "Videos to review" not in html
    counts = [queries]
    for count in (1, 20):
        relationship = SupportRelationshipFactory()
        visit = VisitFactory(relationship=relationship, logged=True)
        for number in range(count):
            video = VideoFactory(visit=visit, caption=f"Clip {number}")
            VideoCommentFactory.create_batch(3, attachment=video)
        client.force_login(relationship.protege)
        url = reverse("relationships:detail", args=[relationship.code])
        queries, html = count_queries(client, url)
        assert "Videos to review" in html and f"Clip {count - 1}" in html
        assert html.count("3 comments") == count
        counts.append(queries)
    # A relationship without videos checks that it has none; one with videos reads them too.
    assert counts == [counts[0], counts[0] + 1, counts[0] + 1]
