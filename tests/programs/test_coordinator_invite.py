"""A coordinator (or an administrator) invites a co-coordinator who has no account yet, by
name and email: the account is created without a password, the invitation goes through the
outbox, and its link lets them choose a password and see the program as its coordinator."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outbox.models import Delivery
from programs import invitations
from tests.factories import OrganizationFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program
from tests.programs.test_people_views import NEW_PASSWORD, _link, _set_password
from tests.programs.test_programs_views import program_post

pytestmark = pytest.mark.django_db


def invite(client, program, **data):
    fields = {"action": "invite", "first_name": "Dana", "last_name": "Okafor"}
    fields["email"] = "dana.okafor@example.org"
    fields.update(data)
    return client.post(f"/programs/{program.code}/coordinators/", fields, follow=True)


def test_an_invited_coordinator_sets_a_password_and_coordinates_the_program(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program(name="Resident Induction")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        page = invite(client, program).content.decode()

    dana = User.objects.get(email="dana.okafor@example.org")
    assert not dana.has_usable_password()
    assert set(program.coordinators.all()) == {coordinator, dana}
    assert "An invitation to choose a password is on its way to dana.okafor@example.org" in page
    assert "Invited; has not chosen a password yet." in page
    delivery = Delivery.objects.get(recipient=dana)
    assert delivery.kind == invitations.INVITATION
    [email] = mailoutbox
    assert email.to == ["dana.okafor@example.org"]
    assert "Resident Induction as one of its coordinators" in email.body

    client.logout()
    _set_password(client, _link(email.body))
    credentials = {"username": dana.username, "password": NEW_PASSWORD}
    response = client.post("/accounts/login/", credentials)
    assert response.status_code == 302
    assert "Resident Induction" in client.get("/programs/").content.decode()
    assert client.get(f"/programs/{program.code}/").status_code == 200
    assert client.get(f"/programs/{program.code}/participants/").status_code == 200


def test_an_address_that_has_an_account_is_refused_next_to_the_field_and_kept(client):
    program, coordinator = coordinated_program()
    UserFactory(email="dana.okafor@example.org")
    client.force_login(coordinator)

    page = invite(client, program, first_name="Dana").content.decode()

    assert "Someone with this email address already has an account" in page
    assert 'value="Dana"' in page
    assert program.coordinators.count() == 1
    assert not Delivery.objects.exists()


def test_missing_names_are_asked_for(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    page = invite(client, program, first_name="", email="not-an-address").content.decode()
    assert "This field is required." in page
    assert "Enter a valid email address." in page
    assert not User.objects.filter(last_name="Okafor").exists()


def test_the_invitation_is_sent_again_until_they_log_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, program)
        page = client.post(
            f"/programs/{program.code}/coordinators/",
            {"action": "resend", "username": User.objects.get(last_name="Okafor").username},
            follow=True,
        ).content.decode()
    assert "The invitation was sent again to Dana Okafor" in page
    assert len(mailoutbox) == 2


def test_an_administrator_starts_a_program_and_invites_its_first_coordinator(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    admin = UserFactory(admin=True)
    district = OrganizationFactory(name="Riverbend School District")
    client.force_login(admin)

    response = client.post("/programs/new/", program_post(district))
    program = district.programs.get()
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, program)
    dana = User.objects.get(email="dana.okafor@example.org")
    # The administrator steps back; the invited coordinator runs the program.
    client.post(
        f"/programs/{program.code}/coordinators/", {"action": "remove", "username": admin.username}
    )
    assert list(program.coordinators.all()) == [dana]
    assert len(mailoutbox) == 1


def test_the_coordinators_page_costs_the_same_queries_for_1_and_50_coordinators(client):
    counts = []
    for n in (1, 50):
        program, coordinator = coordinated_program(coordinator=UserFactory())
        invited = [UserFactory(password="!unusable") for _ in range((n - 1) // 2)]
        others = [UserFactory() for _ in range(n - 1 - len(invited))]
        program.coordinators.add(*invited, *others)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/programs/{program.code}/coordinators/").content.decode()
        assert page.count("Invited; has not chosen a password yet.") == len(invited)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
