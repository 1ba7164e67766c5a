"""Informal relationships are nobody's to coordinate: no program coordinator (nor an admin on
the workspace pages) sees an informal relationship or its invitation, even one coordinating
a program both people take part in; and a protégé's supervisor is kept out of it and refused
as its mentor or coach."""

import pytest

from programs.models import Enrollment
from relationships.models import InformalInvitation
from tests.factories import (
    EnrollmentFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    UserFactory,
    VisitFactory,
)
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Tess and Carla in an informal relationship, and both in a program whose coordinator
    reads shared logs; a pending invitation between them too; Tess's principal supervises."""
    principal = UserFactory(username="principal")
    tess = ProtegeProfileFactory(
        user__first_name="Tess", user__last_name="Teacher", supervisor=principal
    ).user
    carla = UserFactory(first_name="Carla", last_name="Colleague")
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    EnrollmentFactory(program=program, person=tess)
    EnrollmentFactory(program=program, person=carla, role=Enrollment.Role.MENTOR)
    relationship = SupportRelationshipFactory(
        informal=True, mentor=carla, protege=tess, kind="mentoring"
    )
    VisitFactory(relationship=relationship, logged=True, feedback="Informal secret words")
    invitation = InformalInvitation.objects.create(
        inviter=tess, invitee=carla, kind="coaching", inviter_role="protege"
    )
    return program, coordinator, relationship, invitation, principal


def test_no_coordinator_reaches_the_relationship_or_its_invitation(client, world):
    _, coordinator, relationship, invitation, _ = world
    _, other_coordinator = coordinated_program(coordinator=UserFactory())
    admin = UserFactory(is_staff=True, is_superuser=True)
    for person in (coordinator, other_coordinator, admin):
        client.force_login(person)
        for url in (
            relationship.get_absolute_url(),
            f"/relationships/{relationship.code}/end-informal/",
            invitation.get_absolute_url(),
            f"/goals/for/{relationship.code}/required/",
        ):
            assert client.get(url).status_code == 404, (person, url)


def test_the_coordinators_dashboard_and_exports_leave_it_out(client, world):
    program, coordinator, relationship, _, _ = world
    client.force_login(coordinator)
    pages = [
        client.get(f"/programs/{program.code}/", {"status": "all"}).content.decode(),
        b"".join(
            client.get(f"/programs/{program.code}/export/relationships.csv").streaming_content
        ).decode(),
        b"".join(
            client.get(f"/programs/{program.code}/export/visits.csv").streaming_content
        ).decode(),
        client.get("/").content.decode(),
    ]
    for page in pages:
        assert str(relationship.code) not in page
        assert "Informal secret words" not in page
    assert "0 open relationships" in pages[-1]


def test_the_supervisor_is_kept_out_and_refused(client, world):
    _, _, relationship, invitation, principal = world
    client.force_login(principal)
    assert client.get(relationship.get_absolute_url()).status_code == 404
    assert client.get(invitation.get_absolute_url()).status_code == 404
    # Nor can the supervisor make themselves Tess's mentor by inviting her.
    response = client.post(
        "/relationships/informal/new/",
        {"person": relationship.protege.username, "kind": "mentoring", "by_role": "mentor"},
    )
    assert (
        "supervises Tess Teacher, so cannot be their mentor or coach" in response.content.decode()
    )
    assert InformalInvitation.objects.filter(inviter=principal).count() == 0
