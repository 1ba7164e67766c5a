"""A person's scheduled visits as an iCalendar feed that Google Calendar or Outlook subscribe to.

The feed sits at a secret, per-person URL (PersonSettings.calendar_token) and needs no log-in,
so it carries logistics only: when, where, for how long, with whom, and a link to the visit.
No feedback, focus or notes: a leaked link shows no more than a shared calendar would.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from icalendar import Calendar, Event

from core import clock
from programs.names import person_name
from relationships.models import Visit

DEFAULT_MINUTES = 60


def visit_summary(visit: Visit, for_user: User) -> str:
    relationship = visit.relationship
    kind = relationship.get_kind_display()
    if relationship.mentor_id == for_user.pk:
        return f"{kind} visit: {relationship.supported_name}"
    return f"{kind} visit with {person_name(relationship.mentor)}"


def build_feed(*, user: User, visits: Iterable[Visit], base_url: str) -> bytes:
    """The iCalendar text of `visits` (all scheduled) for `user`."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Mentoring & Coaching//Visits//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Mentoring & coaching visits")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = clock.now()
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.code}@mentoring")
        event.add("dtstamp", stamp)
        event.add("summary", visit_summary(visit, user))
        if visit.start_time:
            start = datetime.datetime.combine(visit.date, visit.start_time, tzinfo=zone)
            event.add("dtstart", start)
            minutes = visit.duration_minutes or DEFAULT_MINUTES
            event.add("dtend", start + datetime.timedelta(minutes=minutes))
        else:
            event.add("dtstart", visit.date)
            event.add("dtend", visit.date + datetime.timedelta(days=1))
        if visit.location:
            event.add("location", visit.location)
        url = base_url + visit.get_absolute_url()
        event.add("url", url)
        event.add("description", f"Details: {url}")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()  # a VTIMEZONE for the TZID the events use
    return calendar.to_ical()
