"""Pages and downloads for signed-in people are never kept in a cache: a log, a reflection or an
export must not stay in the browser of a shared computer (or a proxy) after they sign out."""

import pytest

from tests.factories import AcknowledgementFactory, GoalFactory, UserFactory, VisitFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def world():
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    relationship = relationship_in(program)
    visit = VisitFactory(relationship=relationship, logged=True, private_notes="Worried.")
    AcknowledgementFactory(visit=visit, private_reflection="Overwhelmed.")
    goal = GoalFactory(relationship=relationship)
    return program, coordinator, relationship, visit, goal


def test_every_kind_of_signed_in_page_and_download_says_no_store(client, world):
    program, coordinator, relationship, visit, goal = world
    pages = {
        relationship.mentor: [
            "/",
            "/relationships/caseload/",
            f"/relationships/{relationship.code}/",
            visit.get_absolute_url(),
            f"/goals/{goal.code}/",
            "/relationships/my-settings/",
        ],
        relationship.protege: [
            "/relationships/my-support/",
            "/relationships/my-support/feedback/",
            visit.get_absolute_url(),
        ],
        coordinator: [
            f"/programs/{program.code}/",
            f"/programs/{program.code}/export/visits.csv",
            f"/programs/{program.code}/export/goals.csv",
            f"/programs/{program.code}/participants/import/template.csv",
        ],
    }
    cached = []
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if not no_store(response):
                cached.append((person.username, url, response.get("Cache-Control")))
    assert cached == []


def test_redirects_errors_and_admin_pages_for_signed_in_people_say_no_store(client, world):
    program, _, relationship, _, _ = world
    client.force_login(relationship.mentor)
    assert no_store(client.get("/accounts/login/"))  # a redirect home
    assert no_store(client.get(f"/programs/{program.code}/"))  # 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert no_store(client.get("/admin/relationships/visit/"))


def test_public_pages_and_static_files_keep_their_caching(client):
    assert not no_store(client.get("/help/coaching-mentoring-supervision/"))
    client.force_login(UserFactory())
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert not no_store(response)
