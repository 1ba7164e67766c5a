"""The printable role descriptions: generated from the configuration, then editable."""

import pytest

from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


def test_generated_from_the_configuration_with_print_stylesheet(client):
    program, coordinator = coordinated_program(
        name="Induction", support_model="both", visits_per_month=3
    )
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/roles/").content.decode()
    assert "The mentor&#x27;s role" in page and "The coach&#x27;s role" in page
    assert "at least 3 visits a month" in page
    assert "Not supervision" in page
    assert 'href="/static/css/print.css" media="print"' in page
    assert "data-print" in page
    assert "<script>" not in page


def test_coaching_program_describes_the_coach_only(client):
    program, coordinator = coordinated_program(coaching=True)
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/roles/").content.decode()
    assert "The coach&#x27;s role" in page
    assert "The mentor&#x27;s role" not in page


def test_edit_saves_the_coordinators_text_and_blank_goes_back(client):
    program, coordinator = coordinated_program(support_model="mentoring")
    client.force_login(coordinator)
    form = client.get(f"/programs/{program.code}/roles/edit/").content.decode()
    assert "A mentor supports one teacher" in form  # starts from the generated text
    client.post(
        f"/programs/{program.code}/roles/edit/",
        {"mentor_text": "Our mentors meet weekly.\n\nThey never evaluate."},
    )
    program.refresh_from_db()
    assert program.mentor_role_description.startswith("Our mentors meet weekly.")
    page = client.get(f"/programs/{program.code}/roles/").content.decode()
    assert "<p>Our mentors meet weekly.</p>" in page
    assert "<p>They never evaluate.</p>" in page
    client.post(f"/programs/{program.code}/roles/edit/", {"mentor_text": ""})
    program.refresh_from_db()
    assert program.mentor_role_description == ""


def test_heading_and_lead_come_before_the_tabs_as_on_every_program_page(client):
    program, coordinator = coordinated_program(name="Induction", sponsor__name="Maple District")
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/roles/").content.decode()
    heading = page.index("<h1>Roles in Induction</h1>")
    lead = page.index('<p class="lead-muted mb-0">Maple District: what a mentor does')
    assert heading < lead < page.index('aria-label="Program sections"')
