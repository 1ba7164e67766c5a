"""The day before a visit its mentor or coach is reminded of it; two days after a visit that
was never logged, they are nudged to log it (or cancel it). Each once, on the program's own
calendar, however often the scheduler runs."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from core import clock
from nudges import notifications
from outbox import services as outbox
from outbox.models import Delivery
from relationships import services as relationship_services
from relationships.models import SupportRelationship
from tests import factories
from tests.factories import in_days
from tests.nudges.helpers import at, keys, to

pytestmark = pytest.mark.django_db

REMINDER = notifications.VISIT_REMINDER
UNLOGGED = notifications.VISIT_UNLOGGED


def visit_on(day: datetime.date, **fields):
    return factories.VisitFactory(
        date=day,
        start_time=datetime.time(9, 30),
        location="Room 12",
        next_meeting_focus="Transitions between centers",
        **fields,
    )


# The day before ------------------------------------------------------------------------------


def test_the_mentor_is_reminded_the_day_before_from_seven_in_the_morning_once(mailoutbox, run):
    with at(2026, 11, 18, 6, 59):
        visit = visit_on(in_days(1))
        mentor = visit.relationship.mentor
        assert run("visit-reminders") == {"visit-reminders": "nothing before 07:00"}
        assert mailoutbox == []

    with at(2026, 11, 18, 7, 0):
        assert run("visit-reminders") == {"visit-reminders": "1 queued"}

    [email] = mailoutbox
    assert email.to == [mentor.email]
    assert email.subject == (
        f"Tomorrow: your visit with {visit.relationship.supported_name} at 9:30 AM"
    )
    assert "is tomorrow, Thursday, November 19, 2026, at 9:30 AM" in email.body
    assert "Where: Room 12" in email.body
    assert settings.SITE_URL + visit.get_absolute_url() in email.body
    # What was planned for the visit stays in the app; the email can be turned off.
    assert "Transitions between centers" not in email.body
    assert "Email me the day before a visit I have scheduled" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    with at(2026, 11, 18, 8, 0):
        assert run("visit-reminders") == {"visit-reminders": "0 queued"}
    with at(2026, 11, 18, 23, 0):
        assert run("visit-reminders") == {"visit-reminders": "0 queued"}
    assert len(mailoutbox) == 1
    [delivery] = Delivery.objects.filter(kind=REMINDER)
    assert delivery.key == f"{REMINDER}:{visit.pk}:2026-11-19"
    assert delivery.status == Delivery.Status.SENT
    assert delivery.recipient == mentor


@pytest.mark.parametrize(
    ("moment", "visit_day", "later_day"),
    [
        # New Year's Eve evening: UTC is already in the new year, the program is not.
        ((2026, 12, 31, 21, 30), datetime.date(2027, 1, 1), datetime.date(2027, 1, 2)),
        # The last of a 31-day month, late: the visit is on the 1st.
        ((2027, 3, 31, 22, 15), datetime.date(2027, 4, 1), datetime.date(2027, 4, 2)),
        # The day before leap day.
        ((2028, 2, 28, 7, 0), datetime.date(2028, 2, 29), datetime.date(2028, 3, 1)),
    ],
    ids=["new-years-eve", "month-end", "leap-day"],
)
def test_tomorrow_is_the_programs_tomorrow_across_month_and_year_ends(
    mailoutbox, run, moment, visit_day, later_day
):
    with at(*moment):
        visit = visit_on(visit_day)
        visit_on(later_day, relationship=visit.relationship)
        run("visit-reminders")

    [email] = mailoutbox
    assert email.subject.startswith("Tomorrow: ")
    assert f"{visit_day:%A, %B} {visit_day.day}, {visit_day.year}" in email.body
    assert keys(REMINDER) == [f"{REMINDER}:{visit.pk}:{visit_day.isoformat()}"]


def test_a_visit_moved_to_another_day_is_reminded_again_before_its_new_day(mailoutbox, run):
    with at(2026, 11, 18, 7, 0):
        visit = visit_on(in_days(1))
        run("visit-reminders")
        visit.date = in_days(8)
        visit.save()

    with at(2026, 11, 25, 7, 0):
        run("visit-reminders")
        run("visit-reminders")

    assert len(mailoutbox) == 2
    assert "Thursday, November 26, 2026" in mailoutbox[1].body
    assert keys(REMINDER) == [
        f"{REMINDER}:{visit.pk}:2026-11-19",
        f"{REMINDER}:{visit.pk}:2026-11-26",
    ]


def test_a_reminder_is_not_sent_for_a_visit_moved_or_cancelled_before_the_worker_sends_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    from nudges import services

    visit = visit_on(in_days(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_reminders_queue(today=clock.today())
        visit.date = in_days(3)  # moved before the queued email went out
        visit.save()

    assert mailoutbox == []
    assert Delivery.objects.get(kind=REMINDER).status == Delivery.Status.DROPPED


def test_no_reminder_for_someone_who_turned_it_off_or_for_visits_nobody_expects(mailoutbox, run):
    turned_off = visit_on(in_days(1))
    outbox.set_switches(turned_off.relationship.mentor, {REMINDER: False})
    paused = visit_on(in_days(1), relationship__status=SupportRelationship.Status.PAUSED)
    visit_on(in_days(1), cancelled=True)
    visit_on(in_days(2))
    relationship = factories.SupportRelationshipFactory()

    run("visit-reminders")

    assert mailoutbox == []
    assert not to(mailoutbox, relationship.mentor)
    assert not to(mailoutbox, paused.relationship.mentor)
    assert not Delivery.objects.exists()


# Passed without a log ------------------------------------------------------------------------


def test_a_visit_still_not_logged_two_days_later_nudges_its_mentor_once(mailoutbox, run):
    with at(2026, 11, 16, 10, 0):
        visit = visit_on(clock.today())
        mentor = visit.relationship.mentor
    with at(2026, 11, 17, 10, 0):
        run("unlogged-visits")
        assert mailoutbox == []

    with at(2026, 11, 18, 7, 0):
        run("unlogged-visits")
        run("unlogged-visits")

    [email] = to(mailoutbox, mentor)
    assert len(mailoutbox) == 1
    assert "November 16 is not logged yet" in email.subject
    assert "planned for Monday, November 16, 2026, has passed" in email.body
    url = settings.SITE_URL + reverse("relationships:visit_log", args=[visit.code])
    assert url in email.body
    assert "Transitions between centers" not in email.body
    assert keys(UNLOGGED) == [f"{UNLOGGED}:{visit.pk}:2026-11-16"]


def test_a_visit_logged_in_time_sends_no_nudge(mailoutbox, run):
    with at(2026, 11, 16, 10, 0):
        visit = visit_on(clock.today())
        relationship_services.visit_log(
            relationship=visit.relationship,
            by=visit.relationship.mentor,
            visit=visit,
            date=visit.date,
            duration_minutes=45,
        )
    with at(2026, 11, 18, 7, 0):
        run("unlogged-visits")

    assert not Delivery.objects.filter(kind=UNLOGGED).exists()
    assert not [email for email in mailoutbox if "not logged" in email.subject]


def test_the_nudge_counts_days_across_the_month_end_and_catches_up_on_missed_runs(mailoutbox, run):
    with at(2027, 3, 30, 12, 0):
        on_30th = visit_on(clock.today())
        on_31st = visit_on(in_days(1))
    with at(2027, 4, 1, 7, 30):
        run("unlogged-visits")
    assert keys(UNLOGGED) == [f"{UNLOGGED}:{on_30th.pk}:2027-03-30"]

    # The scheduler stood still for days: the nudge still goes, once.
    with at(2027, 4, 6, 9, 0):
        run("unlogged-visits")
        run("unlogged-visits")
    assert keys(UNLOGGED) == sorted(
        [f"{UNLOGGED}:{on_30th.pk}:2027-03-30", f"{UNLOGGED}:{on_31st.pk}:2027-03-31"]
    )
    assert len(mailoutbox) == 2


def test_no_nudge_for_someone_who_turned_it_off(mailoutbox, run):
    with at(2026, 11, 16, 10, 0):
        visit = visit_on(clock.today())
        outbox.set_switches(visit.relationship.mentor, {UNLOGGED: False})
    with at(2026, 11, 18, 7, 0):
        run("unlogged-visits")

    assert mailoutbox == []
    # The other emails stay on.
    assert not outbox.wants(visit.relationship.mentor, UNLOGGED)
    assert outbox.wants(visit.relationship.mentor, REMINDER)
