"""Coordinators never see the private tier, and see the shared-conversation tier only when
the program lets them (never for a protégé they supervise). Checked on every coordinator page
and every export, with unique strings planted in log sections, reflections, goal details,
action steps, progress notes, private notes and private reflections."""

import pytest

from goals.models import GoalTemplate
from tests.factories import ClassroomTeamFactory, ProtegeProfileFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program, plant_secrets, relationship_in

pytestmark = pytest.mark.django_db

EXPORTS = ("relationships", "visits", "goals")


def coordinator_pages(program, relationship, enrollment, team, template) -> list[str]:
    p = f"/programs/{program.code}"
    r = f"/relationships/coordinate/{program.code}"
    return [
        "/programs/",
        f"{p}/",
        f"{p}/?status=all&flag=any",
        f"{p}/edit/",
        f"{p}/archive/",
        f"{p}/roles/",
        f"{p}/roles/edit/",
        f"{p}/participants/",
        f"{p}/participants/?state=all",
        f"{p}/participants/add/",
        f"{p}/participants/import/",
        f"{p}/participants/{enrollment.code}/leave/",
        f"{r}/match/",
        f"{r}/match/?format=individual&protege={enrollment.code}&kind={relationship.kind}",
        f"{r}/teams/",
        f"{r}/teams/new/",
        f"/relationships/teams/{team.code}/edit/",
        f"/relationships/{relationship.code}/pause/",
        f"/relationships/{relationship.code}/resume/",
        f"/relationships/{relationship.code}/end/",
        f"/goals/programs/{program.code}/templates/",
        f"/goals/programs/{program.code}/templates/new/",
        f"/goals/templates/{template.code}/edit/",
        f"/goals/templates/{template.code}/retire/",
    ]


def read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def world(**program_kwargs):
    program, coordinator = coordinated_program(support_model="both", **program_kwargs)
    relationship = relationship_in(program)
    secrets = plant_secrets(relationship)
    enrollment = relationship.protege.enrollments.get(program=program)
    team = ClassroomTeamFactory(program=program)
    template = GoalTemplate.objects.create(program=program, title="Read-alouds")
    pages = coordinator_pages(program, relationship, enrollment, team, template)
    return program, coordinator, relationship, secrets, pages


def test_no_shared_or_private_content_on_any_coordinator_page_or_export(client):
    program, coordinator, relationship, secrets, pages = world()
    client.force_login(coordinator)
    for url in pages + [f"/programs/{program.code}/export/{what}.csv" for what in EXPORTS]:
        text = read(client, url)
        leaked = [secret for secret in secrets.all if secret in text]
        assert not leaked, f"{url} shows {leaked}"
    # Logistics are there: the goal's title and the visit itself.
    visits = read(client, f"/programs/{program.code}/export/visits.csv")
    assert str(relationship.visits.get().code) in visits
    goals = read(client, f"/programs/{program.code}/export/goals.csv")
    assert relationship.goals.get().title in goals


def test_admin_sees_no_conversation_either(client):
    program, _, _, secrets, pages = world(coordinators_read_shared_logs=True)
    client.force_login(UserFactory(admin=True))
    for url in pages + [f"/programs/{program.code}/export/{what}.csv" for what in EXPORTS]:
        text = read(client, url)
        assert not [s for s in secrets.all if s in text], url


def test_sharing_program_exports_the_shared_tier_but_never_the_private(client):
    program, coordinator, _, secrets, pages = world(coordinators_read_shared_logs=True)
    client.force_login(coordinator)
    exported = "".join(
        read(client, f"/programs/{program.code}/export/{what}.csv") for what in EXPORTS
    )
    visit_and_goal_sections = [
        s for s in secrets.shared if any(k in s for k in ("working", "feedback", "statement"))
    ]
    for secret in visit_and_goal_sections:
        assert secret in exported
    assert not [s for s in secrets.private if s in exported]
    for url in pages:
        text = read(client, url)
        assert not [s for s in secrets.private if s in text], url


def test_sharing_stops_at_a_protege_the_coordinator_supervises(client):
    program, coordinator = coordinated_program(coordinators_read_shared_logs=True)
    supervised = relationship_in(program)
    ProtegeProfileFactory(user=supervised.protege)
    supervised.protege.protege_profile.supervisor = coordinator
    supervised.protege.protege_profile.save()
    other = relationship_in(program)
    hidden = plant_secrets(supervised, tag="sup")
    shown = plant_secrets(other, tag="oth")
    client.force_login(coordinator)
    exported = "".join(
        read(client, f"/programs/{program.code}/export/{what}.csv") for what in EXPORTS
    )
    assert not [s for s in hidden.all if s in exported]
    assert [s for s in shown.shared if s in exported]
    assert str(supervised.code) in exported  # logistics stay visible to a coordinator
