"""Visit dates that cannot be true, refused next to the date with nothing typed lost: a visit
before its relationship started, a scheduled visit on a day gone by (with a link to log it
instead, on that date), a logged visit moved into the future."""

import datetime
import html as html_module
import re

import pytest
from django.urls import reverse

from relationships.models import Activity, Visit
from tests.factories import SupportRelationshipFactory, VisitFactory, in_days

pytestmark = pytest.mark.django_db


def _words(html: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _date_field(response) -> str:
    """The date field's block (label, input, its messages), as HTML."""
    html = response.content.decode()
    start = html.index('id="div_id_date"')
    return html[start : html.index('id="div_id_start_time"', start)]


def _day(date: datetime.date) -> str:
    text = f"{date:%A}, {date:%B} {date.day}"
    return text if date.year == in_days(0).year else f"{text}, {date.year}"


def _schedule_data(date: datetime.date, **overrides) -> dict:
    return {
        "date": date.isoformat(),
        "start_time": "08:00",
        "duration_minutes": "45",
        "location": "Library",
        "next_meeting_focus": "Centers",
        **overrides,
    }


def _log_data(date: datetime.date, **overrides) -> dict:
    return {
        "date": date.isoformat(),
        "start_time": "09:00",
        "duration_minutes": "50",
        "location": "Room 4",
        "activities": [Activity.OBSERVING, Activity.FEEDBACK],
        "whats_working": "Calm arrival routine.",
        "feedback": "Your wait time doubled.",
        **overrides,
    }


def _schedule(client, relationship, date, **overrides):
    url = reverse("relationships:visit_schedule", args=[relationship.code])
    return client.post(url, _schedule_data(date, **overrides))


# A scheduled visit is today or later ------------------------------------------------------------


def test_today_is_schedulable_and_yesterday_offers_to_log_it_instead(boundary, client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    assert _schedule(client, relationship, in_days(0)).status_code == 302
    response = _schedule(client, relationship, in_days(-1), location="Gym")

    assert response.status_code == 200
    field = _date_field(response)
    assert "is-invalid" in field
    assert (
        f"{_day(in_days(-1))} has passed: a visit that happened is logged, not scheduled. "
        "Log it instead" in _words(field)
    )
    log_url = reverse("relationships:visit_log_new", args=[relationship.code])
    assert f'<a href="{log_url}?date={in_days(-1).isoformat()}">Log it instead</a>' in field
    html = response.content.decode()
    assert 'value="Gym"' in html and 'value="Centers"' in html  # nothing typed is lost
    assert list(relationship.visits.values_list("date", flat=True)) == [in_days(0)]


def test_the_log_page_opens_on_the_date_the_link_gives(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    url = reverse("relationships:visit_log_new", args=[relationship.code])

    page = client.get(f"{url}?date={in_days(-2).isoformat()}").content.decode()
    assert f'name="date" value="{in_days(-2).isoformat()}"' in page

    # Anything else in ?date= is ignored: the form starts on today.
    page = client.get(f"{url}?date=yesterday").content.decode()
    assert f'name="date" value="{in_days(0).isoformat()}"' in page


def test_moving_a_scheduled_visit_to_a_day_gone_by_offers_to_log_that_visit(client):
    visit = VisitFactory(date=in_days(3), start_time=datetime.time(8, 0))
    client.force_login(visit.relationship.mentor)
    url = reverse("relationships:visit_edit", args=[visit.code])

    response = client.post(url, _schedule_data(in_days(-4), location="Gym"))

    field = _date_field(response)
    assert f"{_day(in_days(-4))} has passed" in _words(field)
    log_url = reverse("relationships:visit_log", args=[visit.code])
    assert f'<a href="{log_url}?date={in_days(-4).isoformat()}">Log it instead</a>' in field
    assert 'value="Gym"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.date == in_days(3) and visit.location == "Classroom"

    # That link opens the visit's log on the date typed.
    page = client.get(f"{log_url}?date={in_days(-4).isoformat()}").content.decode()
    assert f'name="date" value="{in_days(-4).isoformat()}"' in page


def test_a_planned_visit_whose_day_has_passed_can_still_be_changed(client):
    visit = VisitFactory(date=in_days(-2), start_time=datetime.time(8, 0))
    client.force_login(visit.relationship.mentor)

    response = client.post(
        reverse("relationships:visit_edit", args=[visit.code]),
        _schedule_data(in_days(-2), location="Gym"),
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.location == "Gym"


def test_the_next_meeting_on_a_day_gone_by_is_not_put_on_the_calendar(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    response = client.post(
        reverse("relationships:visit_log_new", args=[relationship.code]),
        _log_data(in_days(-3), next_meeting_on=in_days(-1).isoformat(), schedule_next="on"),
    )

    html = response.content.decode()
    start = html.index('id="div_id_next_meeting_on"')
    field = html[start : html.index('id="div_id_next_meeting_focus"', start)]
    assert f"{_day(in_days(-1))} has passed" in _words(field)
    assert "Calm arrival routine." in html
    assert not relationship.visits.exists()  # neither the log nor the next meeting


# A visit is not dated before its relationship started ------------------------------------------


def test_a_visit_before_the_relationship_starts_is_refused(boundary, client):
    relationship = SupportRelationshipFactory(starts_on=in_days(10))
    client.force_login(relationship.mentor)

    response = _schedule(client, relationship, in_days(9))

    field = _date_field(response)
    assert (
        f"This relationship starts on {_day(in_days(10))}: a visit can't be dated before that."
        in _words(field)
    )
    assert "is-invalid" in field
    assert 'value="Library"' in response.content.decode()
    assert not relationship.visits.exists()
    assert _schedule(client, relationship, in_days(10)).status_code == 302


def test_a_log_before_the_relationship_started_is_refused(boundary, client):
    relationship = SupportRelationshipFactory(starts_on=in_days(-30))
    client.force_login(relationship.mentor)
    url = reverse("relationships:visit_log_new", args=[relationship.code])

    response = client.post(url, _log_data(in_days(-31)))

    field = _date_field(response)
    assert (
        f"This relationship started on {_day(in_days(-30))}: a visit can't be dated before "
        "that." in _words(field)
    )
    assert "Calm arrival routine." in response.content.decode()
    assert not relationship.visits.exists()
    assert client.post(url, _log_data(in_days(-30))).status_code == 302


def test_a_log_cannot_be_moved_before_the_start_nor_into_the_future(client):
    visit = VisitFactory(logged=True, relationship__starts_on=in_days(-30))
    client.force_login(visit.relationship.mentor)
    url = reverse("relationships:visit_edit", args=[visit.code])

    before = client.post(url, _log_data(in_days(-31)))
    assert "This relationship started on" in _words(_date_field(before))
    future = client.post(url, _log_data(in_days(1)))
    assert "A logged visit has happened: its date can't be in the future." in _words(
        _date_field(future)
    )
    visit.refresh_from_db()
    assert visit.date == in_days(-7) and visit.status == Visit.Status.LOGGED
