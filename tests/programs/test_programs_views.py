"""The coordinator's programs: the list, the configuration form, archiving."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Organization, Program
from tests.factories import OrganizationFactory, ProgramFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


def program_post(sponsor, **overrides):
    data = {
        "name": "Family Child Care Mentoring",
        "sponsor": sponsor.pk,
        "description": "Mentoring for family child care providers.",
        "support_model": "mentoring",
        "purposes": ["new_to_field", "retention"],
        "outcomes": ["practices"],
        "mentor_organization": "different",
        "goal_policy": "collaborative",
        "goal_scope": "wide",
        "age_groups": ["infants", "toddlers"],
        "director_involvement": "none",
        "visits_per_month": "2",
        "minutes_per_month": "90",
        "days_to_first_visit": "14",
        "days_to_first_goal": "30",
        "proteges_record_progress": "on",
    }
    data.update(overrides)
    return data


def test_list_shows_only_the_programs_i_coordinate(client):
    _, coordinator = coordinated_program(name="Mine")
    ProgramFactory(name="Someone else's")
    client.force_login(coordinator)
    page = client.get("/programs/").content.decode()
    assert "Mine" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page


def test_list_runs_the_same_queries_for_1_and_50_programs(client):
    coordinator = UserFactory()

    def count() -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/programs/").status_code == 200
        return len(queries)

    ProgramFactory(coordinators=[coordinator])
    one = count()
    for _ in range(49):
        ProgramFactory(coordinators=[coordinator])
    assert count() == one


def test_form_has_sections_in_the_seeds_words(client):
    _, coordinator = coordinated_program()
    client.force_login(coordinator)
    page = client.get("/programs/new/").content.decode()
    for legend in (
        "Purpose",
        "Desired outcomes",
        "Mentors and coaches",
        "Goals",
        "Time frame",
        "Dosage expectations",
        "Trust and sharing",
    ):
        assert f"<legend>{legend}</legend>" in page or legend in page
    assert "Head Start mentor-coach" in page
    assert "from a matter of weeks or months to a year or more" in page
    assert "coordinators may read shared logs" in page.lower()


def test_create_makes_me_its_coordinator(client):
    program, coordinator = coordinated_program()
    sponsor = OrganizationFactory(parent=program.sponsor)
    client.force_login(coordinator)
    response = client.post("/programs/new/", program_post(sponsor))
    program = Program.objects.get(name="Family Child Care Mentoring")
    assert response.status_code == 302
    assert response["Location"] == f"/programs/{program.code}/"
    assert list(program.coordinators.all()) == [coordinator]
    assert program.age_groups == ["infants", "toddlers"]
    assert program.visits_per_month == 2


def test_create_with_a_new_sponsor_organization(client):
    _, coordinator = coordinated_program()
    client.force_login(coordinator)
    data = program_post(OrganizationFactory(), new_sponsor="Lakeside Family Network")
    data["sponsor"] = ""
    data["new_sponsor_kind"] = "family_child_care"
    client.post("/programs/new/", data)
    program = Program.objects.get(name="Family Child Care Mentoring")
    assert program.sponsor.name == "Lakeside Family Network"
    assert Organization.objects.filter(name="Lakeside Family Network").count() == 1


def test_bad_input_is_shown_next_to_the_field_and_kept(client):
    _, coordinator = coordinated_program()
    client.force_login(coordinator)
    data = program_post(
        OrganizationFactory(),
        starts_on="2026-09-01",
        ends_on="2026-06-01",
        purposes=["other"],
        purpose_other="",
    )
    response = client.post("/programs/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in page
    assert "Family Child Care Mentoring" in page  # what was typed is kept
    assert not Program.objects.filter(name="Family Child Care Mentoring").exists()


def test_someone_who_coordinates_nothing_cannot_start_a_program(client):
    client.force_login(UserFactory())
    assert client.get("/programs/new/").status_code == 403


def test_edit_changes_the_configuration(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    data = program_post(program.sponsor, name=program.name, support_model="coaching")
    response = client.post(f"/programs/{program.code}/edit/", data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.support_model == "coaching"
    assert program.mentor_organization == "different"


def test_archive_then_restore(client):
    program, coordinator = coordinated_program(name="Old program")
    client.force_login(coordinator)
    confirm = client.get(f"/programs/{program.code}/archive/")
    assert "Archive the program" in confirm.content.decode()
    program.refresh_from_db()
    assert program.archived_at is None  # a GET changes nothing
    response = client.post(f"/programs/{program.code}/archive/")
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.is_archived
    assert "is archived" in client.get("/programs/").content.decode()  # the notice
    assert "Old program" not in client.get("/programs/").content.decode()
    assert "Old program" in client.get("/programs/?archived=1").content.decode()
    client.post(f"/programs/{program.code}/archive/")
    program.refresh_from_db()
    assert not program.is_archived


def test_archived_program_cannot_be_edited(client):
    program, coordinator = coordinated_program()
    program.archived_at = program.created_at
    program.save()
    client.force_login(coordinator)
    response = client.get(f"/programs/{program.code}/edit/")
    assert response.status_code == 302


def test_other_programs_are_not_found_and_participants_are_refused(client):
    from tests.programs.coordinator_world import relationship_in

    program, _ = coordinated_program()
    relationship = relationship_in(program)
    client.force_login(UserFactory())
    assert client.get(f"/programs/{program.code}/").status_code == 404
    client.force_login(relationship.mentor)
    assert client.get(f"/programs/{program.code}/").status_code == 403
    assert client.post(f"/programs/{program.code}/archive/").status_code == 403
    program.refresh_from_db()
    assert not program.is_archived
