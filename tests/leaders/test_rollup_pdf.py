"""The roll-up as a funder's PDF (reports/rollup/pdf.py): a leader presses "Download PDF",
the task worker makes it from the same cells as the page, and only that leader gets it."""

import io

import pypdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core import clock
from programs.models import OrganizationLeader
from reports.funder_pdf import registry
from reports.funder_pdf.render import render
from reports.models import ReportJob
from reports.rollup import pdf
from reports.rollup.figures import build_rollup
from reports.rollup.filters import RollupForm
from reports.rollup.scope import leader_scope
from tests.factories import (
    AcknowledgementFactory,
    GoalFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
)
from tests.leaders.test_rollup_views import CANARY
from tests.leaders.world import add_relationships, district_world

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def flat(text: str) -> str:
    """Text without its line breaks and spaces (a table may wrap a title)."""
    return "".join(text.split())


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_leader_gets_the_roll_up_as_a_pdf_with_small_cells_reading_fewer_than_5(client):
    world = district_world(at_first=6, at_second=3)
    client.force_login(world.leader)
    south = {"site": str(world.schools[1].pk)}  # 3 teachers: "fewer than 5"
    assert 'action="/leaders/pdf/"' in client.get("/leaders/", south).content.decode()

    response = client.post(reverse("leaders:pdf"), south)
    job = ReportJob.objects.get()
    assert response.url == reverse("report_jobs:detail", args=[job.code])
    assert job.parameters["site"] == south["site"] and job.builder == "reports.rollup.pdf.build"
    waiting = client.get(response.url)
    assert waiting["Refresh"] == "3"
    assert 'href="/leaders/"' in waiting.content.decode()

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.01, verbosity=0)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    [email] = [m for m in mail.outbox if m.to == [world.leader.email]]
    assert reverse("report_jobs:detail", args=[job.code]) in email.body
    download_url = reverse("report_jobs:download", args=[job.code])
    download = client.get(download_url)
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content))

    scope = leader_scope(world.leader)
    filters = RollupForm(south, scope=scope, today=clock.today()).filters()
    for table in build_rollup(scope, filters).tables:
        assert flat(table.title) in flat(text), table.title
    assert "fewer than 5" in text
    assert "South School" in text  # the site asked for, on the title page
    assert "Lakeside District" in text
    assert flat("no figure describes fewer than 5 people") in flat(text)
    assert "Page 2 of" in text
    for relationship in world.relationships:
        assert relationship.protege.last_name not in text

    # Nobody else gets it: another leader, an administrator.
    other_leader = UserFactory()
    OrganizationLeader.objects.create(organization=world.district, user=other_leader)
    for other in (other_leader, UserFactory(admin=True)):
        client.force_login(other)
        assert client.get(response.url).status_code == 404
        assert client.get(download_url).status_code == 404


def test_the_pdf_holds_the_pages_cells_and_never_a_suppressed_figure(db):
    world = district_world(at_first=6, at_second=3)
    report = pdf.build({"requested_by": world.leader.pk, "site": str(world.schools[1].pk)})
    scope = leader_scope(world.leader)
    filters = RollupForm(
        {"site": str(world.schools[1].pk)}, scope=scope, today=clock.today()
    ).filters()
    tables = build_rollup(scope, filters).tables
    assert [t.title for t in report.tables] == [t.title for t in tables]
    for printed, table in zip(report.tables, tables, strict=True):
        if table.slug == "programs":
            continue
        assert printed.rows == [[cell.text for cell in row] for row in table.all_rows]
        for row in table.all_rows:
            for cell in row:
                if cell.suppressed:
                    assert cell.text in ("fewer than 5", "withheld")
                    assert cell.value is None
    programs = report.tables[0]
    assert programs.rows[0][:2] == ["District Induction", "fewer than 5"]
    assert programs.chart is None
    months = next(t for t in report.tables if t.title == "Visits and hours by month")
    assert months.chart is not None and months.chart.unit == "visits logged"
    assert len(months.chart.values) == len(months.rows) - 1  # no bar for the total
    activities = next(t for t in report.tables if t.title == "Time by activity")
    assert activities.chart is not None and activities.chart.unit == "%"
    assert "South School" in report.period_label
    assert report.organization_name == "Lakeside District"
    assert "fewer than 5" in report.method_note


def test_someone_who_leads_nothing_gets_an_empty_report_never_another_leaders(db):
    district_world(at_first=6, at_second=3)
    report = pdf.build({"requested_by": UserFactory().pk})
    assert report.tables == []
    assert "leads no organization" in report.method_note
    assert pdf.build({"requested_by": 0}).tables == []


def test_no_conversation_or_private_text_reaches_the_pdf(db):
    program = ProgramFactory(coordinators_read_shared_logs=True, focus_areas="Read-alouds")
    world = district_world(program=program, at_first=0, at_second=0)
    program.sponsor = world.district
    program.save()
    for relationship in add_relationships(
        program,
        world.schools[0],
        6,
        whats_working=CANARY,
        feedback=CANARY,
        private_notes=CANARY,
        location=CANARY,
    ):
        AcknowledgementFactory(
            visit=relationship.visits.get(), reflection=CANARY, private_reflection=CANARY
        )
        GoalFactory(relationship=relationship, title=CANARY, focus_area=CANARY)
        relationship.end_reason = CANARY
        relationship.save()
    rendered = render(pdf.build({"requested_by": world.leader.pk}))
    assert "Canary" not in pdf_text(rendered.content)


def test_asking_for_the_pdf_is_for_leaders_only(client, db):
    client.force_login(UserFactory())
    assert client.post(reverse("leaders:pdf")).status_code == 404
    leader = UserFactory()
    OrganizationLeader.objects.create(organization=OrganizationFactory(), user=leader)
    client.force_login(leader)
    assert client.get(reverse("leaders:pdf")).url == reverse("leaders:rollup")
    assert ReportJob.objects.count() == 0


def test_the_builder_is_registered():
    assert registry.is_registered("reports.rollup.pdf.build")
