"""The private iCalendar feed: public by secret link, exactly the scheduled visits, revocable."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from relationships.models import PersonSettings
from tests.factories import (
    SupportRelationshipFactory,
    TeamRelationshipFactory,
    UserFactory,
    VisitFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def _feed_url(user) -> str:
    token = PersonSettings.for_user(user).calendar_token
    return reverse("relationships:calendar_feed", kwargs={"token": token})


def _events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_feed_parses_and_holds_exactly_the_scheduled_visits(client):
    mentor = UserFactory()
    individual = SupportRelationshipFactory(mentor=mentor)
    team = TeamRelationshipFactory(mentor=mentor)
    scheduled = [
        VisitFactory(relationship=individual, date=in_days(3), location="Room 9"),
        VisitFactory(relationship=individual, date=in_days(-2)),  # overdue, still scheduled
        VisitFactory(relationship=team, date=in_days(10), start_time=None),
    ]
    VisitFactory(relationship=individual, logged=True)
    VisitFactory(relationship=individual, cancelled=True, date=in_days(5))
    VisitFactory(relationship=SupportRelationshipFactory(), date=in_days(4))  # someone else's
    VisitFactory(
        relationship=SupportRelationshipFactory(mentor=mentor, ended=True), date=in_days(6)
    )

    events = _events(client.get(_feed_url(mentor)))  # no login: calendar apps have none

    assert sorted(str(event["UID"]) for event in events) == sorted(
        f"visit-{visit.code}@mentoring" for visit in scheduled
    )
    by_uid = {str(event["UID"]): event for event in events}
    timed = by_uid[f"visit-{scheduled[0].code}@mentoring"]
    assert str(timed["LOCATION"]) == "Room 9"
    start = timed.decoded("DTSTART")
    assert start.date() == in_days(3) and start.hour == 9 and start.minute == 30
    all_day = by_uid[f"visit-{scheduled[2].code}@mentoring"]
    assert all_day.decoded("DTSTART") == in_days(10)


def test_feed_carries_no_conversation_or_private_notes(client):
    relationship = SupportRelationshipFactory()
    VisitFactory(
        relationship=relationship,
        next_meeting_focus="Secret focus text",
        private_notes="Private words",
    )
    body = client.get(_feed_url(relationship.mentor)).content.decode()
    assert "Secret focus text" not in body and "Private words" not in body


def test_protege_feed_holds_their_scheduled_visits(client):
    relationship = TeamRelationshipFactory()
    visit = VisitFactory(relationship=relationship)
    member = relationship.team.members.first()
    events = _events(client.get(_feed_url(member)))
    assert [str(event["UID"]) for event in events] == [f"visit-{visit.code}@mentoring"]


def test_unknown_revoked_or_turned_off_feeds_are_not_found(client):
    relationship = SupportRelationshipFactory()
    VisitFactory(relationship=relationship)
    mentor = relationship.mentor
    old_url = _feed_url(mentor)
    assert client.get(old_url).status_code == 200

    client.force_login(mentor)
    assert client.get(reverse("relationships:calendar_renew")).status_code == 200  # asks first
    response = client.post(reverse("relationships:calendar_renew"), follow=True)
    client.logout()

    assert client.get(old_url).status_code == 404
    new_url = _feed_url(mentor)
    assert new_url != old_url
    assert new_url in response.content.decode()
    assert client.get(new_url).status_code == 200

    PersonSettings.objects.filter(user=mentor).update(calendar_enabled=False)
    assert client.get(new_url).status_code == 404
    unknown = reverse(
        "relationships:calendar_feed", kwargs={"token": "00000000-0000-4000-8000-000000000000"}
    )
    assert client.get(unknown).status_code == 404
