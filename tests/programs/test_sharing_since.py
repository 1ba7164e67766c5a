"""Turning on "coordinators may read shared logs" applies to what is written from then on: the
logs, reflections and goals written before stay between the people in the relationship, on
every page and in every export."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse

from core import clock
from programs.models import Program
from tests.programs.coordinator_world import coordinated_program, plant_secrets, relationship_in
from tests.programs.test_programs_views import program_post

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def edit(client, program: Program, **changes) -> None:
    data = program_post(program.sponsor, name=program.name, **changes)
    if not data.get("coordinators_read_shared_logs"):
        data.pop("coordinators_read_shared_logs", None)
    response = client.post(reverse("programs:edit", args=[program.code]), data)
    assert response.status_code == 302, response.context["form"].errors


def read(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return html.unescape(response.content.decode())


def everything_the_coordinator_reads(client, program, relationship) -> str:
    pages = [relationship.get_absolute_url()]
    pages += [visit.get_absolute_url() for visit in relationship.visits.all()]
    pages += [f"/programs/{program.code}/export/{what}.csv" for what in ("visits", "goals")]
    readable = [
        goal.get_absolute_url()
        for goal in relationship.goals.all()
        if client.get(goal.get_absolute_url()).status_code == 200
    ]
    return "\n".join(read(client, url) for url in pages + readable)


def test_sharing_applies_to_what_is_written_after_it_is_turned_on(client):
    program, coordinator = coordinated_program()
    relationship = relationship_in(program)
    before = plant_secrets(relationship, tag="BEFORE")
    client.force_login(coordinator)

    with time_machine.travel(clock.now() + DAY, tick=False):
        edit(client, program, coordinators_read_shared_logs="on")
        program.refresh_from_db()
        assert program.shared_logs_since == clock.now()

    with time_machine.travel(clock.now() + 2 * DAY):
        after = plant_secrets(relationship, tag="AFTER")
        text = everything_the_coordinator_reads(client, program, relationship)
        old_goal = relationship.goals.get(statement__contains="BEFORE")
        assert client.get(old_goal.get_absolute_url()).status_code == 404

    assert [secret for secret in after.shared if secret not in text] == []
    assert [secret for secret in before.shared if secret in text] == []
    assert [secret for secret in before.private + after.private if secret in text] == []
    # The people in the relationship read all of it.
    client.force_login(relationship.protege)
    assert before.shared[0] in read(
        client, relationship.visits.order_by("pk")[0].get_absolute_url()
    )


def test_turning_sharing_off_and_on_again_starts_afresh(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    edit(client, program, coordinators_read_shared_logs="on")
    program.refresh_from_db()
    first = program.shared_logs_since

    with time_machine.travel(clock.now() + DAY, tick=False):
        edit(
            client,
            program,
            description="Saved again, still sharing.",
            coordinators_read_shared_logs="on",
        )
        program.refresh_from_db()
        assert program.shared_logs_since == first  # saving the form again changes nothing
        edit(client, program)
        program.refresh_from_db()
        assert program.shared_logs_since is None
    with time_machine.travel(clock.now() + 2 * DAY, tick=False):
        edit(client, program, coordinators_read_shared_logs="on")
        program.refresh_from_db()
        assert program.shared_logs_since == clock.now()


def test_the_protege_reads_from_when_sharing_applies(client):
    program, coordinator = coordinated_program(name="Induction")
    relationship = relationship_in(program)
    client.force_login(coordinator)
    with time_machine.travel(datetime.datetime(2026, 3, 9, 15, tzinfo=datetime.UTC), tick=False):
        edit(client, program, coordinators_read_shared_logs="on")
    client.force_login(relationship.protege)
    page = " ".join(read(client, reverse("relationships:my_support")).split())
    assert (
        "Induction lets its coordinators read the shared logs written since March 9, 2026." in page
    )
