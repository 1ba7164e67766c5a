"""The navigation bar links each person to their own workspaces, and costs no query."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relationships import services
from tests import factories

pytestmark = pytest.mark.django_db

WORKSPACE_LINKS = ("Programs", "My caseload", "Calendar", "My support", "My feedback")


def nav_links(client, url: str = "/relationships/my-settings/") -> dict[str, str]:
    """The links of the page's main navigation bar: {text: href}, the current one starred."""
    response = client.get(url)
    assert response.status_code == 200
    nav = re.search(r'<nav [^>]*aria-label="Main">(.*?)</nav>', response.content.decode(), re.S)
    links = {}
    for attrs, text in re.findall(r"<a ([^>]*)>([^<]+)</a>", nav.group(1)):
        href = re.search(r'href="([^"]*)"', attrs).group(1)
        links[text.strip()] = href + (" *" if 'aria-current="page"' in attrs else "")
    return links


def workspace_links(client, url: str = "/relationships/my-settings/") -> list[str]:
    return [text for text in nav_links(client, url) if text in WORKSPACE_LINKS]


def test_a_protege_is_linked_to_their_support_and_feedback(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.protege)

    assert workspace_links(client) == ["My support", "My feedback"]


def test_a_team_member_is_linked_to_their_support_too(client):
    relationship = factories.TeamRelationshipFactory()
    client.force_login(relationship.team.members.first())

    assert workspace_links(client) == ["My support", "My feedback"]


def test_a_mentor_is_linked_to_their_caseload_and_calendar(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    links = nav_links(client)

    assert [text for text in links if text in WORKSPACE_LINKS] == ["My caseload", "Calendar"]
    assert links["My caseload"] == reverse("relationships:caseload")
    assert links["Calendar"] == reverse("relationships:calendar")


def test_a_coordinator_is_linked_to_their_programs(client):
    coordinator = factories.UserFactory()
    factories.ProgramFactory(coordinators=[coordinator])
    client.force_login(coordinator)

    links = nav_links(client)

    assert workspace_links(client) == ["Programs"]
    assert links["Programs"] == reverse("programs:list")


def test_someone_in_every_role_gets_every_link_and_a_supervisor_none(client):
    person = factories.UserFactory()
    factories.ProgramFactory(coordinators=[person])
    factories.SupportRelationshipFactory(mentor=person)
    factories.SupportRelationshipFactory(protege=person)
    supervisor = factories.UserFactory()
    factories.ProtegeProfileFactory(supervisor=supervisor)

    client.force_login(person)
    assert workspace_links(client) == list(WORKSPACE_LINKS)
    client.force_login(supervisor)
    assert workspace_links(client) == []


def test_everyone_signed_in_has_settings_beside_change_password(client):
    client.force_login(factories.UserFactory())

    links = list(nav_links(client, "/"))

    assert links[links.index("Settings") + 1] == "Change password"


def test_the_current_page_is_marked(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)

    links = nav_links(client, reverse("relationships:caseload"))

    assert links["My caseload"] == reverse("relationships:caseload") + " *"
    assert links["Calendar"] == reverse("relationships:calendar")
    assert nav_links(client)["Settings"] == reverse("relationships:settings") + " *"


def test_logging_in_through_the_form_works_out_the_links(client):
    relationship = factories.SupportRelationshipFactory()
    response = client.post(
        reverse("login"),
        {"username": relationship.mentor.username, "password": factories.TEST_PASSWORD},
    )
    assert response.status_code == 302

    assert workspace_links(client) == ["My caseload", "Calendar"]


def test_a_session_without_roles_has_them_worked_out_once(client):
    """A session from before roles were kept (or any login that did not keep them)."""
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.protege)
    session = client.session
    del session["nav_roles"]
    session.save()

    assert workspace_links(client) == ["My support", "My feedback"]
    assert client.session["nav_roles"] == ["protege"]


def test_a_person_who_becomes_a_mentor_gets_the_links_on_their_next_visit_home(client):
    person = factories.UserFactory()
    client.force_login(person)
    assert workspace_links(client) == []

    factories.SupportRelationshipFactory(mentor=person)
    assert workspace_links(client, "/") == ["My caseload", "Calendar"]
    assert workspace_links(client) == ["My caseload", "Calendar"]


def test_a_mentor_whose_relationships_ended_loses_the_links_on_their_next_visit_home(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    services.relationship_end(relationship=relationship, reason="The year is over.", completed=True)

    assert workspace_links(client, "/") == []


def count_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_links_cost_no_query(client, settings):
    """The session is read for signing in anyway: the bar adds nothing to a page's count."""
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    url = reverse("relationships:calendar")
    assert workspace_links(client, url) == ["My caseload", "Calendar"]
    with_links = count_queries(client, url)

    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [p for p in processors if "navigation" not in p],
            },
        }
    ]
    assert workspace_links(client, url) == []
    without_links = count_queries(client, url)

    assert len(with_links) == len(without_links)


def test_visiting_home_again_writes_nothing_to_the_session(client):
    relationship = factories.SupportRelationshipFactory()
    client.force_login(relationship.mentor)
    first, again = count_queries(client, "/"), count_queries(client, "/")

    assert len(first) == len(again)
    assert not [sql for sql in again if "django_session" in sql and not sql.startswith("SELECT")]


def test_an_admin_is_linked_to_every_program(client):
    client.force_login(factories.UserFactory(admin=True))

    assert workspace_links(client) == ["Programs"]
