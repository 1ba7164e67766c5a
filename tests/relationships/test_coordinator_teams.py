"""Classroom teams, and pausing, resuming or ending a relationship with a reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Enrollment
from relationships.models import ClassroomTeam, SupportRelationship
from tests.factories import (
    ClassroomTeamFactory,
    EnrollmentFactory,
    OrganizationFactory,
    ProtegeProfileFactory,
    UserFactory,
)
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db


def enrolled_protege(program):
    user = ProtegeProfileFactory().user
    EnrollmentFactory(program=program, person=user, role=Enrollment.Role.PROTEGE)
    return user


def test_create_and_edit_a_team(client):
    program, coordinator = coordinated_program(coaching=True)
    site = OrganizationFactory(parent=program.sponsor)
    a, b, c = (enrolled_protege(program) for _ in range(3))
    client.force_login(coordinator)
    url = f"/relationships/coordinate/{program.code}/teams/new/"
    response = client.post(
        url,
        {
            "name": "Sunflower Room",
            "site": site.pk,
            "age_group": "preschool",
            "members": [a.pk, b.pk],
        },
    )
    assert response.status_code == 302
    team = ClassroomTeam.objects.get(name="Sunflower Room")
    assert team.program == program
    assert set(team.members.all()) == {a, b}
    client.post(
        f"/relationships/teams/{team.code}/edit/",
        {
            "name": "Sunflower Room",
            "site": site.pk,
            "age_group": "preschool",
            "members": [b.pk, c.pk],
        },
    )
    assert set(team.members.all()) == {b, c}


def test_a_coach_who_supervises_a_new_member_is_refused(client):
    program, coordinator = coordinated_program(coaching=True)
    relationship = relationship_in(program, for_team=True)
    team = relationship.team
    supervised = ProtegeProfileFactory(supervisor=relationship.mentor).user
    EnrollmentFactory(program=program, person=supervised)
    client.force_login(coordinator)
    response = client.post(
        f"/relationships/teams/{team.code}/edit/",
        {
            "name": team.name,
            "site": team.site_id,
            "age_group": team.age_group,
            "members": [*team.members.values_list("pk", flat=True), supervised.pk],
        },
    )
    assert "cannot be their mentor or coach" in response.content.decode()
    assert supervised not in team.members.all()


def test_team_list_query_count_is_the_same_for_1_and_50(client):
    program, coordinator = coordinated_program(coaching=True)

    def count() -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/relationships/coordinate/{program.code}/teams/")
            assert response.status_code == 200
        return len(queries)

    ClassroomTeamFactory(program=program, members=1)
    one = count()
    for _ in range(49):
        ClassroomTeamFactory(program=program, members=1)
    assert count() == one


def test_teams_of_another_program_cannot_be_edited(client):
    _, coordinator = coordinated_program(coaching=True)
    other = ClassroomTeamFactory()
    client.force_login(coordinator)
    assert client.get(f"/relationships/teams/{other.code}/edit/").status_code == 404


def test_pause_resume_and_end_with_a_reason(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    client.force_login(coordinator)
    base = f"/relationships/{relationship.code}"
    assert "Why is the relationship paused?" in client.get(f"{base}/pause/").content.decode()
    response = client.post(f"{base}/pause/", {"reason": ""})
    assert "This field is required." in response.content.decode()
    client.post(f"{base}/pause/", {"reason": "On leave until March"})
    relationship.refresh_from_db()
    assert relationship.status == "paused" and relationship.end_reason == "On leave until March"
    page = client.get(f"/programs/{program.code}/").content.decode()
    assert f"{base}/resume/" in page
    client.post(f"{base}/resume/")
    relationship.refresh_from_db()
    assert relationship.status == "active"
    client.post(f"{base}/end/", {"outcome": "ended_early", "reason": "Moved schools"})
    relationship.refresh_from_db()
    assert relationship.status == "ended_early" and relationship.ended_on
    response = client.post(f"{base}/pause/", {"reason": "again"})
    assert "Only an active relationship can be paused." in response.content.decode()


def test_pausing_from_the_relationship_page_comes_back_to_it(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    client.force_login(coordinator)
    page = client.get(relationship.get_absolute_url()).content.decode()
    pause = f"/relationships/{relationship.code}/pause/?from=relationship"
    assert f'href="{pause}"' in page

    form = client.get(pause).content.decode()
    assert f'href="{relationship.get_absolute_url()}">Cancel</a>' in form
    response = client.post(pause, {"reason": "On leave until March"})
    assert response.url == relationship.get_absolute_url()
    # From the dashboard (no `from`), back to the dashboard; anything else in `from` as well.
    resume = f"/relationships/{relationship.code}/resume/"
    assert client.post(f"{resume}?from=https://elsewhere.test/").url == f"/programs/{program.code}/"


def test_end_before_start_is_explained(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    client.force_login(coordinator)
    response = client.post(
        f"/relationships/{relationship.code}/end/",
        {"outcome": "completed", "reason": "Done", "ended_on": "2000-01-01"},
    )
    assert "The end date must be on or after the start." in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.is_open


def test_the_mentor_cannot_pause_or_end(client):
    program, _ = coordinated_program()
    relationship = relationship_in(program)
    client.force_login(relationship.mentor)
    for action in ("pause", "resume", "end"):
        url = f"/relationships/{relationship.code}/{action}/"
        assert client.post(url, {"reason": "x", "outcome": "completed"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(f"/relationships/{relationship.code}/pause/").status_code == 404
    assert SupportRelationship.objects.get().status == "active"
