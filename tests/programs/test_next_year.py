"""Starting the next program year through its page (reports/views/years.py): a copy of the
program's configuration, goal templates, role descriptions and coordinators, the chosen
participants carried over with their matches if wanted, residents advanced a year and year-3
residents graduating; the dates proposed a year later; the old year kept readable."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from goals.models import GoalTemplate
from programs.models import Enrollment, Program, ProtegeProfile, role_for_kind
from programs.services import PROGRAM_FIELDS
from programs.years import a_year_later, next_year_proposal
from relationships.models import SupportRelationship
from tests.clock import local
from tests.factories import (
    EnrollmentFactory,
    GoalTemplateFactory,
    ProgramFactory,
    SupportRelationshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
Stage = ProtegeProfile.CareerStage


def next_url(program: Program) -> str:
    return reverse("programs:next_year", args=[program.code])


@pytest.fixture
def coordinator():
    return UserFactory()


def matched(program: Program, stage: str, mentor=None) -> SupportRelationship:
    """An open relationship in the program with a protégé at `stage`, both enrolled."""
    relationship = SupportRelationshipFactory(
        program=program, **({"mentor": mentor} if mentor else {})
    )
    ProtegeProfile.objects.filter(user=relationship.protege).update(career_stage=stage)
    if not Enrollment.objects.filter(program=program, person=relationship.mentor).exists():
        EnrollmentFactory(
            program=program, person=relationship.mentor, role=role_for_kind(relationship.kind)
        )
    EnrollmentFactory(program=program, person=relationship.protege)
    return relationship


@pytest.fixture
def closed_year(client, coordinator):
    """A closed year of a coaching program with two coordinators, a goal template (and a
    retired one), its own role descriptions, and a coach matched with a year-1, a year-2 and
    a year-3 resident."""
    co_coordinator = UserFactory()
    program = ProgramFactory(
        coaching=True,
        name="Resident Coaching 2026–27",
        starts_on=D(2026, 8, 1),
        ends_on=D(2027, 6, 30),
        visits_per_month=3,
        record_retention_years=5,
        coordinators=[coordinator, co_coordinator],
        mentor_role_description="Mentors guide.",
        coach_role_description="Coaches partner on student-focused goals.",
    )
    GoalTemplateFactory(program=program, title="Read-alouds", required=True)
    GoalTemplateFactory(program=program, title="Old", retired_at=clock.now())
    coach = UserFactory(first_name="Cora", last_name="Coach")
    people = {
        stage: matched(program, stage, mentor=coach).protege
        for stage in (Stage.RESIDENT_1, Stage.RESIDENT_2, Stage.RESIDENT_3)
    }
    client.force_login(coordinator)
    client.post(reverse("programs:close_year", args=[program.code]))
    program.refresh_from_db()
    return program, coach, people, co_coordinator


def enrollment_of(program: Program, person) -> Enrollment:
    return Enrollment.objects.get(program=program, person=person)


def choices(program: Program, **overrides) -> dict:
    """What the page sends when nothing is changed, with `overrides`."""
    data = {"name": "Resident Coaching 2027–28", "starts_on": "2027-08-01"}
    data |= {"ends_on": "2028-06-30", "keep_matches": "on"}
    for enrollment in Enrollment.objects.filter(program=program):
        stage = getattr(getattr(enrollment.person, "protege_profile", None), "career_stage", "")
        if enrollment.role == "protege" and stage == Stage.RESIDENT_3:
            data[f"fate_{enrollment.pk}"] = "graduate"
        else:
            data[f"carry_{enrollment.pk}"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_page_proposes_next_years_name_and_dates_and_shows_who_advances(client, closed_year):
    program, *_ = closed_year
    response = client.get(next_url(program))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "Resident Coaching 2027–28"
    assert (form["starts_on"].value(), form["ends_on"].value()) == (D(2027, 8, 1), D(2028, 6, 30))
    html = response.content.decode()
    assert "Resident teacher, year 1 → <strong>Resident teacher, year 2</strong>" in html
    assert "Resident teacher, year 2 → <strong>Resident teacher, year 3</strong>" in html
    assert "Graduates" in html and "Cora Coach (coaching)" in html


def test_next_year_copies_the_program_and_carries_people_over(client, closed_year):
    program, coach, people, co_coordinator = closed_year
    response = client.post(next_url(program), choices(program))
    new = Program.objects.get(previous=program)
    assert response.url == reverse("programs:detail", args=[new.code])
    assert (new.name, new.starts_on, new.ends_on) == (
        "Resident Coaching 2027–28",
        D(2027, 8, 1),
        D(2028, 6, 30),
    )
    for field in set(PROGRAM_FIELDS) - {"name", "starts_on", "ends_on"}:
        assert getattr(new, field) == getattr(program, field), field
    assert (new.mentor_role_description, new.coach_role_description) == (
        program.mentor_role_description,
        program.coach_role_description,
    )
    assert set(new.coordinators.all()) == set(program.coordinators.all())
    assert co_coordinator in new.coordinators.all()
    templates = GoalTemplate.objects.filter(program=new)
    assert list(templates.values_list("title", "required")) == [("Read-alouds", True)]
    assert not new.is_closed

    # The coach and the residents of years 1 and 2 carry on; the year-3 resident graduates.
    carried = set(Enrollment.objects.current().filter(program=new).values_list("person", "role"))
    assert carried == {
        (coach.pk, "coach"),
        (people[Stage.RESIDENT_1].pk, "protege"),
        (people[Stage.RESIDENT_2].pk, "protege"),
    }
    stages = {
        person: ProtegeProfile.objects.get(user=person).career_stage for person in people.values()
    }
    assert stages[people[Stage.RESIDENT_1]] == Stage.RESIDENT_2
    assert stages[people[Stage.RESIDENT_2]] == Stage.RESIDENT_3
    assert stages[people[Stage.RESIDENT_3]] == Stage.RESIDENT_3
    graduate = enrollment_of(program, people[Stage.RESIDENT_3])
    assert graduate.leaving_reason == "completed" and "graduated" in graduate.leaving_note

    # Their matches are kept: same coach and kind, starting with the new year.
    kept = SupportRelationship.objects.filter(program=new)
    assert set(kept.values_list("mentor", "protege", "kind", "starts_on", "status")) == {
        (coach.pk, people[stage].pk, "coaching", D(2027, 8, 1), "active")
        for stage in (Stage.RESIDENT_1, Stage.RESIDENT_2)
    }

    # The years link to each other, and the old one keeps its records and figures.
    new_page = client.get(response.url).content.decode()
    assert "Previous year: Resident Coaching 2026–27" in new_page
    old_page = client.get(reverse("programs:detail", args=[program.code])).content.decode()
    assert "Next year: Resident Coaching 2027–28" in old_page
    assert SupportRelationship.objects.filter(program=program, status="completed").count() == 3
    participants = client.get(reverse("programs:participants", args=[program.code]))
    assert participants.status_code == 200


def test_unticked_people_stay_behind_and_matches_can_be_left(client, closed_year):
    program, coach, people, _ = closed_year
    left_behind = enrollment_of(program, people[Stage.RESIDENT_1])
    year_3 = enrollment_of(program, people[Stage.RESIDENT_3])
    client.post(
        next_url(program),
        choices(
            program,
            keep_matches=None,
            **{f"carry_{left_behind.pk}": None, f"fate_{year_3.pk}": "continue"},
        ),
    )
    new = Program.objects.get(previous=program)
    carried = set(Enrollment.objects.filter(program=new).values_list("person", flat=True))
    assert carried == {coach.pk, people[Stage.RESIDENT_2].pk, people[Stage.RESIDENT_3].pk}
    assert ProtegeProfile.objects.get(user=people[Stage.RESIDENT_1]).career_stage == "resident_1"
    assert ProtegeProfile.objects.get(user=people[Stage.RESIDENT_3]).career_stage == "resident_3"
    year_3.refresh_from_db()
    assert "graduated" not in year_3.leaving_note
    assert not SupportRelationship.objects.filter(program=new).exists()


def test_a_second_submit_starts_no_second_year(client, closed_year):
    program, *_ = closed_year
    data = choices(program)
    client.post(next_url(program), data)
    response = client.post(next_url(program), data, follow=True)
    assert Program.objects.filter(previous=program).count() == 1
    assert b"has been started already" in response.content


def test_an_open_year_must_be_closed_first(client, coordinator):
    program = ProgramFactory(coordinators=[coordinator])
    client.force_login(coordinator)
    response = client.post(next_url(program), {"name": "Next"})
    assert response.url == reverse("programs:close_year", args=[program.code])
    assert not Program.objects.filter(previous=program).exists()


def test_bad_dates_are_refused_next_to_the_field_keeping_what_was_typed(client, closed_year):
    program, *_ = closed_year
    response = client.post(
        next_url(program),
        choices(program, name="Typed name", ends_on="2027-07-01", starts_on="2027-08-01"),
    )
    assert response.status_code == 200
    assert (
        "The end date must be on or after the start date."
        in response.context["form"].errors["ends_on"]
    )
    assert 'value="Typed name"' in response.content.decode()
    assert not Program.objects.filter(previous=program).exists()


@pytest.mark.parametrize(
    ("day", "year_later"),
    [
        (D(2028, 2, 29), D(2029, 2, 28)),  # leap day: the last day of February
        (D(2027, 2, 28), D(2028, 2, 29)),  # the last day of February, in a leap year
        (D(2027, 2, 27), D(2028, 2, 27)),
        (D(2026, 12, 31), D(2027, 12, 31)),  # the year's end
        (D(2027, 1, 1), D(2028, 1, 1)),
        (D(2027, 6, 30), D(2028, 6, 30)),
        (D(2027, 4, 15), D(2028, 4, 15)),
    ],
)
def test_a_year_later(day, year_later):
    assert a_year_later(day) == year_later


@pytest.mark.parametrize(
    ("name", "proposed"),
    [
        ("Induction 2026–27", "Induction 2027–28"),
        ("Induction 2026-2027", "Induction 2027-2028"),
        ("Cohort 2099/00", "Cohort 2100/01"),
        ("Induction", "Induction 2028–29"),
    ],
)
def test_the_proposed_name_moves_its_years_on(name, proposed):
    program = Program(name=name, starts_on=D(2027, 8, 1), ends_on=D(2028, 6, 30))
    assert next_year_proposal(program)["name"] == proposed


def test_a_calendar_year_closed_on_new_years_eve_proposes_the_next(client, coordinator):
    with time_machine.travel(local(2026, 12, 31, 21, 30), tick=False):
        program = ProgramFactory(
            coordinators=[coordinator],
            name="Cohort 2026",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
        )
        client.force_login(coordinator)
        client.post(reverse("programs:close_year", args=[program.code]))
        program.refresh_from_db()
        assert program.closed_on == D(2026, 12, 31)
        form = client.get(next_url(program)).context["form"]
    assert form["name"].value() == "Cohort 2027"
    assert (form["starts_on"].value(), form["ends_on"].value()) == (D(2027, 1, 1), D(2027, 12, 31))


def test_a_leap_year_program_proposes_the_end_of_february(client, coordinator):
    with time_machine.travel(local(2028, 3, 2, 10, 0), tick=False):
        program = ProgramFactory(
            coordinators=[coordinator], starts_on=D(2027, 3, 1), ends_on=D(2028, 2, 29)
        )
        client.force_login(coordinator)
        client.post(reverse("programs:close_year", args=[program.code]))
        program.refresh_from_db()
        assert program.closed_on == D(2028, 2, 29)
        form = client.get(next_url(program)).context["form"]
    assert (form["starts_on"].value(), form["ends_on"].value()) == (D(2028, 3, 1), D(2029, 2, 28))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_page_costs_the_same_for_1_and_50_participants(client, coordinator):
    counts = []
    for n in (1, 50):
        program = ProgramFactory(coordinators=[coordinator])
        for index in range(n):
            stage = (Stage.RESIDENT_1, Stage.RESIDENT_3, Stage.NEW)[index % 3]
            matched(program, stage)
        client.force_login(coordinator)
        client.post(reverse("programs:close_year", args=[program.code]))
        counts.append(count_queries(client, next_url(program)))
    assert counts[0] == counts[1]


def test_next_year_takes_the_coaching_cycle_stages_and_the_observation_tools(client, coordinator):
    from cycles.services import cycle_stage_add_common
    from observations.models import ObservationTool
    from observations.services import (
        DomainSpec,
        observation_tool_create,
        observation_tool_set_active,
    )

    program = ProgramFactory(
        coaching=True,
        name="Resident Coaching 2026–27",
        starts_on=D(2026, 8, 1),
        ends_on=D(2027, 6, 30),
        coordinators=[coordinator],
    )
    cycle_stage_add_common(program=program)
    rubric = observation_tool_create(
        program=program,
        name="Classroom interactions",
        kind="rubric",
        domains=[DomainSpec(name="Warm climate", items=["Smiles", "Names"])],
    )
    stopped = observation_tool_create(
        program=program, name="Old checklist", kind="rubric", domains=[DomainSpec(name="Pace")]
    )
    observation_tool_set_active(tool=stopped, active=False)
    client.force_login(coordinator)
    client.post(reverse("programs:close_year", args=[program.code]))

    client.post(next_url(program), choices(program))

    new = Program.objects.get(previous=program)
    assert new.has_cycle_stages
    assert [(s.name, s.cadence_days) for s in new.cycle_stages.order_by("order")] == [
        (s.name, s.cadence_days) for s in program.cycle_stages.order_by("order")
    ]
    [copy] = ObservationTool.objects.filter(program=new)
    assert (copy.name, copy.copied_from) == ("Classroom interactions", rubric)
    assert [d.name for d in copy.domains.all()] == ["Warm climate"]
    stages = client.get(reverse("cycles:stages", args=[new.code])).content.decode()
    assert "Reflect and give feedback" in stages
