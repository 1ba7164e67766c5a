"""Goal templates for prescribed goals: create, edit, retire."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goals.models import GoalTemplate
from tests.factories import GoalTemplateFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db


def test_create_edit_and_retire(client):
    program, coordinator = coordinated_program(coaching=True)
    client.force_login(coordinator)
    base = f"/goals/programs/{program.code}/templates/"
    form = client.get(f"{base}new/").content.decode()
    assert '<option value="Interactive read-alouds">Interactive read-alouds</option>' in form
    response = client.post(
        f"{base}new/",
        {
            "title": "Interactive read-alouds",
            "description": "Read aloud daily with open-ended questions.",
            "focus_area": "Interactive read-alouds",
            "suggested_measure": "Open-ended questions per read-aloud",
        },
    )
    assert response.status_code == 302
    template = GoalTemplate.objects.get()
    assert template.program == program
    client.post(
        f"/goals/templates/{template.code}/edit/",
        {"title": "Dialogic read-alouds", "description": "", "focus_area": "", "required": "on"},
    )
    template.refresh_from_db()
    assert template.title == "Dialogic read-alouds" and template.required
    confirm = client.get(f"/goals/templates/{template.code}/retire/")
    assert "Retire the template" in confirm.content.decode()
    template.refresh_from_db()
    assert template.retired_at is None
    client.post(f"/goals/templates/{template.code}/retire/")
    template.refresh_from_db()
    assert template.retired_at is not None
    page = client.get(base).content.decode()
    assert "Retired" in page
    assert "This program prescribes its goals: no goal can be set" in page


def test_missing_title_is_explained(client):
    program, coordinator = coordinated_program(coaching=True)
    client.force_login(coordinator)
    response = client.post(
        f"/goals/programs/{program.code}/templates/new/",
        {"title": "", "description": "Kept text"},
    )
    page = response.content.decode()
    assert "This field is required." in page and "Kept text" in page
    assert not GoalTemplate.objects.exists()


def test_template_list_query_count_is_the_same_for_1_and_50(client):
    program, coordinator = coordinated_program(coaching=True)

    def count() -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/goals/programs/{program.code}/templates/").status_code == 200
        return len(queries)

    GoalTemplateFactory(program=program)
    one = count()
    for _ in range(49):
        GoalTemplateFactory(program=program)
    assert count() == one


def test_only_coordinators_change_templates(client):
    program, _ = coordinated_program(coaching=True)
    template = GoalTemplateFactory(program=program)
    relationship = relationship_in(program)
    client.force_login(relationship.mentor)
    assert client.post(f"/goals/templates/{template.code}/retire/").status_code == 403
    client.force_login(UserFactory())
    assert client.get(f"/goals/templates/{template.code}/edit/").status_code == 404
    template.refresh_from_db()
    assert template.retired_at is None
