"""The printable role descriptions: generated from the configuration, then editable."""

import re

import pytest

from programs.models import CareerStage, Program
from tests.programs.coordinator_world import coordinated_program

RESIDENTS = [CareerStage.RESIDENT_1, CareerStage.RESIDENT_2, CareerStage.RESIDENT_3]

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
    assert (
        "A mentor walks a teacher through the practical basics" in form
    )  # starts from the generated text
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


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _descriptions(client, program) -> dict[str, str]:
    page = client.get(f"/programs/{program.code}/roles/")
    return {d["kind"]: "\n\n".join(d["paragraphs"]) for d in page.context["descriptions"]}


def test_mentor_and_coach_descriptions_differ_in_substance(client):
    """With every option of the program set, the two texts share well under half their words
    (Jaccard of their word sets); each says what its role does."""
    program, coordinator = coordinated_program(
        name="Resident Educator Program",
        support_model="both",
        purposes=[p for p in Program.Purpose.values if p != "other"],
        outcomes=[o for o in Program.Outcome.values if o != "other"],
        outcome_details="Classroom scores of 5 or more in instructional support.",
        mentor_organization="different",
        mentors_currently_teaching=True,
        goal_policy="both",
        goal_scope="focused",
        focus_areas="early literacy\nclassroom management",
        visits_per_month=3,
        minutes_per_month=180,
        days_to_first_visit=14,
        director_involvement="expected",
        career_stages=list(CareerStage.values),
    )
    client.force_login(coordinator)

    texts = _descriptions(client, program)
    mentor, coach = _words(texts["mentoring"]), _words(texts["coaching"])

    assert len(mentor & coach) / len(mentor | coach) < 0.4
    assert "practical basics" in texts["mentoring"] and "relaxed and personal" in texts["mentoring"]
    assert "intentional and strategic" in texts["coaching"]
    for verb in ("explains", "models", "adjusts"):
        assert verb in texts["coaching"]
    assert "students" in texts["coaching"]


@pytest.mark.parametrize("kind", ["mentoring", "coaching"])
def test_descriptions_name_the_stages_served(client, kind):
    stages = [CareerStage.PRE_SERVICE, *RESIDENTS]
    program, coordinator = coordinated_program(support_model="both", career_stages=stages)
    client.force_login(coordinator)

    text = _descriptions(client, program)[kind]

    assert "student teachers and resident teachers in years 1–3" in text
    assert "experienced" not in text


@pytest.mark.parametrize(
    ("setting", "mentoring", "coaching"),
    [
        ({"director_involvement": "expected"}, "The director takes part", "Directors are expected"),
        ({"director_involvement": "none"}, "Directors stay out of it", "without directors"),
        ({"mentor_organization": "different"}, "from another organization", "external"),
        ({"mentor_organization": "same"}, "same organization", "teacher's own district"),
        ({"mentors_currently_teaching": True}, "still has a class", "practising classroom"),
    ],
)
def test_descriptions_say_what_the_program_sets_about_its_people(
    client, setting, mentoring, coaching
):
    program, coordinator = coordinated_program(support_model="both", **setting)
    client.force_login(coordinator)

    texts = _descriptions(client, program)

    assert mentoring in texts["mentoring"]
    assert coaching in texts["coaching"]


def test_a_program_with_mentors_not_teaching_does_not_say_they_teach(client):
    program, coordinator = coordinated_program(
        support_model="both", mentors_currently_teaching=False
    )
    client.force_login(coordinator)

    texts = _descriptions(client, program)

    assert "still has a class" not in texts["mentoring"]
    assert "practising classroom" not in texts["coaching"]
