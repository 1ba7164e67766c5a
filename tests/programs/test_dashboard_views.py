"""The program dashboard: per-relationship figures and flags, program-wide figures, filters,
pagination, charts, and a query count that does not grow with the program."""

import csv
import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from goals.models import GoalTemplate
from programs.models import Enrollment
from relationships.models import Activity
from reports import dashboard
from tests.factories import (
    EnrollmentFactory,
    GoalFactory,
    ProgramFactory,
    SupportRelationshipFactory,
    VisitFactory,
    in_days,
)
from tests.programs.coordinator_world import coordinated_program, relationship_in
from tests.test_query_counts import own_queries

pytestmark = pytest.mark.django_db


def today():
    return clock.today()


def days_ago(n: int) -> datetime.date:
    return in_days(-n)


def dashboard_page(client, program, query: str = "") -> str:
    response = client.get(f"/programs/{program.code}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def row_of(page: str, name: str) -> str:
    """The table row of the relationship with `name` (protégé or team)."""
    for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S):
        if name in row:
            return row
    raise AssertionError(f"no row for {name}")


def test_flags(client):
    program, coordinator = coordinated_program(
        visits_per_month=4, minutes_per_month=240, days_to_first_visit=14
    )
    first_visit_late = relationship_in(program, starts_on=days_ago(20))
    first_visit_late.protege.first_name = "Alphaone"
    first_visit_late.protege.save()
    behind = relationship_in(program, starts_on=days_ago(100))
    behind.protege.first_name = "Betatwo"
    behind.protege.save()
    GoalFactory(relationship=behind)
    VisitFactory(relationship=behind, logged=True, date=days_ago(70), feedback="Well done")
    gap = relationship_in(program, starts_on=days_ago(100))
    gap.protege.first_name = "Gammathree"
    gap.protege.save()
    GoalFactory(relationship=gap)
    VisitFactory(
        relationship=gap,
        logged=True,
        date=days_ago(60),
        activities=[Activity.OBSERVING],
        feedback="  ",
    )
    client.force_login(coordinator)
    page = dashboard_page(client, program)
    late_row = row_of(page, "Alphaone")
    assert "First visit overdue" in late_row and "No goal yet" in late_row
    assert "None yet" in late_row  # last visit
    behind_row = row_of(page, "Betatwo")
    assert "Behind dosage" in behind_row  # nothing logged last month nor this month
    assert "First visit overdue" not in behind_row and "No goal yet" not in behind_row
    assert "70" in behind_row  # days since contact
    assert "Observation without feedback" in row_of(page, "Gammathree")


def test_relationship_level_dosage_overrides_the_programs(client):
    program, _ = coordinated_program(days_to_first_visit=30)
    strict = relationship_in(program, starts_on=days_ago(10), days_to_first_visit=5)
    relaxed = relationship_in(program, starts_on=days_ago(10))
    rows = {row.pk: row for row in dashboard.relationship_rows(program)}
    assert rows[strict.pk].flags == ["First visit overdue", "No goal yet"]
    assert rows[relaxed.pk].flags == ["No goal yet"]


def test_visits_and_minutes_this_month_against_dosage(client):
    program, coordinator = coordinated_program(visits_per_month=2, minutes_per_month=120)
    rel = relationship_in(program)
    VisitFactory(relationship=rel, logged=True, date=today(), duration_minutes=45)
    VisitFactory(relationship=rel, logged=True, date=today() - datetime.timedelta(days=40))
    client.force_login(coordinator)
    row = row_of(dashboard_page(client, program), rel.protege.last_name)
    assert "1 of 2" in row
    assert "45 of 120" in row


def test_paused_relationships_are_not_flagged(client):
    program, _ = coordinated_program(days_to_first_visit=1)
    relationship_in(program, starts_on=days_ago(30), status="paused", end_reason="Leave")
    [row] = dashboard.relationship_rows(program)
    assert row.flags == []


def test_filters(client):
    program, coordinator = coordinated_program(support_model="both", days_to_first_visit=7)
    # Names no page text can contain by chance (a random "May" matched a month once).
    coaching = relationship_in(
        program, kind="coaching", starts_on=days_ago(30), protege__last_name="Quillfeather"
    )
    mentoring = relationship_in(
        program, kind="mentoring", starts_on=today(), protege__last_name="Brightwater"
    )
    GoalFactory(relationship=mentoring)
    ended = relationship_in(program, ended=True, protege__last_name="Stonebridge")
    client.force_login(coordinator)

    def names(query: str) -> set[str]:
        # The relationships' table, not the protégés waiting for a match further down.
        page = dashboard_page(client, program, query).split('id="waiting-heading"')[0]
        return {
            rel.protege.last_name
            for rel in (coaching, mentoring, ended)
            if rel.protege.last_name in page
        }

    assert names("") == {coaching.protege.last_name, mentoring.protege.last_name}
    assert names("?kind=coaching") == {coaching.protege.last_name}
    assert names("?status=ended") == {ended.protege.last_name}
    assert names("?flag=first_visit") == {coaching.protege.last_name}
    assert names(f"?mentor={mentoring.mentor_id}") == {mentoring.protege.last_name}
    assert names(f"?q={mentoring.protege.last_name}") == {mentoring.protege.last_name}


def test_program_wide_figures_and_charts(client):
    program, coordinator = coordinated_program()
    rel = relationship_in(program)
    GoalFactory(relationship=rel, met=True)
    GoalFactory(relationship=rel, met=True, status="not_met")
    GoalFactory(relationship=rel)
    VisitFactory(relationship=rel, logged=True, date=today())
    EnrollmentFactory(program=program, left=True)  # a protégé who left
    EnrollmentFactory(
        program=program, left_on=today(), leaving_reason=Enrollment.LeavingReason.COMPLETED
    )
    client.force_login(coordinator)
    response = client.get(f"/programs/{program.code}/")
    page = response.content.decode()
    assert response.context["goals"].attainment == 50
    retention = response.context["retention"]
    assert (retention.enrolled, retention.current, retention.completed, retention.left) == (
        3,
        1,
        1,
        1,
    )
    assert retention.rate == 67
    assert "Left the job" in page
    assert "See who left" in page
    months = json.loads(
        re.search(r'id="visits-chart-data" type="application/json">(.*?)</script>', page).group(1)
    )
    # The program gives no dates, so its year is the school year: August to this month.
    assert months["labels"] == ["Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"]
    assert months["values"][-1] == 1
    assert 'data-chart="bar" data-chart-source="visits-chart-data"' in page
    assert 'data-chart="doughnut" data-chart-source="goals-chart-data"' in page
    # Only JSON data blocks; no inline script.
    assert not re.search(r"<script(?![^>]*(type=\"application/json\"|src=))", page)


def test_caseloads_against_limits(client):
    program, coordinator = coordinated_program()
    rel = relationship_in(program)
    profile = rel.mentor.mentor_profile
    profile.caseload_limit = 1
    profile.save()
    SupportRelationshipFactory(mentor=rel.mentor)  # in another program: still their load
    client.force_login(coordinator)
    page = dashboard_page(client, program)
    assert "Over by 1" in page


def test_prescribed_goal_program_without_templates_asks_for_one(client):
    program, coordinator = coordinated_program(coaching=True)
    client.force_login(coordinator)
    page = dashboard_page(client, program)
    assert "Goals cannot be set yet" in page
    assert f"/goals/programs/{program.code}/templates/new/" in page
    GoalTemplate.objects.create(program=program, title="Read-alouds")
    assert "Goals cannot be set yet" not in dashboard_page(client, program)


def test_mentoring_with_a_classroom_team_gets_a_hint(client):
    program, coordinator = coordinated_program(support_model="both")
    SupportRelationshipFactory(for_team=True, program=program, kind="mentoring")
    client.force_login(coordinator)
    assert "usually a coaching model" in dashboard_page(client, program)


def _busy_relationship(program):
    rel = relationship_in(program, starts_on=days_ago(40))
    VisitFactory(relationship=rel, logged=True, date=today())
    VisitFactory(relationship=rel)
    GoalFactory(relationship=rel)
    return rel


# A fixed number, whatever the program's size (docs/benchmarks.md, "Fifth round"). The
# caseloads read their people's ids, then the people, then their relationships counted (three
# small queries: in one, PostgreSQL read a whole table for a big program); the waiting list
# reads who waits in order, then the people of the page shown (none here). With the kept rows
# on (reports/kept_rows.py; off in the tests but for tests/reports/test_kept_rows.py), the rows
# and the program-wide figures cost one query, the version, once kept.
QUERIES = 20  # the page's own (the session's read aside: tests/test_query_counts.py)


def test_dashboard_query_count_is_the_same_for_1_and_50_relationships(client):
    program, coordinator = coordinated_program(visits_per_month=2, days_to_first_visit=10)
    ProgramFactory()  # noise

    def count(query: str = "") -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            dashboard_page(client, program, query)
        return own_queries(queries)

    _busy_relationship(program)
    relationship_in(program, days_to_first_visit=3)  # a relationship-level override
    one = (count(), count("?flag=any&status=all"))
    for _ in range(48):
        _busy_relationship(program)
    assert (count(), count("?flag=any&status=all")) == one == (QUERIES, QUERIES)


@pytest.mark.parametrize("what", ["relationships", "visits", "goals"])
def test_export_query_count_is_the_same_for_1_and_50(client, what):
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)

    def count() -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/programs/{program.code}/export/{what}.csv")
            b"".join(response.streaming_content)
        return len(queries)

    _busy_relationship(program)
    one = count()
    for _ in range(49):
        _busy_relationship(program)
    assert count() == one


def test_exports_follow_the_filters_in_view(client):
    program, coordinator = coordinated_program(support_model="both")
    coaching = relationship_in(program, kind="coaching")
    mentoring = relationship_in(program, kind="mentoring")
    VisitFactory(relationship=coaching, logged=True, location="Room C")
    VisitFactory(relationship=mentoring, logged=True)
    client.force_login(coordinator)
    page = dashboard_page(client, program, "?kind=coaching")
    assert f"/programs/{program.code}/export/visits.csv?status=open&amp;kind=coaching" in page
    response = client.get(f"/programs/{program.code}/export/visits.csv?kind=coaching")
    assert response["Content-Disposition"].startswith("attachment;")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # spreadsheet programs then read it as UTF-8
    text = raw.decode("utf-8-sig")
    assert str(coaching.code) in text and str(mentoring.code) not in text
    rels = b"".join(
        client.get(f"/programs/{program.code}/export/relationships.csv").streaming_content
    ).decode()
    assert str(coaching.code) in rels and str(mentoring.code) in rels
    assert client.get(f"/programs/{program.code}/export/notes.csv").status_code == 404


def test_relationships_export_holds_each_rows_figures(client):
    program, coordinator = coordinated_program(
        support_model="both", visits_per_month=2, minutes_per_month=120, days_to_first_visit=7
    )
    individual = relationship_in(
        program,
        starts_on=days_ago(20),
        mentor__first_name="Mona",
        mentor__last_name="Quist",
        protege__first_name="Pia",
        protege__last_name="Larch",
    )
    team = relationship_in(program, for_team=True, kind="coaching", starts_on=days_ago(40))
    VisitFactory(relationship=team, logged=True, date=today(), duration_minutes=45)
    GoalFactory(relationship=team)
    client.force_login(coordinator)
    response = client.get(f"/programs/{program.code}/export/relationships.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    rows = {row["relationship"]: row for row in csv.DictReader(lines)}
    first = rows[str(individual.code)]
    assert first["mentor or coach"] == "Mona Quist"
    assert first["protégé or team"] == "Pia Larch"
    assert (first["kind"], first["format"], first["status"]) == (
        "Mentoring",
        "Individual",
        "Active",
    )
    assert first["people"] == "1" and first["last visit"] == ""
    assert first["visits expected per month"] == "2" and first["goals"] == "0"
    # Twenty days without a visit, thirteen past the first-visit deadline: behind, too.
    assert first["flags"] == "First visit overdue; No goal yet; Behind dosage"
    second = rows[str(team.code)]
    assert second["protégé or team"] == team.team.name
    assert second["people"] == "2" and second["format"] == "Classroom team"
    assert second["last visit"] == today().isoformat()
    assert (second["visits this month"], second["minutes this month"]) == ("1", "45")
    assert second["goals"] == "1"


def test_visits_export_follows_a_flag_filter(client):
    program, coordinator = coordinated_program(days_to_first_visit=7)
    flagged = relationship_in(program, starts_on=days_ago(30))
    on_track = relationship_in(program, starts_on=days_ago(30))
    GoalFactory(relationship=flagged)
    GoalFactory(relationship=on_track)
    VisitFactory(relationship=flagged, status="scheduled", date=today())
    VisitFactory(relationship=on_track, logged=True, date=days_ago(2))
    client.force_login(coordinator)
    response = client.get(f"/programs/{program.code}/export/visits.csv?flag=first_visit")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert str(flagged.code) in text and str(on_track.code) not in text


def _csv(client, program, what: str) -> list[dict]:
    response = client.get(f"/programs/{program.code}/export/{what}.csv")
    return list(
        csv.DictReader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines())
    )


def test_visit_and_goal_exports_name_each_rows_people_and_logistics(client):
    program, coordinator = coordinated_program(support_model="both")
    individual = relationship_in(
        program,
        mentor__first_name="Mona",
        mentor__last_name="Quist",
        protege__first_name="Pia",
        protege__last_name="Larch",
    )
    team = relationship_in(program, for_team=True, kind="coaching")
    logged = VisitFactory(
        relationship=individual,
        logged=True,
        date=days_ago(3),
        duration_minutes=50,
        activities=[Activity.OBSERVING, Activity.FEEDBACK],
    )
    cancelled = VisitFactory(relationship=team, cancelled=True, date=days_ago(1))
    goal = GoalFactory(relationship=team, title="Partner talk at centers")
    client.force_login(coordinator)

    visits = {row["visit"]: row for row in _csv(client, program, "visits")}
    first = visits[str(logged.code)]
    assert (first["relationship"], first["kind"]) == (str(individual.code), "Mentoring")
    assert (first["mentor or coach"], first["protégé or team"]) == ("Mona Quist", "Pia Larch")
    assert (first["status"], first["date"]) == ("Logged", days_ago(3).isoformat())
    assert first["duration (minutes)"] == "50"
    assert first["activities"] == "Observing; Feedback"
    second = visits[str(cancelled.code)]
    assert (second["kind"], second["protégé or team"]) == ("Coaching", team.team.name)
    assert second["status"] == "Cancelled" and second["cancel reason"] == cancelled.cancel_reason

    (row,) = _csv(client, program, "goals")
    assert (row["goal"], row["relationship"]) == (str(goal.code), str(team.code))
    assert (row["protégé or team"], row["title"]) == (team.team.name, "Partner talk at centers")
    assert (row["origin"], row["status"]) == (goal.get_origin_display(), goal.get_status_display())
    assert row["proposed on"] == clock.local_date(goal.created_at).isoformat()


def test_no_goal_yet_waits_for_the_days_the_program_gives(client):
    program, coordinator = coordinated_program(days_to_first_goal=30)
    new = relationship_in(program, starts_on=days_ago(2), protege__first_name="Newmatch")
    relationship_in(program, starts_on=days_ago(31), protege__first_name="Latematch")
    VisitFactory(relationship=new, logged=True, date=today())
    client.force_login(coordinator)
    page = dashboard_page(client, program)

    new_row = row_of(page, "Newmatch")
    assert "No goal yet" not in new_row
    due = days_ago(2) + datetime.timedelta(days=30)
    assert f"First goal due {due:%b} {due.day}" in new_row
    assert "Today" in new_row  # days since contact
    late_row = row_of(page, "Latematch")
    assert "No goal yet" in late_row and "First goal due" not in late_row
    assert "See who left" not in page  # nobody has
