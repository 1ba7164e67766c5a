"""Mentor and coach as separate roles at enrollment, and the career stages a program serves,
through the coordinator's pages: the program form, enrollment, the participants list and the
roster's role column."""

import html

import pytest

from programs.models import CareerStage, Enrollment, Program, ProtegeProfile
from tests.factories import EnrollmentFactory, MentorProfileFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program
from tests.programs.test_programs_views import program_post
from tests.programs.test_roster_import import csv_file

pytestmark = pytest.mark.django_db

RESIDENTS = [CareerStage.RESIDENT_1, CareerStage.RESIDENT_2, CareerStage.RESIDENT_3]


def enroll_url(program) -> str:
    return f"/programs/{program.code}/participants/add/"


def new_person(role: str, **extra) -> dict:
    return {
        "who": "new",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@example.org",
        "role": role,
        **extra,
    }


def test_the_program_form_records_the_stages_it_serves_and_its_page_names_them(client):
    program, coordinator = coordinated_program(name="Induction")
    client.force_login(coordinator)

    form = client.get(f"/programs/{program.code}/edit/").content.decode()
    data = program_post(program.sponsor, name="Induction", career_stages=RESIDENTS)
    response = client.post(f"/programs/{program.code}/edit/", data)

    assert "Whom the program serves" in form and "Resident teacher, year 2" in form
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.career_stages == RESIDENTS
    page = html.unescape(client.get(program.get_absolute_url()).content.decode())
    assert "for resident teachers in years 1–3" in page


def test_enrollment_offers_the_roles_of_the_support_model(client):
    mentoring, coordinator = coordinated_program(support_model="mentoring")
    coaching, _ = coordinated_program(coordinator, coaching=True, name="Literacy Coaching")
    both, _ = coordinated_program(coordinator, support_model="both")
    client.force_login(coordinator)

    def offered(program) -> list[str]:
        return [
            value
            for value, _ in client.get(enroll_url(program)).context["form"]["role"].field.choices
        ]

    assert offered(mentoring) == ["mentor", "protege"]
    assert offered(coaching) == ["coach", "protege"]
    assert offered(both) == ["mentor", "coach", "protege"]
    response = client.post(enroll_url(coaching), new_person("mentor"))
    assert "Select a valid choice" in response.context["form"].errors["role"][0]
    assert not Enrollment.objects.exists()
    client.post(enroll_url(coaching), new_person("coach"))
    assert Enrollment.objects.get().role == "coach"


def test_the_coordinator_adds_a_second_role_from_the_participants_list(client):
    program, coordinator = coordinated_program(support_model="both")
    person = MentorProfileFactory(user__first_name="Bo", user__username="bo").user
    EnrollmentFactory(program=program, person=person, role=Enrollment.Role.MENTOR)
    client.force_login(coordinator)
    participants = f"/programs/{program.code}/participants/"

    page = client.get(participants).content.decode()
    link = f"{enroll_url(program)}?role=coach&amp;person=bo"
    assert link in page and "Also enroll as coach" in page
    form = client.get(html.unescape(link)).context["form"]
    assert form.initial == {"role": "coach", "person": "bo"}
    client.post(enroll_url(program), {"who": "existing", "person": "bo", "role": "coach"})

    roles = Enrollment.objects.current().filter(person=person).values_list("role", flat=True)
    assert sorted(roles) == ["coach", "mentor"]
    page = client.get(participants).content.decode()
    assert "Also enroll as" not in page
    assert page.count("Bo ") >= 2


def test_a_protege_is_offered_the_programs_stages_and_another_is_explained(client):
    program, coordinator = coordinated_program(name="Induction", career_stages=RESIDENTS)
    client.force_login(coordinator)

    form = client.get(enroll_url(program)).context["form"]
    stages = [value for value, _ in form["career_stage"].field.choices]
    response = client.post(
        enroll_url(program), new_person("protege", career_stage=CareerStage.EXPERIENCED)
    )

    assert stages == ["", *RESIDENTS]
    assert response.context["form"].errors["career_stage"] == [
        "Induction serves resident teachers in years 1–3: choose one of their stages."
    ]
    assert response.context["form"]["first_name"].value() == "Ann"  # nothing typed lost
    assert not Enrollment.objects.exists()
    client.post(enroll_url(program), new_person("protege", career_stage=CareerStage.RESIDENT_2))
    assert ProtegeProfile.objects.get().career_stage == CareerStage.RESIDENT_2


def test_the_profile_page_keeps_a_stage_recorded_before_the_program_named_its_own(client):
    program, coordinator = coordinated_program(career_stages=[CareerStage.RESIDENT_1])
    protege = UserFactory()
    ProtegeProfile.objects.create(user=protege, career_stage=CareerStage.EXPERIENCED)
    enrollment = EnrollmentFactory(program=program, person=protege)
    client.force_login(coordinator)

    url = f"/programs/{program.code}/participants/{enrollment.code}/profile/"
    stages = [value for value, _ in client.get(url).context["form"]["career_stage"].field.choices]

    assert stages == [CareerStage.RESIDENT_1, CareerStage.EXPERIENCED]


ROSTER_ROWS = (
    "Coach,Cam,Cole,cam@example.org,,,,,,,yes,9,,",
    "MENTOR,Mia,Moss,mia@example.org,,,,,,,no,20,,",
    "Protégé,Pat,Park,pat@example.org,,,,resident 1,,,,,,",
    "protege,Pia,Page,pia@example.org,,,,resident 2,,,,,,",
)


def test_the_roster_reads_mentor_coach_and_protege(client):
    program, coordinator = coordinated_program(
        support_model="both", career_stages=[CareerStage.RESIDENT_1, CareerStage.RESIDENT_2]
    )
    client.force_login(coordinator)

    response = client.post(
        f"/programs/{program.code}/participants/import/", {"file": csv_file(*ROSTER_ROWS)}
    )

    assert "All 4 rows can be imported" in response.content.decode()
    rows = response.context["preview"].rows
    assert [row.role for row in rows] == ["coach", "mentor", "protege", "protege"]


def test_the_roster_refuses_a_role_or_stage_the_program_does_not_offer(client):
    program, coordinator = coordinated_program(
        name="Induction", support_model="mentoring", career_stages=[CareerStage.RESIDENT_1]
    )
    client.force_login(coordinator)

    page = html.unescape(
        client.post(
            f"/programs/{program.code}/participants/import/", {"file": csv_file(*ROSTER_ROWS)}
        ).content.decode()
    )

    assert "role: this program has no coaches: say mentor or protégé." in page
    assert (
        "career_stage: Induction serves resident teachers in year 1, not resident teacher, "
        "year 2: choose one of their stages." in page
    )
    assert not Enrollment.objects.exists()


def test_an_old_roster_saying_mentor_or_coach_enrolls_a_coaching_programs_coach(client):
    program, coordinator = coordinated_program(coaching=True)
    client.force_login(coordinator)

    response = client.post(
        f"/programs/{program.code}/participants/import/",
        {"file": csv_file("mentor or coach,Cam,Cole,cam@example.org,,,,,,,yes,9,,")},
    )

    assert [row.role for row in response.context["preview"].rows] == ["coach"]
    assert Program.objects.get().offered_roles == ["coach", "protege"]
