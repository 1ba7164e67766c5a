"""The files of a visit log and of a goal cost one query, whatever their number."""

import pytest
from django.core.files.base import ContentFile

from evidence.models import Attachment
from tests.factories import GoalFactory, ProgressEntryFactory, UserFactory, VisitFactory
from tests.test_query_counts import count_own_queries

pytestmark = pytest.mark.django_db


def attach(n: int, **record) -> None:
    """`n` attachments, each by a different person (so authors are not cached by chance)."""
    (holder,) = record.values()
    relationship = holder.goal.relationship if "progress_entry" in record else holder.relationship
    for number in range(n):
        attachment = Attachment(
            relationship=relationship,
            author=relationship.mentor if number % 2 else UserFactory(),
            kind="image",
            original_name=f"photo-{number}.png",
            content_type="image/png",
            size=3,
            caption=f"Photo {number}",
            **record,
        )
        attachment.file.save("x", ContentFile(b"abc"), save=False)
        attachment.save()


def visit_with(n: int):
    visit = VisitFactory(logged=True)
    attach(n, visit=visit)
    return visit


def goal_with(n: int):
    goal = GoalFactory(agreed=True)
    attach(n, goal=goal)
    for _ in range(n):
        entry = ProgressEntryFactory(goal=goal, recorded_by=goal.relationship.mentor)
        attach(1, progress_entry=entry)
    return goal


# The pages' queries with their files: the list of files is one of them (the visit's
# observations and the goal's observed measure are two more each).
VISIT_PAGE_QUERIES = 10
GOAL_PAGE_QUERIES = 9


def test_the_visit_page_lists_1_or_50_files_in_the_same_number_of_queries(client):
    counts = []
    for n in (1, 50):
        visit = visit_with(n)
        client.force_login(visit.relationship.mentor)
        counts.append(count_own_queries(client, visit.get_absolute_url()))
        assert client.get(visit.get_absolute_url()).content.decode().count("Photo ") >= n
    assert counts == [VISIT_PAGE_QUERIES, VISIT_PAGE_QUERIES]


def test_the_goal_page_lists_its_files_and_its_points_files_in_the_same_number_of_queries(
    client,
):
    counts = []
    for n in (1, 50):
        goal = goal_with(n)
        client.force_login(goal.relationship.mentor)
        counts.append(count_own_queries(client, goal.get_absolute_url()))
        assert client.get(goal.get_absolute_url()).content.decode().count("Photo ") >= 2 * n
    assert counts == [GOAL_PAGE_QUERIES, GOAL_PAGE_QUERIES]
