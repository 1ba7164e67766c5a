"""Planned visits through the mentor's pages: the new-log page offers the visits planned for
today or earlier, the schedule refuses the same date and time twice, and the caseload says
when an observation was logged without feedback."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from relationships.models import Activity, SupportRelationship, Visit
from tests.factories import (
    AcknowledgementFactory,
    ProgramFactory,
    SupportRelationshipFactory,
    VisitFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def _short(date: datetime.date) -> str:
    return f"{date:%a} {date:%b} {date.day}"


def _text(response) -> str:
    """The page's words, tags dropped and spaces folded, as a person reads them."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _log_new_url(relationship: SupportRelationship) -> str:
    return reverse("relationships:visit_log_new", args=[relationship.code])


def _log_data(**overrides) -> dict:
    data = {
        "date": clock.today().isoformat(),
        "start_time": "08:00",
        "duration_minutes": "45",
        "location": "Room 4",
        "activities": [Activity.OBSERVING, Activity.FEEDBACK],
        "whats_working": "Calm arrival routine.",
        "feedback": "Your wait time doubled.",
    }
    data.update(overrides)
    return data


# The new-log page offers the visits already planned -----------------------------------------


def test_the_new_log_page_offers_the_visit_planned_for_today(client):
    relationship = SupportRelationshipFactory()
    today = VisitFactory(
        relationship=relationship,
        date=in_days(0),
        start_time=datetime.time(8, 0),
        next_meeting_focus="Transitions",
    )
    last_week = VisitFactory(relationship=relationship, date=in_days(-7), start_time=None)
    VisitFactory(relationship=relationship, date=in_days(2), next_meeting_focus="Next week's plan")
    VisitFactory(relationship=relationship, date=in_days(-3), logged=True)
    VisitFactory(relationship=relationship, date=in_days(-1), cancelled=True)
    VisitFactory(date=in_days(0), next_meeting_focus="Someone else's visit")
    client.force_login(relationship.mentor)

    response = client.get(_log_new_url(relationship))
    page = _text(response)

    assert "Is this a visit you planned?" in page
    assert (
        f"You planned a visit for today, {_short(in_days(0))} at 8:00 AM (focus: Transitions)"
        " — log that one instead." in page
    )
    assert f"You planned a visit for {_short(in_days(-7))} — log that one instead." in page
    html = response.content.decode()
    links = re.findall(r'href="([^"]+)">Log this visit', html)
    assert links == [
        reverse("relationships:visit_log", args=[today.code]),
        reverse("relationships:visit_log", args=[last_week.code]),
    ]
    # Not the visit planned for later, nor the logged, the cancelled or another mentor's.
    assert "Next week's plan" not in page and "Someone else's visit" not in page
    assert page.count("You planned a visit") == 2
    # The form below is still there for a visit nobody planned.
    assert "For a visit you did not plan, fill in the form below." in page
    assert 'name="duration_minutes"' in html


def test_logging_the_offered_visit_leaves_no_open_twin(client):
    relationship = SupportRelationshipFactory()
    planned = VisitFactory(relationship=relationship, date=in_days(0), start_time=None)
    client.force_login(relationship.mentor)

    page = client.get(_log_new_url(relationship)).content.decode()
    log_url = re.search(r'href="([^"]+)">Log this visit', page).group(1)
    response = client.post(log_url, _log_data(), follow=True)

    assert "Visit logged." in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == Visit.Status.LOGGED
    assert relationship.visits.count() == 1
    # Nothing is left to offer: the page is the plain form again.
    assert "You planned a visit" not in _text(client.get(_log_new_url(relationship)))


def test_an_unplanned_visit_is_still_logged_from_the_form(client):
    relationship = SupportRelationshipFactory()
    planned = VisitFactory(relationship=relationship, date=in_days(0), start_time=None)
    client.force_login(relationship.mentor)

    response = client.post(_log_new_url(relationship), _log_data(), follow=True)

    assert "Visit logged." in response.content.decode()
    assert relationship.visits.logged().count() == 1
    planned.refresh_from_db()
    assert planned.status == Visit.Status.SCHEDULED


def test_the_offer_stays_when_the_form_comes_back_with_an_error(client):
    relationship = SupportRelationshipFactory()
    VisitFactory(relationship=relationship, date=in_days(0), start_time=datetime.time(8, 0))
    client.force_login(relationship.mentor)

    response = client.post(_log_new_url(relationship), _log_data(duration_minutes=""))

    page = _text(response)
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Calm arrival routine." in page
    assert f"You planned a visit for today, {_short(in_days(0))} at 8:00 AM" in page
    assert relationship.visits.count() == 1


def test_the_offer_lists_the_latest_five_and_counts_the_rest_in_constant_queries(client):
    counts = []
    for planned in (1, 50):
        relationship = SupportRelationshipFactory()
        for n in range(planned):
            VisitFactory(relationship=relationship, date=in_days(-n), start_time=None)
        client.force_login(relationship.mentor)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_log_new_url(relationship))
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))

    page = _text(response)
    assert page.count("Log this visit") == 5
    assert f"You planned a visit for today, {_short(in_days(0))}" in page
    assert _short(in_days(-4)) in page and _short(in_days(-5)) not in page
    assert "45 older planned visits not logged yet: see the relationship page" in page
    assert counts[0] == counts[1]


# The same date and time cannot be scheduled twice ---------------------------------------------


def _schedule(client, relationship, **overrides):
    data = {
        "date": in_days(3).isoformat(),
        "start_time": "08:00",
        "duration_minutes": "45",
        "location": "Room 4",
        "next_meeting_focus": "Transitions",
    }
    data.update(overrides)
    return client.post(reverse("relationships:visit_schedule", args=[relationship.code]), data)


def test_the_same_date_and_time_is_refused_next_to_the_time_and_nothing_typed_is_lost(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    assert _schedule(client, relationship).status_code == 302

    response = _schedule(client, relationship, location="Library", next_meeting_focus="Centers")

    html = response.content.decode()
    assert response.status_code == 200
    day = in_days(3)
    message = f"A visit is already scheduled on {day:%A}, {day:%B} {day.day} at 8:00 AM."
    assert message in _text(response)
    # Next to the start time field, which is marked invalid.
    time_field = html[html.index('id="div_id_start_time"') : html.index('id="div_id_duration')]
    assert message in " ".join(re.sub(r"<[^>]+>", " ", time_field).split())
    assert "is-invalid" in time_field
    assert 'value="Library"' in html and 'value="Centers"' in html
    assert relationship.visits.count() == 1


def test_two_visits_without_a_time_on_one_date_are_refused_next_to_the_date(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    assert _schedule(client, relationship, start_time="").status_code == 302

    response = _schedule(client, relationship, start_time="")

    html = response.content.decode()
    date_field = html[html.index('id="div_id_date"') : html.index('id="div_id_start_time"')]
    assert "A visit with no start time is already scheduled on" in date_field
    assert relationship.visits.count() == 1


def test_another_time_a_cancelled_visit_or_another_relationship_does_not_clash(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    assert _schedule(client, relationship).status_code == 302
    assert _schedule(client, relationship, start_time="").status_code == 302  # no time: allowed
    assert _schedule(client, relationship, start_time="13:00").status_code == 302
    assert _schedule(client, relationship, date=in_days(4).isoformat()).status_code == 302
    cancelled = relationship.visits.get(date=in_days(4))
    cancelled.status = Visit.Status.CANCELLED
    cancelled.cancel_reason = "Snow day"
    cancelled.save()
    assert _schedule(client, relationship, date=in_days(4).isoformat()).status_code == 302

    other = SupportRelationshipFactory(mentor=relationship.mentor)
    assert _schedule(client, other).status_code == 302

    assert relationship.visits.scheduled().count() == 4
    assert other.visits.count() == 1


def test_moving_a_scheduled_visit_onto_another_is_refused(client):
    relationship = SupportRelationshipFactory()
    VisitFactory(relationship=relationship, date=in_days(3), start_time=datetime.time(8, 0))
    moved = VisitFactory(relationship=relationship, date=in_days(5), start_time=datetime.time(8, 0))
    client.force_login(relationship.mentor)
    url = reverse("relationships:visit_edit", args=[moved.code])
    data = {"date": in_days(3).isoformat(), "start_time": "08:00", "duration_minutes": "45"}

    response = client.post(url, data)

    assert "A visit is already scheduled on" in _text(response)
    moved.refresh_from_db()
    assert moved.date == in_days(5)
    # Saving it unchanged is not a clash with itself.
    data["date"] = in_days(5).isoformat()
    assert client.post(url, data).status_code == 302


# The caseload says when a log lacks feedback --------------------------------------------------


def _observation_without_feedback(relationship: SupportRelationship) -> Visit:
    return VisitFactory(
        relationship=relationship, logged=True, activities=[Activity.OBSERVING], feedback=""
    )


def test_the_caseload_says_which_relationship_has_a_log_needing_feedback(client):
    program = ProgramFactory(name="Induction North")
    one = SupportRelationshipFactory(
        program=program, protege__first_name="Pat", protege__last_name="Lee"
    )
    _observation_without_feedback(one)
    VisitFactory(relationship=one, logged=True)  # an observation with its feedback
    two = SupportRelationshipFactory(
        mentor=one.mentor, program=program, protege__first_name="Sam", protege__last_name="Roe"
    )
    _observation_without_feedback(two)
    _observation_without_feedback(two)
    # Acknowledged, so no longer edited: the mentor can no longer add its feedback.
    AcknowledgementFactory(visit=_observation_without_feedback(two), protege=two.protege)
    fine = SupportRelationshipFactory(
        mentor=one.mentor, program=program, protege__first_name="Ida", protege__last_name="Fine"
    )
    VisitFactory(relationship=fine, logged=True, activities=[Activity.CO_TEACHING], feedback="")
    client.force_login(one.mentor)

    response = client.get(reverse("relationships:caseload"))

    cards = {
        name: " ".join(re.sub(r"<[^>]+>", " ", card).split())
        for card in response.content.decode().split('class="card mb-2 caseload-item"')[1:]
        for name in ("Pat Lee", "Sam Roe", "Ida Fine")
        if name in card
    }
    assert "Overdue: 1 observation log needs feedback" in cards["Pat Lee"]
    assert "Overdue: 2 observation logs need feedback" in cards["Sam Roe"]
    assert "feedback" not in cards["Ida Fine"]  # no observation: nothing is missing


def test_a_paused_relationship_still_shows_the_missing_feedback_but_no_dosage(client):
    relationship = SupportRelationshipFactory(
        program=ProgramFactory(visits_per_month=4), status=SupportRelationship.Status.PAUSED
    )
    _observation_without_feedback(relationship)
    client.force_login(relationship.mentor)

    page = _text(client.get(reverse("relationships:caseload")))

    assert "Overdue: 1 observation log needs feedback" in page
    assert "more visits this month" not in page
