"""The coordinator's dashboard and the leaders' roll-up show each domain's average score only
under the small-cell rule: a domain observed with fewer than five teachers reads "fewer than
5", and no figure of it shows."""

import csv
import io
import re

import pytest

from programs.models import ProtegeProfile
from tests.factories import ProgramFactory, SupportRelationshipFactory
from tests.leaders.world import add_relationships, district_world
from tests.observations.world import observe, pair, rubric

pytestmark = pytest.mark.django_db


def averages_table(page: str) -> str:
    start = page.index('class="table table-sm align-middle bg-white domain-averages"')
    return page[start : page.index("</table>", start)]


def row_of(table: str, domain: str) -> list[str]:
    row = re.search(rf"<tr><th scope=\"row\"[^>]*>[^<]*{re.escape(domain)}</th>(.*?)</tr>", table)
    assert row, domain
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_the_dashboard_shows_a_domain_average_only_from_five_teachers(client):
    relationship, tool, coordinator = pair()
    program = relationship.program
    observe(relationship, tool, [4, 4, 4])
    for score in (5, 6, 5):
        observe(SupportRelationshipFactory(program=program), tool, [score, 3, None])
    client.force_login(coordinator)
    table = averages_table(client.get(f"/programs/{program.code}/").content.decode())
    warm = row_of(table, "Warm, responsive climate")
    assert warm == ["1–7", "fewer than 5", "fewer than 5", "fewer than 5"]
    assert "5.0" not in table and "4.0" not in table

    observe(SupportRelationshipFactory(program=program), tool, [7, 5, 2])
    table = averages_table(client.get(f"/programs/{program.code}/").content.decode())
    # (4 + 5 + 6 + 5 + 7) / 5 teachers
    assert row_of(table, "Warm, responsive climate") == ["1–7", "5", "5", "5.4"]
    # Scored for all five, with one who was not observed in the third domain: four teachers.
    assert row_of(table, "Deepening thinking") == [
        "1–7",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
    ]


def test_the_dashboard_withholds_a_domain_that_describes_only_the_viewers_supervisees(client):
    relationship, tool, coordinator = pair()
    program = relationship.program
    people = [relationship] + [SupportRelationshipFactory(program=program) for _ in range(4)]
    for each in people:
        ProtegeProfile.objects.filter(user=each.protege).update(supervisor=coordinator)
        observe(each, tool, [5, 5, 5])
    client.force_login(coordinator)
    table = averages_table(client.get(f"/programs/{program.code}/").content.decode())
    assert row_of(table, "Warm, responsive climate")[1:] == ["withheld"] * 3


def rollup_rows(client) -> dict[str, list[str]]:
    response = client.get("/leaders/observations.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    return {row[0]: row for row in rows[1:]}


def test_the_rollup_averages_domains_across_programs_under_the_small_cell_rule(client):
    world = district_world(at_first=3, at_second=1)
    tool = rubric(world.program)
    for relationship, score in zip(world.relationships, (3, 4, 5, 6), strict=True):
        observe(relationship, tool, [score, 4, 4])
    client.force_login(world.leader)
    rows = rollup_rows(client)
    assert rows["Classroom interactions: Warm, responsive climate"][2:] == [
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
    ]
    page = client.get("/leaders/").content.decode()
    assert "Observation scores by domain" in page and "4.5" not in page

    # Another program of the district uses a copy of the tool: its domains count together.
    other = ProgramFactory(sponsor=world.district, name="District Coaching")
    copy = rubric(other)
    for relationship in add_relationships(other, world.schools[1], 2):
        observe(relationship, copy, [7, 4, 4])
    rows = rollup_rows(client)
    # (3 + 4 + 5 + 6 + 7 + 7) / 6 observations of six teachers
    assert rows["Classroom interactions: Warm, responsive climate"][2:] == ["6", "6", "5.3"]
