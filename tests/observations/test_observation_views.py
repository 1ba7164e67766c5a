"""A mentor fills in an observation through the pages (from the relationship page or a visit's,
on a phone); its scores are charted per domain on the relationship page, for the protégé too;
everyone else gets a 404: the supervisor, a coordinator of a program that does not share logs,
anyone outside."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLogEntry
from core import clock
from observations.models import Observation, ObservationScore
from programs.models import ProtegeProfile
from tests.factories import (
    GoalFactory,
    UserFactory,
    VisitFactory,
    in_days,
)
from tests.observations.world import checklist, observe, pair

pytestmark = pytest.mark.django_db


def score_post(tool, scores: list[str], **extra) -> dict:
    domains = list(tool.domains.order_by("order"))
    data = {"tool": str(tool.code), "observed_on": clock.today().isoformat(), "note": ""}
    data.update({f"score_{d.pk}": s for d, s in zip(domains, scores, strict=True)})
    data.update(extra)
    return data


def chart_data(page: str, tool) -> dict:
    found = re.search(
        rf'<script id="observation-scores-{tool.pk}" type="application/json">(.*?)</script>',
        page,
        re.S,
    )
    assert found, "no chart data"
    return json.loads(found.group(1))


def test_a_mentor_fills_in_a_rubric_from_the_relationship_page(client):
    relationship, tool, _ = pair()
    client.force_login(relationship.mentor)
    page = client.get(relationship.get_absolute_url()).content.decode()
    new = f"/observations/for/{relationship.code}/new/"
    assert new in page and "Fill in an observation" in page

    form = client.get(new).content.decode()  # one tool: straight to its form
    assert 'type="radio"' in form and "Not observed" in form
    domain = tool.domains.order_by("order").first()
    note_field = f"note_{domain.pk}"
    response = client.post(
        new, score_post(tool, ["5", "", "6"], note="Calm start.", **{note_field: "Warm voices"})
    )
    observation = Observation.objects.get()
    assert response.url == observation.get_absolute_url()
    detail = client.get(response.url).content.decode()
    assert "5 of 7" in detail and "Not observed" in detail and "Warm voices" in detail
    assert "Calm start." in detail

    page = client.get(relationship.get_absolute_url()).content.decode()
    data = chart_data(page, tool)
    assert data["dates"] == [clock.today().isoformat()]
    assert [d["data"] for d in data["datasets"]] == [[5], [None], [6]]
    assert data["yMin"] == 1 and data["yMax"] == 7


def test_scores_over_time_are_charted_per_domain_with_their_numbers(client):
    relationship, tool, _ = pair()
    observe(relationship, tool, [3, 2, 2], days_ago=90)
    observe(relationship, tool, [4, 4, None], days_ago=45)
    observe(relationship, tool, [6, 5, 4], days_ago=1)
    client.force_login(relationship.protege)
    page = client.get(f"/observations/for/{relationship.code}/").content.decode()
    data = chart_data(page, tool)
    assert [d["label"] for d in data["datasets"]] == [
        "Warm, responsive climate",
        "Managing time and behaviour",
        "Deepening thinking",
    ]
    assert data["datasets"][0]["data"] == [3, 4, 6]
    assert data["datasets"][2]["data"] == [2, None, 4]
    # The same numbers as a table, newest first.
    table = page[page.index("<table") : page.index("</table>")]
    cells = re.findall(r'<td class="text-end">(.*?)</td>', table)
    assert cells[:3] == ["6", "5", "4"]


def test_the_protege_reads_the_chart_on_their_view_of_the_relationship(client):
    relationship, tool, _ = pair()
    observation = observe(relationship, tool, [4, 5, 6], note="Lovely circle time.")
    client.force_login(relationship.protege)
    page = client.get(relationship.get_absolute_url()).content.decode()
    assert "What your mentor or coach observed in your classroom" in page
    assert chart_data(page, tool)["datasets"][1]["data"] == [5]
    assert "Fill in an observation" not in page
    assert "Lovely circle time." in client.get(observation.get_absolute_url()).content.decode()
    assert client.get(f"/observations/for/{relationship.code}/new/").status_code == 403


def test_a_checklist_ticks_look_fors_and_charts_the_share_seen(client):
    relationship, _, _ = pair()
    tool = checklist(relationship.program)
    client.force_login(relationship.mentor)
    new = f"/observations/for/{relationship.code}/new/?tool={tool.code}"
    form = client.get(new).content.decode()
    assert 'type="checkbox"' in form and "Asks open questions" in form
    before, during = tool.domains.order_by("order")
    items = {item.text: item.pk for item in [*before.items.all(), *during.items.all()]}
    client.post(
        new,
        {
            "tool": str(tool.code),
            "observed_on": clock.today().isoformat(),
            f"seen_{before.pk}": [str(items["Sets a purpose"])],
            f"seen_{during.pk}": [str(items["Asks open questions"]), str(items["Waits 3 seconds"])],
        },
    )
    scores = dict(ObservationScore.objects.values_list("domain__name", "score"))
    assert scores == {"Before reading": 50, "During reading": 100}
    detail = client.get(Observation.objects.get().get_absolute_url()).content.decode()
    assert "50% seen" in detail and "Previews new words" in detail


def test_from_a_visit_page_it_is_tied_to_the_visit(client):
    relationship, tool, _ = pair()
    visit = VisitFactory(relationship=relationship, logged=True)
    client.force_login(relationship.mentor)
    page = client.get(visit.get_absolute_url()).content.decode()
    link = f"/observations/for/{relationship.code}/new/?visit={visit.code}"
    assert link.replace("&", "&amp;") in page or link in page
    client.post(link, score_post(tool, ["4", "4", "4"], observed_on=visit.date.isoformat()))
    observation = Observation.objects.get()
    assert observation.visit == visit and observation.observed_on == visit.date
    page = client.get(visit.get_absolute_url()).content.decode()
    assert observation.get_absolute_url() in page


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_lost(client):
    relationship, tool, _ = pair()
    client.force_login(relationship.mentor)
    new = f"/observations/for/{relationship.code}/new/"
    response = client.post(
        new, score_post(tool, ["", "", ""], note="Kept words about the morning.")
    )
    page = response.content.decode()
    assert "Score at least one domain." in page and "Kept words about the morning." in page
    response = client.post(
        new,
        score_post(tool, ["9", "3", ""], observed_on=in_days(3).isoformat(), note="Still kept."),
    )
    page = response.content.decode()
    assert "Select a valid choice. 9 is not one of the available choices." in page
    assert "Still kept." in page
    response = client.post(
        new, score_post(tool, ["2", "3", ""], observed_on=in_days(3).isoformat())
    )
    assert (
        "An observation is recorded on or after the day it was made." in response.content.decode()
    )
    assert 'value="2"' in response.content.decode()
    assert not Observation.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "outsider", "coordinator"])
def test_others_get_404_on_every_page(client, who):
    # The supervisor coordinates a program that shares logs: only the firewall keeps them out.
    relationship, tool, coordinator = pair(coordinators_read_shared_logs=who == "supervisor")
    observation = observe(relationship, tool, [4, 4, 4])
    goal = GoalFactory(relationship=relationship, agreed=True)
    person = {"outsider": UserFactory()}.get(who, coordinator)
    if who == "supervisor":
        ProtegeProfile.objects.filter(user=relationship.protege).update(supervisor=coordinator)
    client.force_login(person)
    for url in (
        observation.get_absolute_url(),
        f"/observations/for/{relationship.code}/",
        f"/observations/goals/{goal.code}/measure/",
    ):
        assert client.get(url).status_code == 404, url
    new = client.get(f"/observations/for/{relationship.code}/new/").status_code
    assert new == (404 if who == "outsider" else 403)
    if who != "outsider":  # the relationship page shows them no scores
        page = client.get(relationship.get_absolute_url()).content.decode()
        assert "observation-scores" not in page and "Classroom observations" not in page


def test_a_coordinator_of_a_program_that_shares_logs_reads_what_was_written_since(client):
    relationship, tool, coordinator = pair(coordinators_read_shared_logs=True)
    observation = observe(relationship, tool, [4, 5, 6])
    client.force_login(coordinator)
    assert client.get(observation.get_absolute_url()).status_code == 200
    assert AccessLogEntry.objects.filter(reader=coordinator, relationship=relationship).exists()


def test_a_goal_is_measured_by_a_domains_scores(client):
    relationship, tool, _ = pair()
    goal = GoalFactory(relationship=relationship, agreed=True)
    observe(relationship, tool, [3, 4, 5], days_ago=30)
    observe(relationship, tool, [4, 6, 5], days_ago=2)
    client.force_login(relationship.protege)
    page = client.get(goal.get_absolute_url()).content.decode()
    url = f"/observations/goals/{goal.code}/measure/"
    assert url in page
    domain = tool.domains.get(name="Managing time and behaviour")
    assert "Managing time and behaviour" in client.get(url).content.decode()
    assert client.post(url, {"domain": str(domain.pk)}).status_code == 302
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "Observed progress" in page
    data = chart_data(page, tool)
    assert [d["label"] for d in data["datasets"]] == ["Managing time and behaviour"]
    assert data["datasets"][0]["data"] == [4, 6]
    client.post(url, {"domain": ""})
    assert "Observed progress" not in client.get(goal.get_absolute_url()).content.decode()


def test_observation_list_query_count_is_the_same_for_1_and_50(client):
    relationship, tool, _ = pair()

    def count() -> int:
        client.force_login(relationship.mentor)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/observations/for/{relationship.code}/").status_code == 200
        return len(queries)

    observe(relationship, tool, [3, 4, 5], days_ago=100)
    one = count()
    for n in range(49):
        observe(relationship, tool, [4, 5, 6], days_ago=n)
    assert count() == one


def test_relationship_and_goal_pages_cost_the_same_for_1_and_50_observations(client):
    relationship, tool, _ = pair()
    goal = GoalFactory(relationship=relationship, agreed=True)
    client.force_login(relationship.mentor)
    client.post(
        f"/observations/goals/{goal.code}/measure/",
        {"domain": str(tool.domains.order_by("order").first().pk)},
    )

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    observe(relationship, tool, [3, 4, 5], days_ago=100)
    one = (count(relationship.get_absolute_url()), count(goal.get_absolute_url()))
    for n in range(49):
        observe(relationship, tool, [4, 5, 6], days_ago=n)
    assert (count(relationship.get_absolute_url()), count(goal.get_absolute_url())) == one
