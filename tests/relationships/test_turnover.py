"""Turnover: a mentor or coach who leaves has their caseload reassigned (a successor from the
ranked suggestions, or an end; one by one or all at once, all or nothing); the relationship
page says who came before; a protégé who leaves has their relationships ended; the dashboard
flags relationships whose mentor left and lists the protégés waiting for a match."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from core.names import person_name
from outbox.models import Delivery
from programs.models import AgeGroup, Enrollment, Program, ProtegeProfile
from relationships import matching, succession, turnover
from relationships.models import SupportRelationship
from tests.factories import (
    EnrollmentFactory,
    MentorProfileFactory,
    OrganizationFactory,
    ProtegeProfileFactory,
    SupportRelationshipFactory,
    UserFactory,
)
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return clock.today() - datetime.timedelta(days=n)


def enroll_mentor(program, name: str, **profile) -> Enrollment:
    user = UserFactory(first_name=name, last_name="Mentor")
    MentorProfileFactory(user=user, **profile)
    return EnrollmentFactory(
        program=program, person=user, role=Enrollment.Role.MENTOR, joined_on=days_ago(90)
    )


def protege_of(program, mentor, name: str, **kwargs) -> SupportRelationship:
    """An open relationship of `mentor` in `program` with a new protégé, both enrolled."""
    protege = ProtegeProfileFactory(
        user__first_name=name, user__last_name="Teacher", age_group_taught=AgeGroup.KINDERGARTEN
    ).user
    EnrollmentFactory(program=program, person=protege, joined_on=days_ago(90))
    kwargs.setdefault("starts_on", days_ago(60))
    return SupportRelationshipFactory(program=program, mentor=mentor, protege=protege, **kwargs)


def leave_url(program, enrollment) -> str:
    return f"/programs/{program.code}/participants/{enrollment.code}/leave/"


def reassign_url(program, enrollment) -> str:
    return f"/relationships/coordinate/{program.code}/reassign/{enrollment.code}/"


def field(relationship) -> str:
    return f"r-{relationship.code}"


def leave(client, program, enrollment, reason="left_job"):
    return client.post(leave_url(program, enrollment), {"leaving_reason": reason})


@dataclass
class World:
    program: Program
    coordinator: User
    leaving: Enrollment
    roomy: Enrollment
    busy: Enrollment
    ada: SupportRelationship
    ben: SupportRelationship


@pytest.fixture
def world() -> World:
    """A program whose mentor "Leaving" has two protégés, Ada and Ben, and two other mentors:
    "Roomy" with room and expertise, "Busy" with a full caseload."""
    program, coordinator = coordinated_program(name="Induction")
    leaving = enroll_mentor(program, "Leaving")
    roomy = enroll_mentor(program, "Roomy", age_groups=[AgeGroup.KINDERGARTEN])
    busy = enroll_mentor(program, "Busy", caseload_limit=1)
    SupportRelationshipFactory(mentor=busy.person)  # elsewhere: Busy is full
    later = clock.today() + datetime.timedelta(days=90)
    ada = protege_of(program, leaving.person, "Ada", planned_end_on=later)
    ben = protege_of(program, leaving.person, "Ben")
    return World(program, coordinator, leaving, roomy, busy, ada, ben)


def test_a_mentor_leaving_takes_the_coordinator_to_their_caseload(client, world):
    client.force_login(world.coordinator)
    response = leave(client, world.program, world.leaving)
    assert response.status_code == 302
    assert response["Location"] == reassign_url(world.program, world.leaving)
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Reassign Leaving Mentor's caseload</h1>" in page
    assert "Ada Teacher" in page and "Ben Teacher" in page
    # The ranked suggestions, with the match page's reasons: Roomy first, Busy's full load said.
    ada_select = re.search(rf'<select name="{field(world.ada)}".*?</select>', page, flags=re.S)[0]
    options = re.findall(r'<option value="(\d+)"', ada_select)
    assert options == [str(world.roomy.person.pk), str(world.busy.person.pk)]
    assert "Works with kindergarten" in ada_select
    assert "Caseload full (1 of 1)" in ada_select
    assert "End it, with no successor" in ada_select
    # The best one with room is preselected for each.
    assert re.search(rf'<option value="{world.roomy.person.pk}"[^>]*selected', ada_select)
    # Both relationships are still open, flagged on the dashboard with a link here.
    dashboard = client.get(f"/programs/{world.program.code}/").content.decode()
    assert dashboard.count("Mentor or coach left</span>") == 2
    assert f'href="{reassign_url(world.program, world.leaving)}"' in dashboard


def test_the_whole_caseload_is_reassigned_at_once(client, world):
    client.force_login(world.coordinator)
    leave(client, world.program, world.leaving)
    Delivery.objects.all().delete()
    response = client.post(
        reassign_url(world.program, world.leaving),
        {field(world.ada): world.roomy.person.pk, field(world.ben): turnover.END, "apply": "all"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/programs/{world.program.code}/participants/"
    world.ada.refresh_from_db()
    world.ben.refresh_from_db()
    assert world.ada.status == world.ben.status == "ended_early"
    assert world.ada.end_reason == world.ben.end_reason == "The mentor left the program."
    assert world.ada.ended_on == world.ben.ended_on == clock.today()
    successor = SupportRelationship.objects.get(continues=world.ada)
    assert successor.mentor == world.roomy.person
    assert successor.protege == world.ada.protege
    assert (successor.kind, successor.program) == (world.ada.kind, world.program)
    assert successor.status == "active" and successor.starts_on == clock.today()
    assert successor.planned_end_on == world.ada.planned_end_on
    assert not SupportRelationship.objects.filter(continues=world.ben).exists()
    # The people concerned are told: the new pair that it started, the old ones that it ended.
    told = set(
        Delivery.objects.filter(kind="relationship_changed").values_list(
            "recipient__username", "params__event"
        )
    )
    assert (world.roomy.person.username, "matched") in told
    assert (world.ada.protege.username, "matched") in told
    assert (world.ben.protege.username, "ended") in told
    assert (world.leaving.person.username, "ended") in told
    # Nothing is flagged any more; Ben now waits for a match.
    dashboard = client.get(f"/programs/{world.program.code}/").content.decode()
    assert "Mentor or coach left</span>" not in dashboard
    waiting = dashboard.split('id="waiting-heading"')[1]
    assert "Ben Teacher" in waiting and "Ada Teacher" not in waiting


def test_one_by_one_keeps_the_other_choices(client, world):
    client.force_login(world.coordinator)
    leave(client, world.program, world.leaving)
    response = client.post(
        reassign_url(world.program, world.leaving),
        {
            field(world.ada): world.roomy.person.pk,
            field(world.ben): world.busy.person.pk,
            "apply": str(world.ada.code),
        },
    )
    assert response.status_code == 302
    assert SupportRelationship.objects.get(continues=world.ada).mentor == world.roomy.person
    world.ben.refresh_from_db()
    assert world.ben.is_open
    # Back on the page, Ben's row still holds the choice made for it.
    page = client.get(response["Location"]).content.decode()
    assert "Ada Teacher" not in page
    ben_select = re.search(rf'<select name="{field(world.ben)}".*?</select>', page, flags=re.S)[0]
    assert re.search(rf'<option value="{world.busy.person.pk}"[^>]*selected', ben_select)
    # Ada's row sent again (a second tab, the back button): nothing happens twice.
    again = client.post(
        reassign_url(world.program, world.leaving),
        {field(world.ben): world.busy.person.pk, "apply": str(world.ada.code)},
    )
    assert "That relationship has been settled already" in again.content.decode()
    assert SupportRelationship.objects.filter(continues=world.ada).count() == 1
    response = client.post(
        reassign_url(world.program, world.leaving),
        {field(world.ben): turnover.END, "apply": str(world.ben.code)},
    )
    assert response["Location"] == f"/programs/{world.program.code}/participants/"
    world.ben.refresh_from_db()
    assert world.ben.status == "ended_early"


def test_all_at_once_is_all_or_nothing_with_the_reason_on_each_row(client, world):
    client.force_login(world.coordinator)
    leave(client, world.program, world.leaving)
    response = client.post(
        reassign_url(world.program, world.leaving),
        {field(world.ada): world.roomy.person.pk, field(world.ben): "", "apply": "all"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose who takes over, or end it." in page
    # Nothing saved, and Ada's choice is still there.
    assert SupportRelationship.objects.open().filter(mentor=world.leaving.person).count() == 2
    ada_select = re.search(rf'<select name="{field(world.ada)}".*?</select>', page, flags=re.S)[0]
    assert re.search(rf'<option value="{world.roomy.person.pk}"[^>]*selected', ada_select)
    # A choice that is not offered (someone outside the program) is refused on its row.
    outsider = UserFactory()
    response = client.post(
        reassign_url(world.program, world.leaving),
        {field(world.ada): world.roomy.person.pk, field(world.ben): outsider.pk, "apply": "all"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not SupportRelationship.objects.filter(continues__isnull=False).exists()


def test_a_refusal_by_the_services_saves_nothing_at_all(world):
    """Two decisions, the second refused (the supervision firewall): the first is undone."""
    ProtegeProfile.objects.filter(user=world.ben.protege).update(supervisor=world.busy.person)
    decisions = [
        turnover.Decision(relationship=world.ada, successor=world.roomy.person),
        turnover.Decision(relationship=world.ben, successor=world.busy.person),
    ]
    with pytest.raises(turnover.CaseloadRefused) as refused:
        turnover.caseload_settle(decisions=decisions)
    assert list(refused.value.errors) == [world.ben.pk]
    assert "supervises Ben Teacher" in refused.value.errors[world.ben.pk][0]
    assert SupportRelationship.objects.open().filter(mentor=world.leaving.person).count() == 2
    assert not SupportRelationship.objects.filter(mentor=world.roomy.person).exists()


def test_the_relationship_page_says_who_came_before(client, world):
    client.force_login(world.coordinator)
    leave(client, world.program, world.leaving)
    client.post(
        reassign_url(world.program, world.leaving),
        {field(world.ada): world.roomy.person.pk, field(world.ben): turnover.END, "apply": "all"},
    )
    successor = SupportRelationship.objects.get(continues=world.ada)
    url = successor.get_absolute_url()
    line = (
        f'<a href="{world.ada.get_absolute_url()}">Leaving Mentor</a> '
        f"({world.ada.starts_on:%b} {world.ada.starts_on.day}, {world.ada.starts_on.year} – "
        f"{clock.today():%b} {clock.today().day}, {clock.today().year})"
    )
    for who in (world.coordinator, world.ada.protege):
        client.force_login(who)
        page = client.get(url).content.decode()
        assert "Before</dt>" in page and line in page
    # The new mentor does not take part in the old relationship: not theirs to see.
    client.force_login(world.roomy.person)
    page = client.get(url).content.decode()
    assert "Leaving Mentor" not in page


def test_a_protege_leaving_ends_their_relationships_with_the_same_reason(client, world):
    client.force_login(world.coordinator)
    enrollment = Enrollment.objects.get(program=world.program, person=world.ada.protege)
    response = leave(client, world.program, enrollment, reason="left_field")
    assert response["Location"] == f"/programs/{world.program.code}/participants/"
    world.ada.refresh_from_db()
    assert world.ada.status == "ended_early"
    assert world.ada.end_reason == "The protégé left the program: left the field."
    world.ben.refresh_from_db()
    assert world.ben.is_open
    # Completing the program completes the relationship.
    enrollment = Enrollment.objects.get(program=world.program, person=world.ben.protege)
    leave(client, world.program, enrollment, reason="completed")
    world.ben.refresh_from_db()
    assert world.ben.status == "completed"
    assert world.ben.end_reason == "The protégé left the program: completed the program."


def test_protégés_waiting_for_a_match_are_listed_oldest_first_with_their_days(client):
    program, coordinator = coordinated_program(name="Induction", support_model="both")
    mentor = enroll_mentor(program, "Some").person
    joined = ProtegeProfileFactory(user__first_name="Joined", user__last_name="Waiting").user
    EnrollmentFactory(program=program, person=joined, joined_on=days_ago(10))
    ended = protege_of(program, mentor, "Ended", ended=True, starts_on=days_ago(40))
    SupportRelationship.objects.filter(pk=ended.pk).update(ended_on=days_ago(3))
    matched = protege_of(program, mentor, "Matched")
    client.force_login(coordinator)
    page = client.get(f"/programs/{program.code}/").content.decode()
    waiting = page.split('id="waiting-heading"')[1].split("</section>")[0]
    assert "Matched Teacher" not in waiting
    assert waiting.index("Joined Waiting") < waiting.index("Ended Teacher")
    assert re.search(r"Joined Waiting</th>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>10 days</td>", waiting)
    assert re.search(r"Ended Teacher</th>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>3 days</td>", waiting)
    enrollment = Enrollment.objects.get(program=program, person=joined)
    match = (
        f"/relationships/coordinate/{program.code}/match/"
        f"?format=individual&amp;protege={enrollment.code}"
    )
    assert f'{match}&amp;kind=mentoring"' in waiting
    assert f'{match}&amp;kind=coaching"' in waiting
    assert matched.is_open


def test_the_suggestions_are_ranked_as_on_the_match_page(world):
    """The caseload's ranking (relationships/succession.py) is matching's, for every row."""
    site = OrganizationFactory()
    world.program.mentor_organization = "same"
    world.program.save()
    enroll_mentor(world.program, "Sameorg", organization=site)
    enroll_mentor(world.program, "Infants", age_groups=[AgeGroup.INFANTS])
    ProtegeProfile.objects.filter(user=world.ada.protege).update(organization=site)
    relationships = list(turnover.open_caseload(world.program, world.leaving.person))
    ranked = succession.successors(world.program, relationships)
    for relationship in relationships:
        target = matching.Target(
            program=world.program, kind=relationship.kind, protege=relationship.protege
        )
        expected = [c.person.pk for c in matching.candidates(target)]
        assert [p.pk for p in ranked[relationship.pk].people] == expected


def test_the_waiting_list_query_count_is_the_same_for_1_and_50_protégés(client):
    counts = []
    for n in (1, 50):
        program, coordinator = coordinated_program(coordinator=UserFactory())
        for _ in range(n):
            EnrollmentFactory(program=program, person=ProtegeProfileFactory().user)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/programs/{program.code}/").content.decode()
        assert page.count("Find a mentor<") == min(n, 10)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_only_the_program_s_coordinators_reach_the_reassign_page(client, world):
    other_program, other_coordinator = coordinated_program(coordinator=UserFactory())
    url = reassign_url(world.program, world.leaving)
    # The program's people see it exists (403); anyone else does not (404).
    for who, status in (
        (world.leaving.person, 403),
        (world.ada.protege, 403),
        (other_coordinator, 404),
        (UserFactory(), 404),
        (world.coordinator, 200),
        (UserFactory(is_superuser=True, is_staff=True), 200),
    ):
        client.force_login(who)
        assert client.get(url).status_code == status, person_name(who)
    # A protégé's enrollment has no caseload; an enrollment of another program is not found.
    client.force_login(world.coordinator)
    protege_enrollment = Enrollment.objects.get(program=world.program, person=world.ada.protege)
    assert client.get(reassign_url(world.program, protege_enrollment)).status_code == 404
    other = enroll_mentor(other_program, "Elsewhere")
    assert client.get(reassign_url(world.program, other)).status_code == 404
