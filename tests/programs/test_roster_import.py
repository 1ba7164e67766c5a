"""Importing a roster from CSV: a template, a preview with row-level errors, all or nothing,
saved by the task worker while the import's own page says how it went."""

import html

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.tasks import default_task_backend
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core import clock
from programs import roster
from programs.models import Enrollment, MentorProfile, ProtegeProfile, RosterImport
from programs.roster import COLUMNS, saving
from programs.tasks import roster_import_save
from tests.factories import (
    OrganizationFactory,
    RosterImportFactory,
    SupportRelationshipFactory,
    UserFactory,
)
from tests.programs.coordinator_world import (
    coordinated_program,
    in_another_program_of_the_same_sponsor,
)

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def csv_file(*rows: str) -> SimpleUploadedFile:
    text = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile("roster.csv", text.encode("utf-8"), content_type="text/csv")


def confirm(client, capture_on_commit, url: str, text: str):
    """Confirm a previewed roster and follow to the import's page. The task that saves it runs
    when the request's write commits (the immediate backend), before the page is asked for."""
    with capture_on_commit(execute=True):
        response = client.post(url, {"confirm": "1", "text": text})
    assert response.status_code == 302
    return client.get(response.url)


def good_rows() -> list[str]:
    return [
        "mentor,Maria,Lopez,maria@example.org,By choice,Maple School,,,,,yes,14,"
        "preschool; kindergarten,8",
        "protégé,Sam,Okafor,sam@example.org,Required by the job,Maple School,Lead teacher,"
        "resident 1,kindergarten,principal@example.org,,,,",
        "protege,Ana,Reyes,ana@example.org,,,,new,toddlers,,,,,",
    ]


@pytest.fixture
def world(client):
    program, coordinator = coordinated_program()
    OrganizationFactory(name="Maple School")
    UserFactory(username="principal", email="principal@example.org")
    client.force_login(coordinator)
    return program


def test_template_download(client, world):
    response = client.get(f"/programs/{world.code}/participants/import/template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    # A byte-order mark first, so that a spreadsheet program reads the é of protégé right.
    assert text.startswith("\ufeff")
    assert text.removeprefix("\ufeff").splitlines()[0] == HEADER
    assert "maria.lopez@example.org" in text


def test_preview_saves_nothing_then_confirm_saves_every_row(
    client, world, django_capture_on_commit_callbacks
):
    url = f"/programs/{world.code}/participants/import/"
    response = client.post(url, {"file": csv_file(*good_rows())})
    page = response.content.decode()
    assert "All 3 rows can be imported" in page
    assert not Enrollment.objects.exists()  # a preview writes nothing
    text = response.context["confirm_form"].initial["text"]
    page = confirm(client, django_capture_on_commit_callbacks, url, text).content.decode()
    assert "Imported 3 participants." in page
    assert "3 new people were sent an invitation to set their password." in page
    assert Enrollment.objects.filter(program=world).count() == 3
    sam = User.objects.get(email="sam@example.org")
    assert ProtegeProfile.objects.get(user=sam).supervisor.username == "principal"
    assert ProtegeProfile.objects.get(user=sam).career_stage == "resident_1"
    maria = MentorProfile.objects.get(user__email="maria@example.org")
    assert maria.caseload_limit == 8 and maria.age_groups == ["preschool", "kindergarten"]


def test_one_bad_row_rejects_the_file_with_row_level_messages(client, world):
    rows = [
        *good_rows(),
        "teacher-ish,Bob,,not-an-email,Because,Nowhere School,,year 9,,,,,,",
        "mentor,Kim,Lee,kim@example.org,,,,,,,maybe,many,toddlers; teens,0",
    ]
    response = client.post(
        f"/programs/{world.code}/participants/import/", {"file": csv_file(*rows)}
    )
    page = response.content.decode()
    assert "2 of 5 rows need fixing. Nothing has been saved" in page
    assert "role: “teacher-ish” is not mentor, coach, protégé or supervisor." in page
    assert "last_name: required." in page
    assert "email: “not-an-email” is not a valid email address." in page
    assert "reason: “Because” is not one of the reasons." in page
    assert "organization: no organization named “Nowhere School”." in page
    assert "currently_teaching: say yes or no" in page
    assert "years_teaching: “many” is not a whole number." in page
    assert "age_groups: “teens” is not an age group." in page
    assert "caseload_limit: must be at least 1." in page
    assert response.context["confirm_form"] is None  # no way to save
    assert not Enrollment.objects.exists()
    assert not User.objects.filter(email="maria@example.org").exists()


def test_a_crafted_confirm_of_a_bad_roster_saves_nothing(client, world):
    text = "\n".join([HEADER, *good_rows(), "mentor,X,Y,bad,,,,,,,,,,"])
    response = client.post(
        f"/programs/{world.code}/participants/import/", {"confirm": "1", "text": text}
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Enrollment.objects.exists()
    assert not User.objects.filter(email="maria@example.org").exists()


def test_a_supervisor_who_mentors_the_protege_is_refused_in_the_preview(client, world):
    # Sam is already mentored by the principal, informally: recording the principal as Sam's
    # supervisor is refused by the firewall, before anything is saved.
    principal = User.objects.get(username="principal")
    sam = UserFactory(email="sam@example.org")
    in_another_program_of_the_same_sponsor(world, sam)
    SupportRelationshipFactory(program=None, mentor=principal, protege=sam)
    rows = [good_rows()[0], good_rows()[1]]
    url = f"/programs/{world.code}/participants/import/"
    response = client.post(url, {"file": csv_file(*rows)})
    page = response.content.decode()
    assert "1 of 2 rows needs fixing" in page
    assert "this person mentors or coaches the protégé; a supervisor cannot" in page
    assert response.context["confirm_form"] is None
    assert not Enrollment.objects.filter(program=world).exists()


def test_file_problems_are_explained(client, world):
    url = f"/programs/{world.code}/participants/import/"
    bad_header = SimpleUploadedFile("r.csv", b"name,mail\nA,b@example.org\n")
    page = client.post(url, {"file": bad_header}).content.decode()
    assert "missing: role, first_name, last_name, email" in page
    empty = SimpleUploadedFile("r.csv", (HEADER + "\n").encode())
    assert (
        "The file has no rows under its header."
        in client.post(url, {"file": empty}).content.decode()
    )


def test_duplicate_rows_are_flagged(client, world):
    rows = [good_rows()[1], good_rows()[2], good_rows()[2]]
    page = client.post(
        f"/programs/{world.code}/participants/import/", {"file": csv_file(*rows)}
    ).content.decode()
    assert "the same person appears on line 3 too" in page
    assert not Enrollment.objects.exists()


# Saving in the background: the import's page ---------------------------------------------------

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def status_url(job) -> str:
    return f"/programs/{job.program.code}/participants/import/{job.code}/"


@override_settings(TASKS=DUMMY_TASKS)
def test_confirming_saves_nothing_until_the_worker_runs_the_task(
    client, world, django_capture_on_commit_callbacks
):
    url = f"/programs/{world.code}/participants/import/"
    text = "\n".join([HEADER, *good_rows()])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "1", "text": text})
    job = RosterImport.objects.get()
    assert response.status_code == 302 and response.url == status_url(job)
    assert job.status == RosterImport.Status.QUEUED and job.uploaded_by.username == "coord"
    assert not Enrollment.objects.exists()
    assert not User.objects.filter(email="maria@example.org").exists()
    # The task is queued with the import's id, and nothing else.
    (queued,) = default_task_backend.results
    assert queued.task.name == "roster_import_save" and queued.args == [job.pk]
    # The rows kept are what the preview carried: line and the columns each row fills.
    assert job.rows[0] == {
        "line": 2,
        "values": {
            "role": "mentor",
            "first_name": "Maria",
            "last_name": "Lopez",
            "email": "maria@example.org",
            "reason": "By choice",
            "organization": "Maple School",
            "currently_teaching": "yes",
            "years_teaching": "14",
            "age_groups": "preschool; kindergarten",
            "caseload_limit": "8",
        },
    }

    response = client.get(status_url(job))
    assert "Importing 3 people…" in response.content.decode() and response["Refresh"] == "3"

    with django_capture_on_commit_callbacks(execute=True):
        assert roster_import_save.call(job.pk) == "done"
    job.refresh_from_db()
    assert (job.enrolled_count, job.asked_count, job.invited_count) == (3, 0, 3)
    assert job.rows == [] and job.finished_at is not None  # the rows are not kept
    assert Enrollment.objects.filter(program=world).count() == 3
    # Run again (a task delivered twice), it saves nothing more.
    assert roster_import_save.call(job.pk) == "skipped"
    assert Enrollment.objects.filter(program=world).count() == 3


def test_the_page_of_a_queued_import_refreshes_itself_and_says_how_many(client, world):
    job = RosterImportFactory(program=world, row_count=2000)
    response = client.get(status_url(job))
    page = response.content.decode()
    assert "Importing 2000 people…" in page
    assert response["Refresh"] == "3"  # the browser reloads it until it is finished
    assert f'href="{status_url(job)}">Refresh</a>' in page
    assert "Imported" not in page and "Nothing was saved" not in page


def test_the_page_of_a_finished_import_says_what_it_saved(client, world):
    job = RosterImportFactory(
        program=world,
        status=RosterImport.Status.DONE,
        finished_at=clock.now(),
        row_count=4,
        rows=[],
        enrolled_count=3,
        asked_count=1,
        invited_count=2,
    )
    response = client.get(status_url(job))
    page = html.unescape(response.content.decode())
    assert "Imported 3 participants." in page
    assert "1 person with an account outside this organization's programs was asked" in page
    assert "2 new people were sent an invitation to set their password." in page
    assert f'href="/programs/{world.code}/participants/">See the participants</a>' in page
    assert f'href="{status_url(job)}">Refresh</a>' in page
    assert "Refresh" not in response and "Importing" not in page


def test_the_page_of_a_failed_import_says_why_nothing_was_saved(client, world):
    job = RosterImportFactory(
        program=world,
        status=RosterImport.Status.FAILED,
        finished_at=clock.now(),
        rows=[],
        error="Line 3 (Sam Okafor): Already enrolled in this program in this role.",
    )
    response = client.get(status_url(job))
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "<li>Line 3 (Sam Okafor): Already enrolled in this program in this role.</li>" in page
    assert f'href="/programs/{world.code}/participants/import/">Upload a corrected file' in page
    assert "Refresh" not in response and "Imported" not in page


def test_another_program_s_coordinator_gets_404(client, world):
    job = RosterImportFactory(program=world)
    other_program, other = coordinated_program(UserFactory(username="other-coord"))
    client.force_login(other)
    assert client.get(status_url(job)).status_code == 404
    # Nor through their own program's address.
    url = f"/programs/{other_program.code}/participants/import/{job.code}/"
    assert client.get(url).status_code == 404


def test_the_task_checks_the_rows_again_against_the_database(world):
    # Queued with Ana and Sam new; meanwhile Ana got an account inside the organization: Ana is
    # not created twice.
    rows = [good_rows()[1], good_rows()[2]]
    job = queued_import(world, rows)
    ana = UserFactory(email="ANA@example.org")
    in_another_program_of_the_same_sponsor(world, ana)
    assert roster_import_save.call(job.pk) == "done"
    assert User.objects.filter(email__iexact="ana@example.org").count() == 1
    assert Enrollment.objects.filter(program=world, person=ana).exists()

    # Queued with Tom's supervisor; meanwhile the supervisor started mentoring Tom: the firewall
    # stops the import, and nothing is saved.
    tom = UserFactory(email="tom@example.org", first_name="Tom", last_name="Hill")
    in_another_program_of_the_same_sponsor(world, tom)
    row = "protege,Tom,Hill,tom@example.org,,,,new,,principal@example.org,,,,"
    job = queued_import(world, [good_rows()[0], row])
    principal = User.objects.get(username="principal")
    SupportRelationshipFactory(program=None, mentor=principal, protege=tom)
    assert roster_import_save.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error.startswith("Line 3 (Tom Hill): supervisor_email: this person mentors")
    assert not User.objects.filter(email="maria@example.org").exists()
    assert not Enrollment.objects.filter(program=world, person=tom).exists()


def test_an_unexpected_error_is_recorded_and_nothing_is_half_saved(world, monkeypatch):
    job = queued_import(world, good_rows())

    def fails_after_the_enrollments(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(saving, "_save_protege_profiles", fails_after_the_enrollments)
    assert roster_import_save.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == RosterImport.Status.FAILED and job.rows == []
    assert "unexpected error (RuntimeError)" in job.error
    assert not Enrollment.objects.exists()
    assert not User.objects.filter(email="maria@example.org").exists()


def test_the_import_page_costs_the_same_queries_for_one_row_and_for_fifty(client, world):
    one = RosterImportFactory(
        program=world, status="done", finished_at=clock.now(), enrolled_count=1, rows=[]
    )
    fifty = RosterImportFactory(
        program=world,
        status="failed",
        finished_at=clock.now(),
        row_count=50,
        rows=[],
        error="\n".join(f"Line {n}: email: required." for n in range(2, 52)),
    )
    counts = []
    for job in (one, fifty):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(status_url(job)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6, counts


def queued_import(program, rows: list[str]) -> RosterImport:
    """A roster confirmed by the program's coordinator, checked as the confirm page does."""
    result = roster.preview(program, "\n".join([HEADER, *rows]))
    assert result.is_valid
    return RosterImport.objects.create(
        program=program,
        uploaded_by=program.coordinators.get(),
        row_count=len(result.rows),
        rows=roster.stored_rows(result),
    )
