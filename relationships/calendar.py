"""A person's scheduled visits as an iCalendar feed that Google Calendar or Outlook subscribe to.

The feed sits at a secret, per-person URL (PersonSettings.calendar_token) and needs no log-in,
so it carries logistics only: when, where, for how long, with whom, and a link to the visit.
No feedback, focus or notes: a leaked link shows no more than a shared calendar would.

Times go out in UTC (`DTSTART:20270701T140000Z`), with X-WR-TIMEZONE naming the program's zone
for the apps that show it. A VTIMEZONE would have to describe every clock change the feed
could meet, and the one icalendar generates lists the changes as one RDATE line that stops in
2037 and of which Thunderbird reads only the first value (its July visits came an hour late).
A UTC instant means the same thing to every reader; the feed is rebuilt on each fetch, so a
change in the zone's rules reaches it with the server's tzdata.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core import clock
from core.names import person_name
from relationships.models import Visit

DEFAULT_MINUTES = 60


def visit_instants(
    date: datetime.date, start_time: datetime.time, minutes: int, zone: datetime.tzinfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """When a visit starts and ends, as UTC instants, from its wall-clock date and time.

    The end is the start plus the duration in real time: arithmetic on an aware datetime in a
    ZoneInfo zone is wall-clock arithmetic, which made a 60-minute visit at 01:30 on the
    fall-back day last two hours and one at 02:30 on the spring-forward day end when it began.

    A wall time the clock skips (02:30 on the spring-forward day, in New York) is read with
    fold=0, Python's default: with the offset in force before the change, so 02:30 EST, which
    is 03:30 EDT, the time an hour after 01:30. A wall time that happens twice (01:30 on the
    fall-back day) is its first occurrence (fold=0), 01:30 EDT: what someone who schedules
    "01:30" that night most likely means is the first time the clock shows it. Both are how
    RFC 5545 (3.3.5) reads a TZID time, so a client would have put them at the same instants.
    """
    start = datetime.datetime.combine(date, start_time, tzinfo=zone).replace(fold=0)
    start = start.astimezone(datetime.UTC)
    return start, start + datetime.timedelta(minutes=minutes)


def visit_summary(visit: Visit, for_user: User) -> str:
    relationship = visit.relationship
    kind = relationship.get_kind_display()
    if relationship.mentor_id == for_user.pk:
        return _("%(kind)s visit: %(name)s") % {"kind": kind, "name": relationship.supported_name}
    return _("%(kind)s visit with %(name)s") % {
        "kind": kind,
        "name": person_name(relationship.mentor),
    }


def build_feed(*, user: User, visits: Iterable[Visit], base_url: str) -> bytes:
    """The iCalendar text of `visits` (all scheduled) for `user`."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Mentoring & Coaching//Visits//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Mentoring & coaching visits"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = clock.now()
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.code}@mentoring")
        event.add("dtstamp", stamp)
        event.add("summary", visit_summary(visit, user))
        if visit.start_time:
            start, end = visit_instants(
                visit.date, visit.start_time, visit.duration_minutes or DEFAULT_MINUTES, zone
            )
            event.add("dtstart", start)  # UTC: written with a Z, no TZID
            event.add("dtend", end)
        else:  # all day: DATE values, the end the day after (exclusive), with no zone at all
            event.add("dtstart", visit.date)
            event.add("dtend", visit.date + datetime.timedelta(days=1))
        if visit.location:
            event.add("location", visit.location)
        url = base_url + visit.get_absolute_url()
        event.add("url", url)
        event.add("description", _("Details: %(url)s") % {"url": url})
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
