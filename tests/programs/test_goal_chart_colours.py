"""The dashboard's doughnut of goals by status: each status keeps its colour on every
dashboard, whichever other statuses it shows, legible on white; the table beside the chart
lists every status with its count."""

import json
import re

import pytest

from goals.models import Goal
from tests.factories import GoalFactory, UserFactory
from tests.programs.coordinator_world import coordinated_program, relationship_in

pytestmark = pytest.mark.django_db


def dashboard(client, statuses: list[str]) -> str:
    """The dashboard of a new program with one goal in each of `statuses`."""
    program, coordinator = coordinated_program(coordinator=UserFactory())
    relationship = relationship_in(program)
    for status in statuses:
        if status in Goal.OPEN_STATUSES:
            GoalFactory(relationship=relationship, status=status)
        else:
            GoalFactory(relationship=relationship, met=True, status=status, close_reason="Moved")
    client.force_login(coordinator)
    return client.get(f"/programs/{program.code}/").content.decode()


def slice_colours(page: str) -> dict[str, str]:
    data = json.loads(
        re.search(r'id="goals-chart-data" type="application/json">(.*?)</script>', page).group(1)
    )
    assert len(data["colors"]) == len(data["labels"]) == len(data["values"])
    return dict(zip(data["labels"], data["colors"], strict=True))


def contrast_on_white(colour: str) -> float:
    """WCAG's contrast ratio of `colour` ("#rrggbb") against white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_met_keeps_its_colour_whichever_statuses_a_dashboard_shows(client):
    first = slice_colours(dashboard(client, ["proposed", "in_progress", "met"]))
    second = slice_colours(dashboard(client, ["met", "not_met"]))
    assert list(first) == ["Proposed", "In progress", "Met"]
    assert list(second) == ["Met", "Not met"]  # Met comes first here, third there
    assert first["Met"] == second["Met"]


def test_every_status_has_its_own_colour_legible_on_white(client):
    page = dashboard(client, list(Goal.Status.values))
    colours = slice_colours(page)
    assert list(colours) == list(Goal.Status.labels)
    assert len(set(colours.values())) == len(colours)
    for label, colour in colours.items():
        assert contrast_on_white(colour) >= 3, f"{label} ({colour}) is too light on white"


def test_the_table_lists_every_status_including_those_without_goals(client):
    page = dashboard(client, ["met", "met", "agreed"])
    row = r'<th scope="row" class="fw-normal">([^<]+)</th><td class="text-end">(\d+)<'
    rows = dict(re.findall(row, page))
    for label in Goal.Status.labels:
        assert label in rows
    assert (rows["Met"], rows["Agreed"], rows["Not met"]) == ("2", "1", "0")
    assert list(slice_colours(page)) == ["Agreed", "Met"]  # the chart leaves out the empty ones
