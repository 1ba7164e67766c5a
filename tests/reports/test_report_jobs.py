"""A PDF report made in the background (reports/jobs.py): the coordinator asks, the real task
worker (django-tasks-db's `db_worker`) makes it, the coordinator is emailed and downloads it;
nobody else reaches it. Small cells read "fewer than 5", no shared or private text is in it,
and a program named like a formula is printed as text. Old files are removed."""

import datetime
import io

import pypdf
import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import clock
from reports import jobs
from reports.models import ReportJob
from tests.factories import UserFactory, VisitFactory
from tests.programs.coordinator_world import coordinated_program, plant_secrets, relationship_in

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MY_PROGRAMS = "reports.funder_pdf.my_programs.build"
PERIOD = {"starts_on": "2026-09-01", "ends_on": "2026-11-30"}
FORMULA_NAME = '=HYPERLINK("https://attacker.example","Click")'


def run_worker() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.01, verbosity=0)


def coordinator_world():
    """A program of six relationships with a visit each (shown) and one of three (too few:
    "fewer than 5"), named like a formula; secrets written in one relationship."""
    big, coordinator = coordinated_program(name="Big induction program")
    small, _ = coordinated_program(coordinator, name=FORMULA_NAME)
    for _ in range(6):
        VisitFactory(relationship=relationship_in(big), logged=True, duration_minutes=30)
    for _ in range(2):
        VisitFactory(relationship=relationship_in(small), logged=True)
    secrets = plant_secrets(relationship_in(small))
    return coordinator, secrets


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_makes_the_report_and_only_its_requester_gets_it(client, mailoutbox):
    coordinator, secrets = coordinator_world()
    client.force_login(coordinator)

    response = client.post(reverse("report_jobs:new"), PERIOD)
    job = ReportJob.objects.get()
    assert response.url == reverse("report_jobs:detail", args=[job.code])
    waiting = client.get(response.url)
    assert "being made" in waiting.content.decode()
    assert waiting["Refresh"] == "3"  # reloads itself until it is ready, without script
    assert job.status == ReportJob.Status.QUEUED

    run_worker()

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.page_count >= 3
    page = client.get(reverse("report_jobs:detail", args=[job.code]))
    assert not page.has_header("Refresh")
    download_url = reverse("report_jobs:download", args=[job.code])
    assert download_url in page.content.decode()
    [email] = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "Your report is ready" in email.subject
    assert reverse("report_jobs:detail", args=[job.code]) in email.body

    download = client.get(download_url)
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    text = pdf_text(b"".join(download.streaming_content))
    assert "Visits and hours in my programs" in text
    assert "Big induction program" in text
    # Printed as text (the table may wrap it: compare without the line breaks).
    assert "".join(FORMULA_NAME.split()) in "".join(text.split())
    assert "fewer than 5" in text
    assert "Page 2 of" in text
    assert "Method and small-cell suppression" in text
    for secret in secrets.all:
        assert secret not in text

    # Nobody else: not another coordinator, not an administrator.
    for other in (UserFactory(), UserFactory(admin=True)):
        client.force_login(other)
        assert client.get(reverse("report_jobs:detail", args=[job.code])).status_code == 404
        assert client.get(download_url).status_code == 404


@pytest.mark.django_db
def test_a_person_who_coordinates_nothing_gets_a_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("report_jobs:new")).status_code == 404


@pytest.mark.django_db
def test_a_period_that_ends_before_it_starts_is_refused_by_the_field(client):
    _, coordinator = coordinated_program()
    client.force_login(coordinator)
    response = client.post(
        reverse("report_jobs:new"), {"starts_on": "2026-11-01", "ends_on": "2026-10-01"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The end must be on or after the start." in content
    assert 'value="2026-11-01"' in content and 'value="2026-10-01"' in content
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
def test_asking_twice_while_it_is_being_made_gives_the_same_report(client):
    _, coordinator = coordinated_program()
    client.force_login(coordinator)
    client.post(reverse("report_jobs:new"), PERIOD)
    client.post(reverse("report_jobs:new"), PERIOD)
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_only_a_registered_builder_is_ever_run():
    person = UserFactory()
    with pytest.raises(ValueError):
        jobs.report_job_queue(by=person, builder="os.system", title="x", parameters={})
    job = ReportJob.objects.create(requested_by=person, builder="os.system", title="x")
    assert jobs.report_job_run(job_id=job.pk) == ReportJob.Status.FAILED
    job.refresh_from_db()
    assert "could not be made" in job.error


def done_job(person, **fields) -> ReportJob:
    job = ReportJob.objects.create(requested_by=person, builder=MY_PROGRAMS, title="Report")
    job.file.save(f"{job.code}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    job.status, job.finished_at, job.page_count = ReportJob.Status.DONE, clock.now(), 1
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return job


@pytest.mark.django_db
@override_settings(REPORT_FILE_DAYS=14)
def test_a_file_is_removed_after_the_days_it_is_kept(client):
    _, coordinator = coordinated_program()
    job = done_job(coordinator)
    name, storage = job.file.name, job.file.storage
    client.force_login(coordinator)
    with time_machine.travel(clock.now() + datetime.timedelta(days=13), tick=False):
        assert jobs.report_jobs_prune() == (0, 0)
    assert storage.exists(name)
    with time_machine.travel(clock.now() + datetime.timedelta(days=15), tick=False):
        out = io.StringIO()
        call_command("prune_report_jobs", stdout=out)
        assert "Removed 1 report file(s)" in out.getvalue()
    assert not storage.exists(name)
    assert client.get(reverse("report_jobs:download", args=[job.code])).status_code == 404
    page = client.get(reverse("report_jobs:detail", args=[job.code])).content.decode()
    assert "The file was removed" in page


@pytest.mark.django_db
def test_a_report_left_half_made_by_a_stopped_worker_is_marked_failed():
    person = UserFactory()
    job = ReportJob.objects.create(
        requested_by=person,
        builder=MY_PROGRAMS,
        title="Report",
        status=ReportJob.Status.RUNNING,
        started_at=clock.now(),
    )
    with time_machine.travel(clock.now() + datetime.timedelta(hours=2), tick=False):
        assert jobs.report_jobs_prune() == (0, 1)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and "stopped" in job.error


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_reports_pages_take_as_many_queries_for_1_report_as_for_50(client):
    counts = []
    for n in (1, 50):
        _, coordinator = coordinated_program(UserFactory())
        made = [done_job(coordinator) for _ in range(n)]
        client.force_login(coordinator)
        counts.append(
            (
                page_queries(client, reverse("report_jobs:new")),
                page_queries(client, reverse("report_jobs:detail", args=[made[-1].code])),
            )
        )
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_report_asked_for_on_a_spanish_page_is_written_in_spanish(client, mailoutbox):
    try:
        coordinator, __ = coordinator_world()
        client.force_login(coordinator)
        client.post(reverse("report_jobs:new"), PERIOD, HTTP_ACCEPT_LANGUAGE="es")
        job = ReportJob.objects.get()
        assert job.title == "Visitas y horas en mis programas"
        page = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert "Período: del" in page and "2026-09-01" not in page

        run_worker()

        job.refresh_from_db()
        assert job.status == ReportJob.Status.DONE
        text = pdf_text(job.file.read())
        assert "Visitas registradas por mes" in text
        assert "menos de 5" in text and "fewer than" not in text
        assert "septiembre de 2026" in text
        assert "Método y ocultación de cifras pequeñas" in text
    finally:
        translation.activate("en")  # the Spanish request leaves Spanish on
