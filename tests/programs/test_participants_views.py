"""Enrolling people (existing or new, with their profile and reason), recording leaving, and
invitations the mail server refused, shown with a button to send them again."""

import html
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from outbox.models import Delivery
from programs.models import Enrollment, MentorProfile, ProtegeProfile
from tests.factories import EnrollmentFactory, OrganizationFactory, UserFactory
from tests.outbox import flaky_mail
from tests.programs.coordinator_world import (
    coordinated_program,
    in_another_program_of_the_same_sponsor,
)

pytestmark = pytest.mark.django_db


def test_enroll_an_existing_person_as_protege_with_profile_and_reason(client):
    program, coordinator = coordinated_program()
    site = OrganizationFactory(name="Maple Street School", parent=program.sponsor)
    person = UserFactory(username="jrivera", email="jrivera@example.org")
    in_another_program_of_the_same_sponsor(program, person)
    supervisor = UserFactory(username="principal")
    client.force_login(coordinator)
    response = client.post(
        f"/programs/{program.code}/participants/add/",
        {
            "who": "existing",
            "person": "JRivera@example.org",
            "role": "protege",
            "reason": "quality_mandate",
            "organization": site.pk,
            "position": "Lead teacher",
            "career_stage": "resident_1",
            "age_group_taught": "kindergarten",
            "supervisor": "principal",
        },
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(program=program, person=person)
    assert enrollment.role == "protege"
    assert enrollment.reason == "quality_mandate"
    profile = ProtegeProfile.objects.get(user=person)
    assert profile.supervisor == supervisor
    assert profile.organization == site
    assert profile.position == "Lead teacher"
    page = client.get(f"/programs/{program.code}/participants/").content.decode()
    assert "Mandated after classroom quality ratings" in page


def test_enroll_a_new_person_as_mentor_with_profile(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    client.post(
        f"/programs/{program.code}/participants/add/",
        {
            "who": "new",
            "first_name": "Maria",
            "last_name": "Lopez",
            "email": "maria.lopez@example.org",
            "role": "mentor",
            "reason": "choice",
            "currently_teaching": "on",
            "years_teaching": "14",
            "age_groups": ["preschool", "kindergarten"],
            "prep_adult_learning": "on",
            "caseload_limit": "6",
        },
    )
    person = User.objects.get(email="maria.lopez@example.org")
    assert person.get_full_name() == "Maria Lopez"
    assert not person.has_usable_password()
    profile = MentorProfile.objects.get(user=person)
    assert profile.caseload_limit == 6
    assert profile.age_groups == ["preschool", "kindergarten"]
    assert profile.prep_adult_learning and profile.currently_teaching
    assert Enrollment.objects.get(person=person).role == "mentor"


def test_unknown_person_is_explained_and_input_kept(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    response = client.post(
        f"/programs/{program.code}/participants/add/",
        {"who": "existing", "person": "nobody@example.org", "role": "protege"},
    )
    page = response.content.decode()
    assert "Nobody has the username or email address" in page
    assert 'value="nobody@example.org"' in page
    assert not Enrollment.objects.exists()


def test_new_person_with_a_taken_email_is_refused(client):
    program, coordinator = coordinated_program()
    UserFactory(email="taken@example.org")
    client.force_login(coordinator)
    response = client.post(
        f"/programs/{program.code}/participants/add/",
        {
            "who": "new",
            "first_name": "A",
            "last_name": "B",
            "email": "taken@example.org",
            "role": "protege",
        },
    )
    assert "already has an account" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_enrolling_twice_in_the_same_role_is_refused(client):
    program, coordinator = coordinated_program()
    enrollment = EnrollmentFactory(program=program)
    client.force_login(coordinator)
    response = client.post(
        f"/programs/{program.code}/participants/add/",
        {"who": "existing", "person": enrollment.person.username, "role": "protege"},
    )
    assert "already enrolled in this role" in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_record_leaving_with_a_reason(client):
    program, coordinator = coordinated_program()
    enrollment = EnrollmentFactory(program=program)
    client.force_login(coordinator)
    url = f"/programs/{program.code}/participants/{enrollment.code}/leave/"
    response = client.post(url, {"leaving_reason": "other", "leaving_note": ""})
    assert "Say what the other reason is." in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.left_on is None
    client.post(url, {"leaving_reason": "left_job", "leaving_note": "Moved to Dayton"})
    enrollment.refresh_from_db()
    assert enrollment.left_on is not None
    assert enrollment.leaving_reason == "left_job"
    page = client.get(f"/programs/{program.code}/participants/?state=left").content.decode()
    assert "Left the job: Moved to Dayton" in page


def test_participant_list_query_count_is_the_same_for_1_and_50(client):
    program, coordinator = coordinated_program()

    def count() -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/programs/{program.code}/participants/").status_code == 200
        return len(queries)

    EnrollmentFactory(program=program)
    one = count()
    for _ in range(49):
        EnrollmentFactory(program=program)
    assert count() == one


def test_enrollment_of_another_program_is_not_found(client):
    program, coordinator = coordinated_program()
    other = EnrollmentFactory()
    client.force_login(coordinator)
    url = f"/programs/{program.code}/participants/{other.code}/leave/"
    assert client.get(url).status_code == 404


# Invitations the mail server refused --------------------------------------------------------

REFUSING = {"default": {"BACKEND": "tests.outbox.flaky_mail.FlakyBackend"}}


def participants_text(client, program) -> str:
    response = client.get(f"/programs/{program.code}/participants/")
    assert response.status_code == 200
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def send_again_action(client, program) -> str:
    """Where the page's "Send it again" button posts."""
    page = client.get(f"/programs/{program.code}/participants/").content.decode()
    forms = re.findall(
        r'<form method="post" action="([^"]+)">(?:(?!</form>).)*Send it again', page, re.S
    )
    assert len(forms) == 1, forms
    return forms[0]


@override_settings(MAILERS=REFUSING, OUTBOX_MAX_ATTEMPTS=1)
def test_an_invitation_that_could_not_be_delivered_is_shown_and_sent_again(
    client, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    flaky_mail.refuse(1)  # the mail server refuses the first message, then takes them
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/programs/{program.code}/participants/add/",
            {
                "who": "new",
                "first_name": "Maria",
                "last_name": "Lopez",
                "email": "maria.lopez@example.org",
                "role": "protege",
            },
        )
    assert response.status_code == 302
    assert mail.outbox == []

    page = participants_text(client, program)
    assert (
        "The invitation to Maria Lopez (maria.lopez@example.org) could not be delivered: "
        "ConnectionRefusedError: [Errno 111] Connection refused"
    ) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_again_action(client, program), follow=True)

    assert "The invitation was sent again to Maria Lopez" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["maria.lopez@example.org"]]
    # The newer invitation went out: the refused one is no longer shown.
    assert "could not be delivered" not in participants_text(client, program)


def failed_invitation(person) -> Delivery:
    return Delivery.objects.create(
        kind="invitation",
        recipient=person,
        status=Delivery.Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 No such mailbox",
    )


def test_a_refused_invitation_is_not_shown_once_a_newer_one_is_on_its_way(client):
    program, coordinator = coordinated_program()
    person = EnrollmentFactory(program=program).person
    failed_invitation(person)
    client.force_login(coordinator)
    assert "could not be delivered" in participants_text(client, program)

    Delivery.objects.create(kind="invitation", recipient=person)  # waiting to be sent

    assert "could not be delivered" not in participants_text(client, program)


def test_participant_list_query_count_is_the_same_for_1_and_5_refused_invitations(client):
    program, coordinator = coordinated_program()

    def count() -> tuple[int, int]:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/programs/{program.code}/participants/")
        assert response.status_code == 200
        return len(queries), response.content.decode().count("could not be delivered:")

    failed_invitation(EnrollmentFactory(program=program).person)
    one, shown = count()
    assert shown == 1
    for _ in range(4):
        failed_invitation(EnrollmentFactory(program=program).person)
    assert count() == (one, 5)
