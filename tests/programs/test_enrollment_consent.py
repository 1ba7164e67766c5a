"""Enrolling someone who already has an account, from outside the program's organization,
asks them first: until they accept, the program's coordinators neither see nor edit their
profile, nor match them. And a coordinator sees a person's details only while that person
takes part in one of their programs."""

import html

import pytest
from django.core.exceptions import ValidationError

from programs import services
from programs.models import Enrollment, EnrollmentRequest, ProtegeProfile
from tests.factories import (
    EnrollmentFactory,
    EnrollmentRequestFactory,
    ProtegeProfileFactory,
    UserFactory,
)
from tests.programs.coordinator_world import coordinated_program
from tests.programs.test_roster_import import HEADER, confirm, csv_file

pytestmark = pytest.mark.django_db


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def outsider(**profile):
    """Someone with an account and a protégé profile, in no program of the tests' sponsors."""
    return ProtegeProfileFactory(
        user__username="jrivera",
        user__email="jrivera@example.org",
        user__first_name="Jo",
        user__last_name="Rivera",
        position="Kept to themselves",
        **profile,
    ).user


def test_enrolling_an_outside_account_asks_them_first(
    client, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    program, coordinator = coordinated_program(name="Induction")
    person = outsider()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/programs/{program.code}/participants/add/",
            {
                "who": "existing",
                "person": "JRIVERA@example.org",
                "role": "protege",
                "career_stage": "new",
                "position": "Overwritten?",
            },
            follow=True,
        )
    page = html.unescape(response.content.decode())
    assert "Jo Rivera already has an account" in page
    assert "asked to accept first (by email, and on their home page)" in page
    assert not Enrollment.objects.filter(person=person).exists()
    assert ProtegeProfile.objects.get(user=person).position == "Kept to themselves"
    asked = EnrollmentRequest.objects.get(person=person)
    assert asked.is_pending and asked.asked_by == coordinator

    participants = page_text(client, f"/programs/{program.code}/participants/?state=all")
    assert "Asked to take part, waiting for their answer" in participants
    assert "Jo Rivera, as protégé" in participants
    assert "jrivera@example.org" not in participants
    assert "Kept to themselves" not in participants
    match = page_text(client, f"/relationships/coordinate/{program.code}/match/")
    assert "Jo Rivera" not in match

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["jrivera@example.org"]
    assert "take part in Induction" in email.subject
    assert f"https://mentoring.example.org/programs/requests/{asked.code}/" in email.body

    # Asking again before they answer is refused.
    response = client.post(
        f"/programs/{program.code}/participants/add/",
        {"who": "existing", "person": "jrivera", "role": "protege", "career_stage": "new"},
    )
    assert "has already been asked" in html.unescape(response.content.decode())


def test_the_person_accepts_from_their_home_page_and_is_enrolled(client):
    program, coordinator = coordinated_program(name="Induction")
    person = outsider()
    asked = EnrollmentRequestFactory(program=program, person=person, asked_by=coordinator)
    client.force_login(person)
    home = page_text(client, "/")
    assert "Asked to take part" in home
    assert f'href="/programs/requests/{asked.code}/"' in home
    page = page_text(client, f"/programs/requests/{asked.code}/")
    assert "Take part in Induction?" in page
    assert "Its coordinators see your name, your email address" in page

    response = client.post(f"/programs/requests/{asked.code}/", {"answer": "accept"}, follow=True)
    assert "You take part in Induction now." in html.unescape(response.content.decode())
    enrollment = Enrollment.objects.get(program=program, person=person)
    assert enrollment.role == "protege" and enrollment.is_current
    asked.refresh_from_db()
    assert asked.status == "accepted" and asked.answered_at is not None
    assert "Asked to take part" not in page_text(client, "/")

    client.force_login(coordinator)
    url = f"/programs/{program.code}/participants/{enrollment.code}/profile/"
    assert "Kept to themselves" in page_text(client, url)


def test_declining_leaves_them_out(client):
    program, coordinator = coordinated_program(name="Induction")
    person = outsider()
    asked = EnrollmentRequestFactory(program=program, person=person, asked_by=coordinator)
    client.force_login(person)
    response = client.post(f"/programs/requests/{asked.code}/", {"answer": "decline"}, follow=True)
    assert "You declined to take part in Induction." in html.unescape(response.content.decode())
    assert not Enrollment.objects.filter(person=person).exists()
    assert EnrollmentRequest.objects.get(pk=asked.pk).status == "declined"
    # Answered once: the page says so, and a second answer changes nothing.
    client.post(f"/programs/requests/{asked.code}/", {"answer": "accept"})
    assert not Enrollment.objects.filter(person=person).exists()
    assert "Declined" in page_text(client, f"/programs/requests/{asked.code}/")

    client.force_login(coordinator)
    assert "Jo Rivera" not in page_text(client, f"/programs/{program.code}/participants/")


def test_only_the_person_asked_reaches_the_request(client):
    program, coordinator = coordinated_program()
    asked = EnrollmentRequestFactory(program=program, person=outsider(), asked_by=coordinator)
    url = f"/programs/requests/{asked.code}/"
    for someone in (coordinator, UserFactory(), UserFactory(admin=True)):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": "accept"}).status_code == 404
    assert EnrollmentRequest.objects.get(pk=asked.pk).is_pending
    assert not Enrollment.objects.exists()


def test_the_service_never_enrolls_an_outside_account_without_their_answer():
    program, coordinator = coordinated_program()
    with pytest.raises(ValidationError, match="ask them to accept first"):
        services.enrollment_create(
            program=program, role="protege", person=outsider(), invited_by=coordinator
        )


def test_a_roster_row_for_an_outside_account_asks_them_first(
    client, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program()
    person = outsider()
    client.force_login(coordinator)
    row = "protege,Jo,Rivera,jrivera@example.org,,,Overwritten?,new,,,,,,"
    url = f"/programs/{program.code}/participants/import/"
    preview = html.unescape(client.post(url, {"file": csv_file(row)}).content.decode())
    assert "Existing account: asked to accept first" in preview
    response = confirm(client, django_capture_on_commit_callbacks, url, f"{HEADER}\n{row}\n")
    assert "1 person with an account outside" in html.unescape(response.content.decode())
    assert EnrollmentRequest.objects.pending().filter(person=person, program=program).exists()
    assert not Enrollment.objects.filter(person=person).exists()
    assert ProtegeProfile.objects.get(user=person).position == "Kept to themselves"


def test_no_details_of_someone_who_no_longer_takes_part_in_the_coordinator_s_programs(client):
    program, coordinator = coordinated_program()
    left = EnrollmentFactory(
        program=program,
        person=outsider(),
        joined_on="2025-09-01",
        left_on="2026-01-10",
        leaving_reason="moved",
    )
    staying = EnrollmentFactory(program=program, person__email="staying@example.org")
    client.force_login(coordinator)
    page = page_text(client, f"/programs/{program.code}/participants/?state=all")
    assert "Jo Rivera" in page  # the program's own record: who took part, and when
    assert "jrivera@example.org" not in page and "Kept to themselves" not in page
    assert "staying@example.org" in page
    url = f"/programs/{program.code}/participants/{left.code}/invite/"
    assert client.get(url).status_code == 404
    assert staying.person.email in page_text(
        client, f"/programs/{program.code}/participants/{staying.code}/invite/"
    )
