"""The coordinator's program pages and the charts in Chromium: matching when nobody can be
suggested, the tab strip on a phone, the role descriptions' layout on screen and on paper, the
colours of the goals doughnut, and the progress line drawn by date.

axe runs on every page visited; screenshots land in test-output/screenshots/."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from goals.models import Goal
from programs.models import Program
from tests.e2e.axe import check_axe

INDUCTION = "Resident Educator Induction"
COACHING = "Early Literacy Instructional Coaching"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def coordinator(page: Page, live_server, demo_world, login_as):
    login_as("coordinator")
    return page


def url(live_server, name: str, program: str) -> str:
    code = Program.objects.get(name=program).code
    return live_server.url + reverse(name, args=[code])


def drawn(page: Page, selector: str) -> dict:
    """What Chart.js drew for the chart `selector` (site.js keeps the chart on its canvas)."""
    expect(page.locator(f"{selector}[data-chart-ready]")).to_have_count(1)
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector);
            const chart = (box.tagName === "CANVAS" ? box : box.querySelector("canvas")).chart;
            return {
                labels: chart.data.labels,
                datasets: chart.data.datasets.map((d, i) => ({
                    label: d.label,
                    colours: d.backgroundColor,
                    tension: chart.getDatasetMeta(i).dataset
                        ? chart.getDatasetMeta(i).dataset.options.tension : null,
                    xs: chart.getDatasetMeta(i).data.map(point => point.x),
                })),
                xType: chart.scales.x ? chart.scales.x.type : null,
                xTicks: chart.scales.x ? chart.scales.x.ticks.map(tick => tick.label) : [],
            };
        }""",
        selector,
    )


def test_matching_a_protege_who_has_a_mentor_says_so_at_step_one(
    coordinator: Page, live_server, shot
):
    page = coordinator
    page.goto(url(live_server, "relationships:match", INDUCTION))
    # One open mentoring relationship at a time: step one says whom she has, and offers no
    # mentor to choose (the case of nobody to suggest: tests/relationships/).
    page.get_by_label("Protégé").select_option(label="Maya Thompson (matched)")
    page.get_by_role("button", name="Suggest mentors and coaches").click()
    expect(page.get_by_text("already has an open mentoring relationship").first).to_be_visible()
    expect(page.get_by_role("button", name="Create the relationship")).to_have_count(0)
    check_axe(page)
    shot(page, "desk")
    page.set_viewport_size(PHONE)
    shot(page, "phone")
    expect(page.get_by_role("button", name="Suggest mentors and coaches")).to_be_visible()


@pytest.mark.parametrize(
    "name,tab",
    [("goals:template_list", "Goal templates"), ("programs:edit", "Configuration")],
)
def test_the_active_tab_is_on_screen_on_a_phone(coordinator: Page, live_server, shot, name, tab):
    page = coordinator
    page.set_viewport_size(PHONE)
    page.goto(url(live_server, name, INDUCTION))
    active = page.get_by_role("navigation", name="Program sections").locator("[aria-current=page]")
    expect(active).to_have_text(tab)
    box = active.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("window.scrollY") == 0  # the strip scrolled, not the page
    check_axe(page)
    shot(page, full_page=False)


def test_role_descriptions_heading_lead_then_tabs_and_no_tabs_on_paper(
    coordinator: Page, live_server, shot
):
    page = coordinator
    page.goto(url(live_server, "programs:roles", COACHING))
    heading = page.get_by_role("heading", level=1)
    lead = page.locator(".page-header .lead-muted")
    tabs = page.get_by_role("navigation", name="Program sections")
    expect(heading).to_have_text(f"Roles in {COACHING}")
    expect(lead).to_contain_text("Riverbend Unified School District")
    assert heading.bounding_box()["y"] < lead.bounding_box()["y"] < tabs.bounding_box()["y"]
    check_axe(page)
    shot(page, "desk")
    page.set_viewport_size(PHONE)
    shot(page, "phone")
    page.emulate_media(media="print")
    expect(tabs).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(heading).to_be_visible()
    expect(lead).to_be_visible()
    shot(page, "print")


def test_each_goal_status_keeps_its_colour_on_every_dashboard(coordinator: Page, live_server):
    page = coordinator
    colours = {}
    for program in (INDUCTION, COACHING):
        page.goto(url(live_server, "programs:detail", program))
        doughnut = drawn(page, "[data-chart=doughnut]")
        for label, colour in zip(
            doughnut["labels"], doughnut["datasets"][0]["colours"], strict=True
        ):
            assert colours.setdefault(label, colour) == colour, f"{label} changed colour"
    assert colours["Met"] == "#1d6f3b"  # the demo has met goals
    assert len(set(colours.values())) == len(colours)


def test_progress_is_drawn_by_date_with_straight_lines(
    page: Page, live_server, demo_world, login_as, shot
):
    page.emulate_media(reduced_motion="reduce")  # site.js then draws without animation
    goal = Goal.objects.get(title="Raise participation with turn-and-talk")
    login_as(goal.relationship.mentor.username)
    page.goto(live_server.url + goal.get_absolute_url())
    check_axe(page)
    line = drawn(page, "canvas[data-chart=line]")
    progress, *flat = line["datasets"]
    assert progress["tension"] == 0
    assert line["xType"] == "linear"
    # Points sit by date: a gap twice as long is twice as wide.
    dates = [entry.date for entry in goal.progress_entries.order_by("date")]
    xs = progress["xs"]
    for i in range(1, len(dates) - 1):
        days = (dates[i + 1] - dates[i]).days / (dates[i] - dates[i - 1]).days
        width = (xs[i + 1] - xs[i]) / (xs[i] - xs[i - 1])
        assert width == pytest.approx(days, rel=0.02)
    assert all(tick[:3].isalpha() and tick[-1].isdigit() for tick in line["xTicks"])  # "Oct 16"
    assert [dataset["label"] for dataset in flat] == ["Target", "Baseline"]
    # The target runs from the first point to the last.
    assert flat[0]["xs"] == [xs[0], xs[-1]]
    page.locator("#progress").scroll_into_view_if_needed()
    shot(page, "desk", full_page=False)
    page.set_viewport_size(PHONE)
    page.reload()
    page.locator("#progress").scroll_into_view_if_needed()
    shot(page, "phone", full_page=False)
