"""No request sends mail itself: every page that causes an email leaves it queued, and it goes
out only once the request's write has committed and the task worker runs (here, the immediate
task backend, when the test runs the on-commit callbacks).

Each case is a POST a person makes through a page, and the person who should get the email."""

from collections.abc import Callable

import pytest
from django.urls import reverse

from outbox.models import Delivery
from tests import factories
from tests.programs.coordinator_world import coordinated_program, relationship_in
from tests.programs.test_programs_views import program_post
from tests.relationships.test_mentor_views import _log_data as log_form

pytestmark = pytest.mark.django_db


def visit_logged(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    url = reverse("relationships:visit_log_new", args=[relationship.code])
    return url, log_form(), relationship.protege


def log_acknowledged(client):
    visit = factories.VisitFactory(logged=True)
    client.force_login(visit.relationship.protege)
    url = reverse("relationships:visit_acknowledge", args=[visit.code])
    return url, {"reflection": "It helped."}, visit.relationship.mentor


def goal_proposed(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.protege)
    url = reverse("goals:create", args=[relationship.code])
    data = {"title": "Calmer transitions", "statement": "Use a song for every transition."}
    return url, data, relationship.mentor


def relationship_paused(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    client.force_login(coordinator)
    url = reverse("relationships:pause", args=[relationship.code])
    return url, {"reason": "On leave"}, relationship.protege


def sharing_turned_on(client):
    program, coordinator = coordinated_program(coordinators_read_shared_logs=False)
    relationship = relationship_in(program)
    client.force_login(coordinator)
    data = program_post(program.sponsor, name=program.name, coordinators_read_shared_logs="on")
    return reverse("programs:edit", args=[program.code]), data, relationship.protege


def person_invited(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    data = {
        "who": "new",
        "first_name": "Maria",
        "last_name": "Lopez",
        "email": "maria.lopez@example.org",
        "role": "protege",
    }
    person = factories.UserFactory.build(email="maria.lopez@example.org")
    return reverse("programs:enroll", args=[program.code]), data, person


def password_reset(client):
    person = factories.UserFactory()
    return reverse("password_reset"), {"email": person.email}, person


CASES: dict[str, Callable] = {
    "a visit logged": visit_logged,
    "a log acknowledged": log_acknowledged,
    "a goal proposed": goal_proposed,
    "a relationship paused": relationship_paused,
    "shared logs turned on": sharing_turned_on,
    "a new person invited": person_invited,
    "a password reset": password_reset,
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_request_queues_the_email_and_the_worker_sends_it_after_the_commit(
    client, mailoutbox, django_capture_on_commit_callbacks, case
):
    url, data, recipient = case(client)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, data)

    assert response.status_code == 302
    assert mailoutbox == []  # the request has answered, and sent nothing
    assert not Delivery.objects.exclude(status=Delivery.Status.QUEUED).exists()
    assert callbacks  # what sends it waits for the commit

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    assert [recipient.email] in [email.to for email in mailoutbox]
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
