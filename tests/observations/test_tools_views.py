"""The coordinator builds observation tools in the browser's pages: a rubric with its domains,
a checklist with its look-fors, more rows without JavaScript, changes after use, stopping
offering one, and copying one from another program they coordinate."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observations.models import ObservationTool
from tests.factories import ProgramFactory, SupportRelationshipFactory, UserFactory
from tests.observations.world import observe, pair, rubric
from tests.programs.coordinator_world import coordinated_program

pytestmark = pytest.mark.django_db


def tool_post(**overrides) -> dict:
    data = {
        "name": "Classroom interactions",
        "kind": "rubric",
        "description": "Fill it in after twenty minutes in the room.",
        "scale_min": "1",
        "scale_max": "7",
        "domains-TOTAL_FORMS": "3",
        "domains-INITIAL_FORMS": "0",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "30",
        "domains-0-name": "Warm, responsive climate",
        "domains-0-description": "How adults and children get on.",
        "domains-0-items": "Warm voices\nChildren seek the teacher out\n\n",
        "domains-1-name": "Feedback that extends learning",
        "domains-1-items": "Asks how they know",
        "domains-2-name": "",
    }
    data.update(overrides)
    return data


def test_the_tab_leads_to_the_tools_and_a_rubric_is_built_in_the_page(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    dashboard = client.get(f"/programs/{program.code}/").content.decode()
    assert f"/observations/programs/{program.code}/tools/" in dashboard

    form = client.get(f"/observations/programs/{program.code}/tools/new/")
    assert form.status_code == 200
    assert "Domain 3" in form.content.decode()  # blank rows to fill in

    response = client.post(f"/observations/programs/{program.code}/tools/new/", tool_post())
    assert response.status_code == 302
    tool = ObservationTool.objects.get()
    assert [d.name for d in tool.domains.all()] == [
        "Warm, responsive climate",
        "Feedback that extends learning",
    ]
    assert [i.text for i in tool.domains.first().items.all()] == [
        "Warm voices",
        "Children seek the teacher out",
    ]
    listing = client.get(response.url).content.decode()
    assert "Classroom interactions" in listing and "Rubric, 1 to 7" in listing


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_lost(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    response = client.post(
        f"/observations/programs/{program.code}/tools/new/",
        tool_post(
            scale_max="1",
            **{"domains-2-items": "A look-for without its domain", "domains-2-name": ""},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Name the domain, or clear the row." in page
    assert "A look-for without its domain" in page and "Warm voices" in page
    assert not ObservationTool.objects.exists()

    response = client.post(
        f"/observations/programs/{program.code}/tools/new/", tool_post(scale_max="1")
    )
    page = response.content.decode()
    assert "The highest score must be above the lowest." in page
    assert "Fill it in after twenty minutes in the room." in page
    assert not ObservationTool.objects.exists()


def test_a_checklist_needs_look_fors(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    data = tool_post(kind="checklist", **{"domains-0-items": "", "domains-1-items": ""})
    page = client.post(f"/observations/programs/{program.code}/tools/new/", data)
    assert "A checklist needs at least one look-for." in page.content.decode()
    assert not ObservationTool.objects.exists()


def test_more_rows_keeps_what_was_typed_and_saves_nothing(client):
    program, coordinator = coordinated_program()
    client.force_login(coordinator)
    response = client.post(
        f"/observations/programs/{program.code}/tools/new/", tool_post(more_rows="1")
    )
    page = response.content.decode()
    assert "Domain 6" in page and "Warm voices" in page and "Classroom interactions" in page
    assert "This field is required" not in page
    assert not ObservationTool.objects.exists()


def test_a_used_tool_keeps_its_scale_and_retires_what_is_removed(client):
    relationship, tool, coordinator = pair()
    observe(relationship, tool, [5, 4, 6])
    client.force_login(coordinator)
    url = f"/observations/tools/{tool.code}/edit/"
    page = client.get(url).content.decode()
    assert "its kind and scale stay" in page
    domains = list(tool.domains.order_by("order"))
    data = tool_post(
        **{
            "domains-TOTAL_FORMS": "3",
            "domains-INITIAL_FORMS": "3",
            **{f"domains-{n}-id": str(domain.pk) for n, domain in enumerate(domains)},
            **{f"domains-{n}-name": domain.name for n, domain in enumerate(domains)},
            "domains-0-items": "",
            "domains-1-items": "",
            "domains-2-items": "",
            "domains-2-remove": "on",
        }
    )
    refused = client.post(url, {**data, "scale_max": "5"})
    assert "its scale stays" in refused.content.decode()
    assert client.post(url, data).status_code == 302
    removed = domains[2]
    removed.refresh_from_db()
    assert removed.retired_at is not None  # kept for the observation that scored it
    assert "Deepening thinking" not in client.get(url).content.decode()


def test_stop_offering_a_tool_and_offer_it_again(client):
    relationship, tool, coordinator = pair()
    client.force_login(coordinator)
    url = f"/observations/tools/{tool.code}/offered/"
    assert "Stop offering" in client.get(url).content.decode()
    client.post(url)
    tool.refresh_from_db()
    assert not tool.active
    client.force_login(relationship.mentor)
    page = client.get(f"/observations/for/{relationship.code}/new/").content.decode()
    assert "offers no observation tools" in page
    client.force_login(coordinator)
    client.post(url)
    tool.refresh_from_db()
    assert tool.active


def test_copy_a_tool_from_another_program_they_coordinate(client):
    program, coordinator = coordinated_program()
    other = ProgramFactory(coordinators=[coordinator], name="Last year's program")
    source = rubric(other)
    rubric(ProgramFactory(name="Someone else's program"), name="Not theirs")
    client.force_login(coordinator)
    url = f"/observations/programs/{program.code}/tools/copy/"
    page = client.get(url).content.decode()
    assert "Classroom interactions (Last year&#x27;s program)" in page
    assert "Not theirs" not in page
    response = client.post(url, {"tool": str(source.code)})
    copy = ObservationTool.objects.get(program=program)
    assert response.url == f"/observations/tools/{copy.code}/edit/"
    assert copy.copied_from == source
    assert [d.name for d in copy.domains.all()] == [d.name for d in source.domains.all()]
    assert copy.pk != source.pk and source.program == other


def test_only_coordinators_build_tools(client):
    relationship, tool, _ = pair()
    program = relationship.program
    client.force_login(relationship.mentor)
    assert client.get(f"/observations/programs/{program.code}/tools/").status_code in (403, 404)
    client.force_login(UserFactory())
    assert client.get(f"/observations/tools/{tool.code}/edit/").status_code == 404


def test_tool_list_query_count_is_the_same_for_1_and_50(client):
    program, coordinator = coordinated_program()

    def count() -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/observations/programs/{program.code}/tools/")
            assert response.status_code == 200
        return len(queries)

    relationship = SupportRelationshipFactory(program=program)
    observe(relationship, rubric(program), [3, 4, 5])
    one = count()
    for n in range(49):
        rubric(program, name=f"Tool {n}")
    assert count() == one


def test_copy_page_query_count_is_the_same_for_1_and_50(client):
    program, coordinator = coordinated_program()
    other = ProgramFactory(coordinators=[coordinator])

    def count() -> int:
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(f"/observations/programs/{program.code}/tools/copy/").status_code == 200
            )
        return len(queries)

    rubric(other)
    one = count()
    for n in range(49):
        rubric(ProgramFactory(coordinators=[coordinator]), name=f"Tool {n}")
    assert count() == one
