"""The relationship page in Chromium: a coordinator comes to it from the dashboard and goes
back; on a phone the visits, goals and timeline come before the profiles."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import check_axe

INDUCTION = "Resident Educator Induction"


def test_a_coordinator_opens_a_relationship_from_the_dashboard_and_goes_back(
    page: Page, live_server, demo_world, login_as, shot
):
    login_as("coordinator")
    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name=INDUCTION, exact=True).click()
    page.get_by_role("link", name="Maya Thompson", exact=True).click()

    expect(page.locator("h1")).to_have_text("Maya Thompson")
    expect(page.get_by_text("Mentor: David Kim")).to_be_visible()
    actions = page.get_by_role("group", name="Coordinator actions")
    expect(actions.get_by_role("link", name="Pause Maya Thompson")).to_be_visible()
    expect(actions.get_by_role("link", name="End Maya Thompson")).to_be_visible()
    check_axe(page)
    shot(page, "coordinator")

    page.get_by_role("link", name=INDUCTION, exact=True).click()
    expect(page.locator("h1")).to_have_text(INDUCTION)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_profiles_follow_the_visits_on_a_phone_and_sit_beside_them_on_a_desk(
    page: Page, live_server, demo_world, login_as, shot, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login_as("coach")
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Sunflower Room team", exact=True).click()

    visits = page.get_by_role("heading", name="Scheduled visits").bounding_box()
    timeline = page.get_by_role("heading", name="Timeline").bounding_box()
    team = page.get_by_role("heading", name="The team", exact=True).bounding_box()
    if width < 992:  # Bootstrap's lg breakpoint: one column
        assert visits["y"] < timeline["y"] < team["y"]
    else:  # the profiles on the right, level with the scheduled visits
        assert team["x"] > visits["x"] + visits["width"]
        assert team["y"] < timeline["y"]
    check_axe(page)
    shot(page, f"coach-team-{width}")
