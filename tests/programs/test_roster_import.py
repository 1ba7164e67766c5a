"""Importing a roster from CSV: a template, a preview with row-level errors, all or nothing."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Enrollment, MentorProfile, ProtegeProfile
from programs.roster import COLUMNS
from tests.factories import OrganizationFactory, SupportRelationshipFactory, UserFactory
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
    assert "role: “teacher-ish” is not mentor, coach or protégé." in page
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


def test_a_row_failing_at_save_time_rolls_back_the_rows_before_it(
    client, world, django_capture_on_commit_callbacks
):
    # Sam is already mentored by the principal, informally: recording the principal as Sam's
    # supervisor is refused by the firewall, which only the service sees, on the second row.
    principal = User.objects.get(username="principal")
    sam = UserFactory(email="sam@example.org")
    in_another_program_of_the_same_sponsor(world, sam)
    SupportRelationshipFactory(program=None, mentor=principal, protege=sam)
    rows = [good_rows()[0], good_rows()[1]]
    text = "\n".join([HEADER, *rows])
    url = f"/programs/{world.code}/participants/import/"
    assert (
        "All 2 rows can be imported" in client.post(url, {"file": csv_file(*rows)}).content.decode()
    )
    response = confirm(client, django_capture_on_commit_callbacks, url, text)
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "a supervisor cannot" in page
    assert not Enrollment.objects.filter(program=world).exists()
    assert not User.objects.filter(email="maria@example.org").exists()


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


def test_already_enrolled_and_duplicate_rows_are_flagged(client, world):
    person = UserFactory(email="sam@example.org")
    Enrollment.objects.create(program=world, person=person, role="protege")
    rows = [good_rows()[1], good_rows()[2], good_rows()[2]]
    page = client.post(
        f"/programs/{world.code}/participants/import/", {"file": csv_file(*rows)}
    ).content.decode()
    assert "Already enrolled in this program in this role." in page
    assert "the same person appears on line 3 too" in page
    assert Enrollment.objects.count() == 1
