"""The private iCalendar feed: public by secret link, exactly the scheduled visits, revocable,
with the right instants across clock changes; and the Calendar page's upcoming visits."""

import datetime

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar

from relationships.models import PersonSettings
from tests.clock import NEW_YORK
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
    start = timed.decoded("DTSTART").astimezone(NEW_YORK)
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


# Clock changes --------------------------------------------------------------------------------

UTC = datetime.UTC


def _utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


# Visits in New York, with the UTC instants they must come out as. The instants are written out
# by hand and checked below against zoneinfo and UTC arithmetic, never against the feed's code.
TIMED_VISITS = {
    # name: (date, wall start, minutes, UTC start, UTC end)
    "summer (EDT)": ((2027, 7, 1), (10, 0), 45, "2027-07-01 14:00", "2027-07-01 14:45"),
    "winter (EST)": ((2027, 1, 14), (16, 0), 90, "2027-01-14 21:00", "2027-01-14 22:30"),
    # Spring forward, 14 March 2027: 02:00 EST became 03:00 EDT (07:00 UTC).
    "spring: across the gap": ((2027, 3, 14), (1, 30), 60, "2027-03-14 06:30", "2027-03-14 07:30"),
    # 02:30 never happened that night: read as 02:30 EST, which is 03:30 EDT (fold=0).
    "spring: in the gap": ((2027, 3, 14), (2, 30), 60, "2027-03-14 07:30", "2027-03-14 08:30"),
    # Fall back, 7 November 2027: 02:00 EDT became 01:00 EST (06:00 UTC); 01:00-02:00 twice.
    "fall: across the change": (
        (2027, 11, 7),
        (0, 30),
        120,
        "2027-11-07 04:30",
        "2027-11-07 06:30",
    ),
    # 01:30 happened twice: the first time, 01:30 EDT (fold=0).
    "fall: ambiguous": ((2027, 11, 7), (1, 30), 60, "2027-11-07 05:30", "2027-11-07 06:30"),
}
ALL_DAY_VISITS = [datetime.date(2027, 3, 14), datetime.date(2027, 11, 7)]


def _expected_instants(date, wall, minutes):
    """zoneinfo's reading of the wall time (first occurrence; a skipped time with the offset
    before the change), plus the duration in UTC."""
    start = datetime.datetime(*date, *wall, tzinfo=NEW_YORK, fold=0).astimezone(UTC)
    return start, start + datetime.timedelta(minutes=minutes)


@pytest.mark.parametrize("name", list(TIMED_VISITS))
def test_expected_instants_are_what_zoneinfo_says(name):
    date, wall, minutes, start, end = TIMED_VISITS[name]
    assert _expected_instants(date, wall, minutes) == (_utc(start), _utc(end))


def _by_icalendar(body: bytes) -> dict[str, tuple]:
    return {
        str(event["UID"]): (event.decoded("DTSTART"), event.decoded("DTEND"))
        for event in Calendar.from_ical(body).walk("VEVENT")
    }


def _by_vobject(body: bytes) -> dict[str, tuple]:
    calendar = vobject.readOne(body.decode())
    return {
        event.uid.value: (event.dtstart.value, event.dtend.value) for event in calendar.vevent_list
    }


def _as_utc(value):
    """A parsed DATE-TIME as a UTC instant (a DATE as it is); a floating time is an error."""
    if isinstance(value, datetime.datetime):
        assert value.tzinfo is not None, "a floating time: its meaning depends on the reader"
        return value.astimezone(UTC)
    return value


def test_two_parsers_read_the_same_instants_across_clock_changes(client):
    relationship = SupportRelationshipFactory()
    timed = {
        name: VisitFactory(
            relationship=relationship,
            date=datetime.date(*date),
            start_time=datetime.time(*wall),
            duration_minutes=minutes,
        )
        for name, (date, wall, minutes, _, _) in TIMED_VISITS.items()
    }
    all_day = [
        VisitFactory(relationship=relationship, date=date, start_time=None)
        for date in ALL_DAY_VISITS
    ]

    body = client.get(_feed_url(relationship.mentor)).content
    parsed = {"icalendar": _by_icalendar(body), "vobject": _by_vobject(body)}

    for name, visit in timed.items():
        uid = f"visit-{visit.code}@mentoring"
        _, _, _, start, end = TIMED_VISITS[name]
        for parser, by_parser in parsed.items():
            assert tuple(map(_as_utc, by_parser[uid])) == (_utc(start), _utc(end)), (name, parser)
    for visit in all_day:
        uid = f"visit-{visit.code}@mentoring"
        next_day = visit.date + datetime.timedelta(days=1)
        for by_parser in parsed.values():
            start, end = by_parser[uid]
            assert not isinstance(start, datetime.datetime)  # a DATE, not a midnight
            assert (start, end) == (visit.date, next_day)


def test_feed_writes_times_in_utc_and_names_the_program_zone(client):
    relationship = SupportRelationshipFactory()
    VisitFactory(
        relationship=relationship, date=datetime.date(2027, 7, 1), start_time=datetime.time(10)
    )
    VisitFactory(relationship=relationship, date=datetime.date(2027, 7, 2), start_time=None)
    body = client.get(_feed_url(relationship.mentor)).content.decode()
    lines = body.splitlines()
    # No VTIMEZONE for a client to misread (Thunderbird read only the first RDATE of one).
    assert "VTIMEZONE" not in body and "TZID" not in body
    assert "X-WR-TIMEZONE:America/New_York" in lines
    assert "DTSTART:20270701T140000Z" in lines and "DTEND:20270701T150000Z" in lines
    assert "DTSTART;VALUE=DATE:20270702" in lines and "DTEND;VALUE=DATE:20270703" in lines


# Today at the boundaries ----------------------------------------------------------------------


def test_today_is_the_program_days_on_the_calendar_page_and_in_the_feed(boundary, client):
    """At each boundary instant (on New Year's Eve evening UTC is already in the next year),
    today's visits are upcoming and yesterday's are not, and the feed puts each on its day."""
    today = boundary.date()  # the boundary is a New York wall time
    yesterday = today - datetime.timedelta(days=1)
    relationship = SupportRelationshipFactory()
    late_today = VisitFactory(
        relationship=relationship, date=today, start_time=datetime.time(23, 30)
    )
    all_day_today = VisitFactory(relationship=relationship, date=today, start_time=None)
    yesterdays = VisitFactory(
        relationship=relationship, date=yesterday, start_time=datetime.time(23, 30)
    )
    mentor = relationship.mentor

    client.force_login(mentor)
    page = client.get(reverse("relationships:calendar")).content.decode()
    assert late_today.get_absolute_url() in page
    assert all_day_today.get_absolute_url() in page
    assert f'datetime="{today:%Y-%m-%d}"' in page
    assert yesterdays.get_absolute_url() not in page
    assert f'datetime="{yesterday:%Y-%m-%d}"' not in page

    client.logout()
    events = _by_icalendar(client.get(_feed_url(mentor)).content)
    start, _ = events[f"visit-{late_today.code}@mentoring"]
    assert start.astimezone(NEW_YORK).date() == today
    assert start.astimezone(NEW_YORK).time() == datetime.time(23, 30)
    assert events[f"visit-{all_day_today.code}@mentoring"][0] == today
    # A scheduled visit stays in the feed until it is logged or cancelled, on its own day.
    start, _ = events[f"visit-{yesterdays.code}@mentoring"]
    assert start.astimezone(NEW_YORK).date() == yesterday
