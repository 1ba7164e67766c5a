"""The roll-up's pages and downloads, as a leader uses them: what they count, what they never
show, what they cost, and that a download holds exactly the page's cells."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from programs.models import OrganizationLeader
from tests.factories import (
    AcknowledgementFactory,
    ActionStepFactory,
    GoalFactory,
    OrganizationFactory,
    ProgramFactory,
    ProtegeProfileFactory,
    UserFactory,
)
from tests.leaders.world import add_relationships, district_world

pytestmark = pytest.mark.django_db

CANARY = "Canary-7Q9 private words"
TABLES = (
    "programs",
    "hours",
    "months",
    "activities",
    "dosage",
    "deadlines",
    "goals",
    "observations",
    "cohorts",
    "stages",
    "reasons",
    "waiting",
    "caseloads",
)


def page(client, query: str = "") -> str:
    response = client.get(f"/leaders/{query}")
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(client, slug: str, query: str = "") -> list[list[str]]:
    response = client.get(f"/leaders/{slug}.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_values(client, slug: str, query: str = "") -> list[list]:
    response = client.get(f"/leaders/{slug}.xlsx{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def same(value) -> str:
    """A cell as text, 9 and 9.0 alike (a spreadsheet keeps 9.0 as 9)."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value)


def table_html(html: str, slug: str) -> str:
    match = re.search(rf'<table[^>]*id="table-{slug}".*?</table>', html, flags=re.S)
    assert match, slug
    return match.group(0)


def test_a_leader_sees_their_programs_in_aggregate_and_small_cells_read_fewer_than_5(client):
    world = district_world(at_first=6, at_second=3)
    client.force_login(world.leader)
    html = page(client)
    programs = table_html(html, "programs")
    assert "District Induction" in programs
    assert ">9<" in programs  # teachers supported
    by_site = page(client, f"?site={world.schools[1].pk}")
    assert "fewer than 5" in table_html(by_site, "programs")  # South School has 3
    rows = csv_rows(client, "programs", f"?site={world.schools[1].pk}")
    assert rows[1][0] == "District Induction" and rows[1][1] == "fewer than 5"
    sheet = xlsx_values(client, "programs", f"?site={world.schools[1].pk}")
    assert ["District Induction", "fewer than 5"] == sheet[3][:2] or (
        sheet[4][:2] == ["District Induction", "fewer than 5"]
    )
    # No person's name is anywhere: only counts.
    for relationship in world.relationships:
        assert relationship.protege.last_name not in html


def test_no_conversation_or_private_text_on_the_page_or_in_any_download(client):
    """Canary text in every text field of the shared and private tiers, in a program that
    lets coordinators read shared logs: none of it reaches the leader."""
    program = ProgramFactory(coordinators_read_shared_logs=True, focus_areas="Read-alouds")
    world = district_world(program=program, at_first=0, at_second=0)
    program.sponsor = world.district
    program.save()
    relationships = add_relationships(
        program,
        world.schools[0],
        6,
        whats_working=CANARY,
        focus_challenges=CANARY,
        protege_next_steps=CANARY,
        mentor_next_steps=CANARY,
        feedback=CANARY,
        next_meeting_focus=CANARY,
        private_notes=CANARY,
        location=CANARY,
    )
    for relationship in relationships:
        visit = relationship.visits.get()
        AcknowledgementFactory(visit=visit, reflection=CANARY, private_reflection=CANARY)
        goal = GoalFactory(
            relationship=relationship, title=CANARY, focus_area=CANARY, measure_description=CANARY
        )
        ActionStepFactory(goal=goal, what=CANARY)
        relationship.end_reason = CANARY
        relationship.save()
    client.force_login(world.leader)
    assert CANARY not in page(client)
    assert "Canary" not in page(client, "?kind=mentoring")
    for slug in TABLES:
        assert "Canary" not in "".join(",".join(r) for r in csv_rows(client, slug)), slug
        assert "Canary" not in repr(xlsx_values(client, slug)), slug
    # A focus area the program does not list is counted, not named.
    assert "Other or no focus area" in table_html(page(client), "goals")


def test_the_query_count_does_not_grow_with_programs_or_relationships(client):
    world = district_world(at_first=1, at_second=0)
    client.force_login(world.leader)
    with CaptureQueriesContext(connection) as small:
        page(client)
    for n in range(4):
        add_relationships(ProgramFactory(sponsor=world.schools[n % 2]), world.schools[n % 2], 4)
    add_relationships(world.program, world.schools[1], 10)
    with CaptureQueriesContext(connection) as large:
        html = page(client)
    assert html.count("<tr") > 20
    assert len(small.captured_queries) == len(large.captured_queries)
    with CaptureQueriesContext(connection) as download:
        csv_rows(client, "months")
    assert len(download.captured_queries) <= len(large.captured_queries)


def test_a_leader_of_a_school_counts_only_that_school(client):
    world = district_world(at_first=6, at_second=7)
    school_leader = UserFactory()
    OrganizationLeader.objects.create(organization=world.schools[1], user=school_leader)
    client.force_login(school_leader)
    rows = csv_rows(client, "programs")
    assert rows[1][:2] == ["District Induction", "7"]
    # An organization outside theirs is not a choice, and is ignored if typed.
    assert csv_rows(client, "programs", f"?organization={world.schools[0].pk}")[1][1] == "7"


def test_a_supervisor_who_leads_sees_no_row_of_only_their_own_supervisees(client):
    world = district_world(at_first=0, at_second=0)
    supervisor = world.leader
    own = add_relationships(ProgramFactory(sponsor=world.district, name="Own"), world.schools[0], 6)
    for relationship in own:
        ProtegeProfileFactory(user=relationship.protege).__class__.objects.filter(
            user=relationship.protege
        ).update(supervisor=supervisor)
    add_relationships(ProgramFactory(sponsor=world.district, name="Others"), world.schools[1], 6)
    client.force_login(supervisor)
    rows = {row[0]: row for row in csv_rows(client, "programs")}
    assert rows["Own"][1] == "withheld"
    assert rows["Others"][1] != "6" or rows["Own"][1] != "6"
    assert "6" not in rows["Own"]


def test_every_table_downloads_in_both_formats_with_the_same_cells(client):
    world = district_world(at_first=7, at_second=2)
    client.force_login(world.leader)
    for slug in TABLES:
        rows = csv_rows(client, slug)
        sheet = [row for row in xlsx_values(client, slug)[3:] if any(v is not None for v in row)]
        assert [[same(v) for v in row] for row in sheet[: len(rows)]] == [
            [same(v) for v in row] for row in rows
        ], slug
    assert client.get("/leaders/nothing.csv").status_code == 404


def test_text_that_looks_like_a_formula_is_made_safe_in_the_downloads(client):
    world = district_world(at_first=6, at_second=0)
    world.program.name = '=HYPERLINK("http://example.org")'
    world.program.save()
    client.force_login(world.leader)
    assert csv_rows(client, "programs")[1][0].startswith("'=")
    assert xlsx_values(client, "programs")[4][0].startswith("'=")


def test_bad_filters_are_shown_by_their_field_and_kept(client):
    world = district_world(at_first=1, at_second=0)
    client.force_login(world.leader)
    html = page(client, "?starts_on=2026-05-01&ends_on=2026-01-01&cohort=abc")
    assert "The end must be on or after the start." in html
    assert "Enter a whole number." in html
    assert 'value="2026-05-01"' in html and 'value="abc"' in html


def test_the_programs_table_sorts_and_links_to_the_dashboards_the_leader_coordinates(client):
    world = district_world(at_first=6, at_second=0)
    other = ProgramFactory(sponsor=world.district, name="Another", coordinators=[world.leader])
    add_relationships(other, world.schools[1], 8)
    client.force_login(world.leader)
    names = [row[0] for row in csv_rows(client, "programs", "?sort=-1")[1:-1]]
    assert names == ["Another", "District Induction"]
    names = [row[0] for row in csv_rows(client, "programs", "?sort=1")[1:-1]]
    assert names == ["District Induction", "Another"]
    programs = table_html(page(client), "programs")
    assert f'href="/programs/{other.code}/"' in programs
    assert f'href="/programs/{world.program.code}/"' not in programs


def test_leaders_are_named_by_an_administrator_or_a_leader_above(client):
    world = district_world(at_first=0, at_second=0)
    admin = UserFactory(admin=True)
    newcomer = UserFactory(username="newcomer")
    school = world.schools[0]
    client.force_login(world.leader)  # leads the district, above the school
    response = client.post(f"/organizations/{school.code}/leaders/", {"person": "newcomer"})
    assert response.status_code == 302
    assert OrganizationLeader.objects.filter(organization=school, user=newcomer).exists()
    # Not the district's own leaders: that is for an administrator.
    assert client.get(f"/organizations/{world.district.code}/leaders/").status_code == 404
    # The school's leader may not name leaders of their own school, nor see the page.
    client.force_login(newcomer)
    assert client.get(f"/organizations/{school.code}/leaders/").status_code == 404
    assert client.get("/leaders/").status_code == 200
    client.force_login(admin)
    response = client.post(f"/organizations/{world.district.code}/leaders/", {"person": "nobody"})
    assert "Nobody with an account here" in response.content.decode()
    leader = OrganizationLeader.objects.get(organization=school, user=newcomer)
    client.post(f"/organizations/{school.code}/leaders/", {"remove": leader.pk})
    assert not OrganizationLeader.objects.filter(pk=leader.pk).exists()
    client.force_login(newcomer)
    assert client.get("/leaders/").status_code == 404
    outside = OrganizationFactory()
    client.force_login(world.leader)
    assert client.get(f"/organizations/{outside.code}/leaders/").status_code == 404


def test_the_leaders_page_costs_the_same_for_one_leader_and_twenty(client):
    admin = UserFactory(admin=True)
    counts = []
    for n in (1, 20):
        school = OrganizationFactory()
        for _ in range(n):
            OrganizationLeader.objects.create(
                organization=school, user=UserFactory(), granted_by=admin
            )
        client.force_login(admin)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/organizations/{school.code}/leaders/")
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_roll_up_and_its_downloads_speak_spanish(client):
    try:
        world = district_world(at_first=6, at_second=3)
        client.force_login(world.leader)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
        query = f"?site={world.schools[1].pk}"
        html = page(client, query)
        assert "Resumen consolidado de sus programas" in html
        assert "menos de 5" in table_html(html, "programs")
        assert "fewer than" not in html
        rows = csv_rows(client, "programs", query)
        assert rows[0][0] == "Programa"
        assert rows[1][0] == "District Induction" and rows[1][1] == "menos de 5"
    finally:
        translation.activate("en")  # the Spanish request leaves Spanish on
