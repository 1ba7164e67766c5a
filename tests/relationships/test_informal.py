"""Informal relationships made by teachers: one invites a colleague (an existing account),
choosing the kind and who supports whom; the invitee accepts or declines from their home page
or the email; the inviter may withdraw; once accepted, the relationship page works and either
person ends it. The supervision firewall refuses a supervisor as mentor or coach."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from programs.models import Supervision
from relationships.models import InformalInvitation, SupportRelationship
from tests.factories import ProtegeProfileFactory, SupportRelationshipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW = "/relationships/informal/new/"


def invite(client, inviter, person: str, *, kind="mentoring", by_role="protege"):
    client.force_login(inviter)
    return client.post(NEW, {"person": person, "kind": kind, "by_role": by_role})


def test_a_teacher_invites_a_colleague_who_accepts_from_home(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    teacher = UserFactory(first_name="Tess", last_name="Teacher")
    colleague = UserFactory(first_name="Carla", last_name="Colleague", email="carla@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, teacher, "CARLA@example.org", kind="coaching")
    invitation = InformalInvitation.objects.get()
    assert response.status_code == 302 and response.url == invitation.get_absolute_url()
    assert not SupportRelationship.objects.exists()  # not before both accept
    assert "Waiting for their answer" in client.get(invitation.get_absolute_url()).content.decode()
    # The email, to the invitee, with the link.
    assert [email.to for email in mailoutbox] == [["carla@example.org"]]
    assert "Tess Teacher invites you" in mailoutbox[0].subject
    assert settings.SITE_URL + invitation.get_absolute_url() in mailoutbox[0].body

    client.force_login(colleague)
    home = client.get("/").content.decode()
    assert "Tess Teacher invites you to an informal" in home
    assert invitation.get_absolute_url() in home
    response = client.post(invitation.get_absolute_url(), {"action": "accept"})
    relationship = SupportRelationship.objects.get()
    assert response.url == relationship.get_absolute_url()
    assert (relationship.mentor, relationship.protege, relationship.kind, relationship.program) == (
        colleague,
        teacher,
        "coaching",
        None,
    )
    page = client.get(relationship.get_absolute_url()).content.decode()
    assert "Informal, outside any program" in page and "Log a visit" in page
    assert "Tess Teacher invites you" not in client.get("/").content.decode()


def test_a_mentor_offers_to_support_a_teacher(client):
    mentor, teacher = UserFactory(), UserFactory(username="tess")
    invite(client, mentor, "tess", by_role="mentor")
    invitation = InformalInvitation.objects.get()
    client.force_login(teacher)
    client.post(invitation.get_absolute_url(), {"action": "accept"})
    relationship = SupportRelationship.objects.get()
    assert (relationship.mentor, relationship.protege) == (mentor, teacher)


def test_no_account_is_said_plainly_and_nothing_is_made(client):
    teacher = UserFactory()
    response = invite(client, teacher, "nobody@example.org")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nobody with an account here has the username or email address" in page
    assert "nobody@example.org" in page  # what was typed is kept
    assert not InformalInvitation.objects.exists()
    assert not type(teacher).objects.filter(email="nobody@example.org").exists()


def test_nobody_invites_themselves_and_a_deactivated_account_is_not_found(client):
    teacher = UserFactory(username="tess")
    assert "You cannot invite yourself." in invite(client, teacher, "tess").content.decode()
    UserFactory(username="gone", is_active=False)
    assert "Nobody with an account here" in invite(client, teacher, "gone").content.decode()
    assert not InformalInvitation.objects.exists()


def test_declining_makes_nothing_and_the_inviter_may_withdraw(client):
    teacher, colleague, other = (
        UserFactory(),
        UserFactory(username="carla"),
        UserFactory(username="olga"),
    )
    invite(client, teacher, "carla")
    invite(client, teacher, "olga")
    to_carla = InformalInvitation.objects.get(invitee=colleague)
    to_olga = InformalInvitation.objects.get(invitee=other)
    client.force_login(teacher)
    # The inviter cannot accept for the other person.
    page = client.post(to_carla.get_absolute_url(), {"action": "accept"}).content.decode()
    assert "Only the person invited can answer" in page
    client.post(to_olga.get_absolute_url(), {"action": "withdraw"})
    client.force_login(colleague)
    client.post(to_carla.get_absolute_url(), {"action": "decline"})
    to_carla.refresh_from_db()
    to_olga.refresh_from_db()
    assert (to_carla.status, to_olga.status) == ("declined", "withdrawn")
    assert not SupportRelationship.objects.exists()
    client.force_login(other)
    page = client.get(to_olga.get_absolute_url()).content.decode()
    assert "Withdrawn" in page and 'value="accept"' not in page


def test_an_invitation_already_waiting_or_a_relationship_already_open_is_refused(client):
    teacher, colleague = UserFactory(), UserFactory(username="carla")
    invite(client, teacher, "carla")
    page = invite(client, teacher, "carla").content.decode()
    assert "already waiting for an answer" in page
    SupportRelationshipFactory(informal=True, mentor=colleague, protege=teacher, kind="coaching")
    page = invite(client, teacher, "carla", kind="coaching").content.decode()
    assert "already have an informal coaching relationship" in page
    assert InformalInvitation.objects.count() == 1


def test_a_teacher_cannot_invite_their_supervisor_as_mentor(client):
    principal = UserFactory(username="principal", first_name="Pat", last_name="Principal")
    teacher = ProtegeProfileFactory(supervisor=principal).user
    page = invite(client, teacher, "principal").content.decode()
    assert "Pat Principal supervises" in page and "cannot be their mentor or coach" in page
    assert not InformalInvitation.objects.exists()


def test_a_supervisor_cannot_offer_to_mentor_someone_they_supervised_within_the_period(client):
    principal = UserFactory()
    teacher = ProtegeProfileFactory(user__username="tess").user
    Supervision.objects.create(
        protege=teacher,
        supervisor=principal,
        started_at=clock.now() - datetime.timedelta(days=400),
        ended_at=clock.now() - datetime.timedelta(days=30),
    )
    page = invite(client, principal, "tess", by_role="mentor").content.decode()
    assert "was" in page and "supervisor until" in page
    assert not InformalInvitation.objects.exists()


def test_a_supervisor_recorded_after_the_invitation_cannot_accept_it(client):
    principal, teacher = UserFactory(username="principal"), UserFactory()
    invite(client, teacher, "principal")
    invitation = InformalInvitation.objects.get()
    ProtegeProfileFactory(user=teacher, supervisor=principal)
    client.force_login(principal)
    page = client.post(invitation.get_absolute_url(), {"action": "accept"}).content.decode()
    assert "cannot be their mentor or coach" in page
    assert not SupportRelationship.objects.exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_either_person_ends_it_from_the_relationship_page(client):
    relationship = SupportRelationshipFactory(informal=True)
    client.force_login(relationship.protege)
    url = f"/relationships/{relationship.code}/end-informal/"
    assert url in client.get(relationship.get_absolute_url()).content.decode()
    response = client.post(url, {"outcome": "ended_early", "reason": "", "ended_on": ""})
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"outcome": "completed", "reason": "We met our aims."})
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.status == "completed" and relationship.end_reason == "We met our aims."
    # Ended: no second ending.
    assert client.get(url).status_code == 404


def test_a_programs_relationship_is_not_ended_by_its_people_here(client):
    relationship = SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    url = f"/relationships/{relationship.code}/end-informal/"
    assert client.get(url).status_code == 404
    assert url not in client.get(relationship.get_absolute_url()).content.decode()


def test_the_home_page_query_count_is_the_same_for_1_and_50_invitations(client):
    def count(n: int) -> int:
        person = UserFactory()
        for _ in range(n):
            InformalInvitation.objects.create(
                inviter=UserFactory(), invitee=person, kind="mentoring", inviter_role="protege"
            )
            InformalInvitation.objects.create(
                inviter=person, invitee=UserFactory(), kind="coaching", inviter_role="mentor"
            )
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        assert page.count("Accept or decline") == n and page.count("See or withdraw") == n
        return len(queries)

    assert count(1) == count(50)


def test_the_invitation_and_invite_pages_have_a_constant_query_count(client):
    def count(n: int) -> tuple[int, int]:
        person = UserFactory()
        invitations = [
            InformalInvitation.objects.create(
                inviter=UserFactory(), invitee=person, kind="mentoring", inviter_role="protege"
            )
            for _ in range(n)
        ]
        client.force_login(person)
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get(invitations[-1].get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as form_queries:
            assert client.get(NEW).status_code == 200
        return len(page_queries), len(form_queries)

    assert count(1) == count(50)
