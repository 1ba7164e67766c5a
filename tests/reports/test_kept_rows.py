"""The coordinator dashboard's kept rows (reports/kept_rows.py): after every write the flags
read, the rows shown equal a fresh count; a new day counts again; the page reads them with
fewer queries; and a write that sends no signal shows once the kept rows are old enough."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from programs.models import Program
from relationships import services
from relationships.models import SupportRelationship
from reports import dashboard, kept_rows
from tests.factories import (
    EnrollmentFactory,
    GoalFactory,
    GoalTemplateFactory,
    VisitFactory,
    in_days,
)
from tests.programs.coordinator_world import coordinated_program, relationship_in
from tests.programs.test_dashboard_views import QUERIES, dashboard_page, row_of
from tests.test_query_counts import own_queries

# Real commits: the kept rows follow what commits (the version is bumped then), as in use.
pytestmark = pytest.mark.django_db(transaction=True)

EVERY_STATUS = dashboard.Filters(status="all")


@pytest.fixture(autouse=True)
def keeping(settings):
    settings.DASHBOARD_KEPT_ROWS = True
    # Tasks are queued, not run: the rows must follow a write at once, not once the task
    # worker has recounted the monthly summaries (which bumps the version again).
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    kept_rows.forget()
    yield
    kept_rows.forget()


def figures(program: Program) -> tuple:
    """What the dashboard shows of each row, in its order, its program-wide figures and who
    waits for a match."""
    program = Program.objects.get(pk=program.pk)
    keep = kept_rows.Keep(program, clock.today())
    rows = [
        (
            row.pk,
            row.status,
            row.flags,
            row.last_visit_on,
            row.visits_progress,
            row.minutes_progress,
            row.goal_count,
            len(row.missing_required),
            row.mentor_left_enrollment,
        )
        for row in dashboard.relationship_rows(program, EVERY_STATUS, keep=keep)
    ]
    return rows, dashboard.ProgramFigures.kept(keep), dashboard.kept_waiting(keep)


def fresh(program: Program, settings) -> tuple:
    settings.DASHBOARD_KEPT_ROWS = False
    try:
        return figures(program)
    finally:
        settings.DASHBOARD_KEPT_ROWS = True


def world():
    program, coordinator = coordinated_program(
        visits_per_month=2,
        minutes_per_month=120,
        days_to_first_visit=14,
        days_to_first_goal=30,
        goal_policy=Program.GoalPolicy.BOTH,
    )
    new = relationship_in(program, starts_on=in_days(-20))  # first visit overdue
    settled = relationship_in(program, starts_on=in_days(-90))
    GoalFactory(relationship=settled)
    VisitFactory(relationship=settled, logged=True, date=in_days(-3), feedback="Well done")
    return program, coordinator, new, settled


def log_visit(program, new, settled):
    VisitFactory(relationship=new, logged=True, date=clock.today(), duration_minutes=50)


def delete_visit(program, new, settled):
    settled.visits.get().delete()


def set_a_goal(program, new, settled):
    GoalFactory(relationship=new)


def pause(program, new, settled):
    services.relationship_pause(relationship=new, reason="Leave")


def end(program, new, settled):
    services.relationship_end(relationship=settled, reason="Moved away", completed=False)


def change_dosage(program, new, settled):
    program.days_to_first_visit = 30
    program.visits_per_month = 6
    program.save()


def mentor_leaves(program, new, settled):
    enrollment = program.enrollments.get(person=settled.mentor)
    enrollment.left_on = clock.today()
    enrollment.leaving_reason = enrollment.LeavingReason.OTHER
    enrollment.save()


def require_a_template(program, new, settled):
    GoalTemplateFactory(program=program, required=True)


def a_protege_joins(program, new, settled):
    EnrollmentFactory(program=program)


WRITES = [
    log_visit,
    delete_visit,
    set_a_goal,
    pause,
    end,
    change_dosage,
    mentor_leaves,
    require_a_template,
    a_protege_joins,
]


@pytest.mark.parametrize("write", WRITES, ids=[write.__name__ for write in WRITES])
def test_after_each_write_the_rows_shown_equal_a_fresh_count(write, client, settings):
    program, _coordinator, new, settled = world()
    before = figures(program)
    assert before == fresh(program, settings)
    write(program, new, settled)
    after = figures(program)
    assert after != before  # each write changes something the dashboard shows
    assert after == fresh(program, settings)


def test_a_visit_logged_clears_the_flag_on_the_page(client):
    program, coordinator, new, settled = world()
    client.force_login(coordinator)
    name = new.protege.last_name
    assert "First visit overdue" in row_of(dashboard_page(client, program), name)
    log_visit(program, new, settled)
    assert "First visit overdue" not in row_of(dashboard_page(client, program), name)


def test_a_new_day_counts_again():
    program, _ = coordinated_program(days_to_first_visit=14, days_to_first_goal=60)
    relationship = relationship_in(program, starts_on=in_days(-14))
    [row] = dashboard.relationship_rows(program)
    assert row.flags == []  # the first visit is due today
    with time_machine.travel(clock.now() + datetime.timedelta(days=1), tick=False):
        [row] = dashboard.relationship_rows(program)
    assert row.pk == relationship.pk
    assert row.flags == ["First visit overdue"]


def test_the_page_reads_kept_rows(client):
    program, coordinator, *_ = world()
    client.force_login(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard_page(client, program)
        return own_queries(queries)

    # A program that prescribes goals costs one query more than QUERIES' (whether it has
    # templates). The first view reads the version and counts the rows (the relationships,
    # their visits, goals and pauses, the required templates: there are none, so no goals
    # are read for them) and the program-wide figures (its relationships, visits by month,
    # goals by status, enrollments by leaving reason) and who waits for a match. The next
    # ones read the version only: ten queries fewer.
    assert (count(), count(), count()) == (QUERIES + 2, QUERIES - 8, QUERIES - 8)


def test_the_figures_kept_follow_the_readers_language(client):
    program, coordinator, *_ = world()
    client.force_login(coordinator)
    assert "In progress" in dashboard_page(client, program)
    client.cookies["django_language"] = "es"
    page = client.get(f"/programs/{program.code}/", headers={"accept-language": "es"})
    assert "En curso" in page.content.decode()


def test_a_write_without_a_signal_shows_when_the_kept_rows_are_old(settings):
    program, _, new, settled = world()
    [before] = [row for row in dashboard.relationship_rows(program) if row.pk == new.pk]
    SupportRelationship.objects.filter(pk=new.pk).update(status="paused")  # no signal
    active = dashboard.Filters(status="active")
    assert [row.pk for row in dashboard.relationship_rows(program, active)] == [
        before.pk,
        settled.pk,
    ]
    later = clock.now() + datetime.timedelta(minutes=settings.DASHBOARD_KEPT_MAX_AGE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert [row.pk for row in dashboard.relationship_rows(program, active)] == [settled.pk]


def test_the_relationships_export_follows_a_write(client):
    program, coordinator, new, settled = world()
    client.force_login(coordinator)

    def exported() -> dict[str, list[str]]:
        response = client.get(f"/programs/{program.code}/export/relationships.csv?status=all")
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        return {line.split(",")[0]: line.split(",") for line in lines[1:]}

    before = exported()[str(settled.code)]
    assert before[6] == "Active" and before[9] == ""
    end(program, new, settled)
    after = exported()[str(settled.code)]
    assert after[6] == "Ended early"
    assert after[9] == clock.today().isoformat()  # ended on
    # A name changes without a version bump: the export reads names afresh.
    settled.mentor.first_name = "Renamed"
    settled.mentor.save()
    assert exported()[str(settled.code)][3].startswith("Renamed ")
