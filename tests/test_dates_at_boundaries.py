"""Every rule that counts days or months, at the instants where such rules break (tests/clock.py):
the 1st and the last of a month, leap day, New Year's Eve evening (UTC already in the next year)
and both clock-change days. Each test runs once per instant (the `boundary` fixture); dates are
worked out from the program's local date, as the pages work them out.

The calendar feed has its own boundary tests (tests/relationships/test_mentor_calendar.py).
"""

import datetime
import json
import re

import pytest

from core import clock
from core.months import month_bounds
from relationships import services
from relationships.models import SupportRelationship
from relationships.pace import GRACE_DAYS, window_start
from reports import dashboard
from reports.years import program_year
from tests.factories import EnrollmentFactory, GoalFactory, VisitFactory, in_days
from tests.programs.coordinator_world import coordinated_program, relationship_in
from tests.programs.test_dashboard_views import row_of

pytestmark = pytest.mark.django_db


def flags_of(program, relationship) -> list[str]:
    rows = {row.pk: row for row in dashboard.relationship_rows(program)}
    return rows[relationship.pk].flags


def chart_of(page: str) -> dict:
    data = re.search(r'id="visits-chart-data" type="application/json">(.*?)</script>', page)
    return json.loads(data.group(1))


# Dosage pace -------------------------------------------------------------------------------


def test_a_new_relationship_visited_days_ago_is_not_behind(boundary, client):
    """The issue's case: matched ten days ago, last visited four days ago."""
    program, coordinator = coordinated_program(visits_per_month=4, minutes_per_month=240)
    rel = relationship_in(program, starts_on=in_days(-10))
    VisitFactory(relationship=rel, logged=True, date=in_days(-4), duration_minutes=45)
    GoalFactory(relationship=rel)
    assert flags_of(program, rel) == []
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/").content.decode()
    row = row_of(page, rel.protege.last_name)
    assert "Behind dosage" not in row


def test_a_relationship_with_nothing_logged_for_two_months_is_behind(boundary):
    program, _ = coordinated_program(visits_per_month=2)
    rel = relationship_in(program, starts_on=in_days(-120))
    GoalFactory(relationship=rel)
    VisitFactory(
        relationship=rel, logged=True, date=window_start(clock.today()) - datetime.timedelta(days=1)
    )
    assert flags_of(program, rel) == ["Behind dosage"]


def test_last_months_visits_keep_a_relationship_on_pace_early_in_the_month(boundary):
    """Two visits last month meet a two-a-month expectation until this month's share, less the
    week's grace, reaches a whole visit."""
    program, _ = coordinated_program(visits_per_month=2)
    rel = relationship_in(program, starts_on=in_days(-120))
    GoalFactory(relationship=rel)
    last_month = window_start(clock.today())
    for day in (3, 17):
        VisitFactory(relationship=rel, logged=True, date=last_month.replace(day=day))
    today = clock.today()
    month_start, month_end = month_bounds(today)
    counted = (today - month_start).days + 1 - GRACE_DAYS
    owed_this_month = 2 * max(counted, 0) // (month_end - month_start).days
    expected = ["Behind dosage"] if owed_this_month >= 1 else []
    assert flags_of(program, rel) == expected


def test_a_relationship_paused_all_last_month_owes_nothing_for_it(boundary):
    program, _ = coordinated_program(visits_per_month=4)
    rel = relationship_in(program, starts_on=in_days(-200))
    GoalFactory(relationship=rel)
    VisitFactory(relationship=rel, logged=True, date=in_days(-100))
    rel.pauses.create(starts_on=in_days(-90), ends_on=in_days(-2))
    assert flags_of(program, rel) == []
    # Without the pause, two months with nothing logged are behind.
    rel.pauses.all().delete()
    assert flags_of(program, rel) == ["Behind dosage"]


def test_pausing_and_resuming_records_the_spell(boundary):
    program, _ = coordinated_program(visits_per_month=4)
    rel = relationship_in(program, starts_on=in_days(-60))
    services.relationship_pause(relationship=rel, reason="Parental leave")
    services.relationship_resume(relationship=rel)
    [pause] = rel.pauses.all()
    assert (pause.starts_on, pause.ends_on) == (clock.today(), clock.today())
    services.relationship_pause(relationship=rel, reason="Again")
    services.relationship_end(relationship=rel, reason="Left", completed=False)
    assert rel.pauses.filter(ends_on__isnull=True).count() == 0


def test_never_behind_while_the_first_visit_is_not_yet_due(boundary):
    program, _ = coordinated_program(visits_per_month=4, days_to_first_visit=45)
    rel = relationship_in(program, starts_on=in_days(-45))
    GoalFactory(relationship=rel)
    assert flags_of(program, rel) == []  # due today: not yet overdue, not behind
    late = relationship_in(program, starts_on=in_days(-46))
    GoalFactory(relationship=late)
    assert flags_of(program, late) == ["First visit overdue", "Behind dosage"]


# First-visit and first-goal deadlines -------------------------------------------------------


def test_first_visit_and_goal_deadlines_on_the_dashboard_and_the_caseload(boundary, client):
    program, coordinator = coordinated_program(days_to_first_visit=14, days_to_first_goal=30)
    due_today = relationship_in(program, starts_on=in_days(-14))
    overdue = relationship_in(program, starts_on=in_days(-15))
    assert flags_of(program, due_today) == []
    assert flags_of(program, overdue) == ["First visit overdue"]
    today, yesterday = clock.today(), in_days(-1)
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/").content.decode()
    assert f"First visit due {today:%b} {today.day}" in page
    client.force_login(due_today.mentor)
    caseload = client.get("/relationships/caseload/").content.decode()
    goal_due = in_days(16)
    assert f"First visit due by {today:%b} {today.day}" in caseload
    assert f"First goal due by {goal_due:%b} {goal_due.day}" in caseload
    client.force_login(overdue.mentor)
    caseload = client.get("/relationships/caseload/").content.decode()
    assert f"Overdue: First visit was due {yesterday:%b} {yesterday.day}" in caseload


# "This month" and the charts by month --------------------------------------------------------


def test_this_month_counts_todays_visit_and_not_last_months(boundary, client):
    program, coordinator = coordinated_program(visits_per_month=3, minutes_per_month=180)
    rel = relationship_in(program, starts_on=in_days(-90))
    month_start, _ = month_bounds(clock.today())
    VisitFactory(relationship=rel, logged=True, date=clock.today(), duration_minutes=50)
    VisitFactory(
        relationship=rel,
        logged=True,
        date=month_start - datetime.timedelta(days=1),
        duration_minutes=70,
    )
    client.force_login(coordinator)
    response = client.get(f"/programs/{program.code}/")
    page = response.content.decode()
    assert response.context["this_month"]["visits"] == 1
    assert response.context["this_month"]["minutes"] == 50
    assert "1 of 3" in page and "50 of 180" in page
    chart = chart_of(page)
    assert chart["labels"][-1] == f"{clock.today():%b %Y}"
    assert chart["values"][-1] == 1
    client.force_login(rel.mentor)
    caseload = client.get("/relationships/caseload/").content.decode()
    assert "2 more visits this month" in caseload
    assert "130 more minutes this month" in caseload


def test_the_chart_follows_the_program_year(boundary, client):
    today = clock.today()
    starts = datetime.date(today.year - 1, 8, 15)
    program, coordinator = coordinated_program(starts_on=starts)
    year = program_year(starts, None, today)
    assert year.starts_on <= today <= year.ends_on
    assert (year.ends_on - year.starts_on).days in (364, 365)
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/").content.decode()
    chart = chart_of(page)
    assert chart["labels"][0] == f"{year.starts_on:%b %Y}"
    assert chart["labels"][-1] == f"{today:%b %Y}"
    assert f"program year {year.label}" in page


# Retention and notification texts ------------------------------------------------------------


def test_someone_who_leaves_today_counts_as_left(boundary):
    program, _ = coordinated_program()
    EnrollmentFactory(program=program)
    EnrollmentFactory(program=program, left=True)
    figures = dashboard.retention(program)
    assert (figures.enrolled, figures.current, figures.left) == (2, 1, 1)
    assert program.enrollments.get(left_on__isnull=False).left_on == clock.today()


def test_the_new_log_email_names_the_local_day(
    boundary, mailoutbox, django_capture_on_commit_callbacks
):
    program, _ = coordinated_program()
    rel = relationship_in(program, starts_on=in_days(-30))
    today = clock.today()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_log(
            relationship=rel,
            by=rel.mentor,
            date=today,
            duration_minutes=30,
            whats_working="Routines",
        )
    [mail] = mailoutbox
    assert f"{today:%B} {today.day}" in mail.subject
    assert f"{today:%A}, {today:%B} {today.day}, {today.year}" in mail.body


def test_scheduling_for_today_is_allowed_in_the_evening(boundary):
    program, _ = coordinated_program()
    rel = relationship_in(program, starts_on=in_days(-30))
    visit = services.visit_schedule(relationship=rel, by=rel.mentor, date=clock.today())
    assert visit.relationship.status == SupportRelationship.Status.ACTIVE
    assert visit.date == clock.local_date(clock.now())
