"""A progress point entered by mistake: its author corrects it or withdraws it from the goal
page. A withdrawn point is kept (and its history), but no longer drawn or counted; the goal
page lists it as withdrawn. Nobody else changes it."""

import html as html_module
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from goals.models import ProgressEntry
from tests.factories import (
    GoalFactory,
    ProgressEntryFactory,
    UserFactory,
    VisitFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def _words(html: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _chart_values(client, goal) -> list[float]:
    page = client.get(goal.get_absolute_url()).content.decode()
    match = re.search(
        r'<script id="goal-progress-data" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(match.group(1))["values"] if match else []


def _correct_url(entry) -> str:
    return reverse("goals:progress_correct", args=[entry.code])


def _withdraw_url(entry) -> str:
    return reverse("goals:progress_withdraw", args=[entry.code])


def _correction(date, value="7", note="Recounted from the video") -> dict:
    return {"progress-date": date.isoformat(), "progress-value": value, "progress-note": note}


@pytest.fixture
def goal():
    return GoalFactory(agreed=True, unit="questions", relationship__protege__first_name="Maya")


def test_the_author_corrects_a_point_and_the_chart_shows_it(client, goal):
    mentor = goal.relationship.mentor
    mine = ProgressEntryFactory(goal=goal, date=in_days(-5), value=Decimal("3"))
    ProgressEntryFactory(goal=goal, date=in_days(-2), value=Decimal("5"), recorded_by=mentor)
    theirs = ProgressEntryFactory(
        goal=goal, date=in_days(-1), value=Decimal("6"), recorded_by=goal.relationship.protege
    )
    client.force_login(mentor)

    page = client.get(goal.get_absolute_url()).content.decode()
    assert f'href="{_correct_url(mine)}"' in page
    assert _correct_url(theirs) not in page  # the protégé's point is the protégé's to change

    response = client.post(_correct_url(mine), _correction(in_days(-4), value="30"))

    assert response.status_code == 302
    assert _chart_values(client, goal) == [30.0, 5.0, 6.0]
    mine.refresh_from_db()
    assert (mine.date, mine.note) == (in_days(-4), "Recounted from the video")
    assert [h.value for h in mine.history.order_by("history_date")] == [3, 30]


def test_a_correction_into_the_future_is_refused_next_to_the_date(boundary, client):
    goal = GoalFactory(agreed=True)
    entry = ProgressEntryFactory(goal=goal, date=in_days(0), value=Decimal("3"))
    client.force_login(goal.relationship.mentor)

    response = client.post(_correct_url(entry), _correction(in_days(1), value="12"))

    html = response.content.decode()
    start = html.index('id="div_id_progress-date"')
    field = html[start : html.index('id="div_id_progress-value"')]
    assert "A progress point can't be in the future" in _words(field)
    assert 'value="12"' in html and "Recounted from the video" in html
    entry.refresh_from_db()
    assert (entry.date, entry.value) == (in_days(0), 3)
    # Today is fine.
    assert client.post(_correct_url(entry), _correction(in_days(0))).status_code == 302


def test_a_withdrawn_point_is_kept_but_no_longer_drawn_nor_counted(client, goal):
    relationship = goal.relationship
    visit = VisitFactory(relationship=relationship, logged=True)
    ProgressEntryFactory(goal=goal, date=in_days(-9), value=Decimal("2"))
    mistake = ProgressEntryFactory(
        goal=goal, date=visit.date, value=Decimal("40"), note="Typo", visit=visit
    )
    client.force_login(relationship.mentor)
    visit_page = _words(client.get(visit.get_absolute_url()).content.decode())
    assert f"Progress recorded at this visit {goal.title}: 40 questions" in visit_page

    ask = client.get(_withdraw_url(mistake))
    assert "Withdraw this progress point?" in _words(ask.content.decode())
    mistake.refresh_from_db()
    assert mistake.withdrawn_at is None  # asking changes nothing

    response = client.post(_withdraw_url(mistake), follow=True)

    page = _words(response.content.decode())
    assert "The point is withdrawn" in page
    assert _chart_values(client, goal) == [2.0]
    assert (
        f"Withdrawn point (1): not drawn or counted {visit.date:%b} {visit.date.day}, "
        f"{visit.date:%Y}: 40 questions (Typo), withdrawn by you on" in page
    )
    mistake.refresh_from_db()
    assert mistake.withdrawn_at is not None
    assert mistake.history.count() == 2 and ProgressEntry.objects.filter(goal=goal).count() == 2

    # The protégé sees it withdrawn, by whom, and neither their chart nor the visit counts it.
    client.force_login(relationship.protege)
    page = _words(client.get(goal.get_absolute_url()).content.decode())
    assert f"withdrawn by {relationship.mentor.get_full_name()} on" in page
    support = client.get(reverse("relationships:my_support")).content.decode()
    assert '"values": [2.0]' in support
    visit_page = _words(client.get(visit.get_absolute_url()).content.decode())
    assert "Progress recorded at this visit" not in visit_page


def test_only_the_author_changes_a_point(client, goal):
    relationship = goal.relationship
    entry = ProgressEntryFactory(goal=goal, value=Decimal("3"))  # the mentor's

    client.force_login(relationship.protege)
    for url in (_correct_url(entry), _withdraw_url(entry)):
        assert client.get(url).status_code == 403
    assert client.post(_correct_url(entry), _correction(in_days(0), "9")).status_code == 403
    assert client.post(_withdraw_url(entry)).status_code == 403

    client.force_login(UserFactory())
    for url in (_correct_url(entry), _withdraw_url(entry)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404

    entry.refresh_from_db()
    assert entry.value == 3 and entry.withdrawn_at is None


def test_a_withdrawn_point_or_a_closed_goal_sends_back_to_the_goal(client, goal):
    withdrawn = ProgressEntryFactory(goal=goal, withdrawn_at=clock.now())
    client.force_login(goal.relationship.mentor)

    response = client.post(_withdraw_url(withdrawn), follow=True)
    assert "This point has been withdrawn." in _words(response.content.decode())
    response = client.post(_correct_url(withdrawn), _correction(in_days(0)), follow=True)
    assert "This point has been withdrawn." in _words(response.content.decode())
    assert withdrawn.history.count() == 1

    closed = GoalFactory(met=True)
    entry = ProgressEntryFactory(goal=closed)
    client.force_login(closed.relationship.mentor)
    response = client.get(_correct_url(entry), follow=True)
    assert "This goal is closed; reopen it to change its progress." in _words(
        response.content.decode()
    )
    assert _correct_url(entry) not in client.get(closed.get_absolute_url()).content.decode()


def test_goal_page_query_count_is_the_same_for_1_and_50_withdrawn_points(client):
    small, large = GoalFactory(agreed=True), GoalFactory(agreed=True)
    for goal, count in ((small, 1), (large, 50)):
        for _ in range(count):
            ProgressEntryFactory(goal=goal)
            ProgressEntryFactory(goal=goal, withdrawn_at=clock.now())

    def queries(goal) -> int:
        client.force_login(goal.relationship.mentor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(goal.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    assert queries(small) == queries(large)
