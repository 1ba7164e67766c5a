"""Each demo person logs in and finds what they hold on their home page, accessibly."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import check_axe

HOME_PAGES = {
    "coordinator": [
        "Programs you coordinate",
        "Resident Educator Induction",
        "Early Literacy Instructional Coaching",
        "Student Teaching Placement",
    ],
    "mentor": ["My caseload", "Maya Thompson"],
    "resident": [
        "My support",
        "Rachel Greene",
        "your coach",
        "David Kim",
        "your mentor",
        "1 log to acknowledge",
        "Neither a mentor nor a coach is your supervisor",
    ],
    "supervisor": ["Teachers you supervise"],
}


@pytest.mark.parametrize("username", sorted(HOME_PAGES))
def test_home_page_shows_what_each_person_holds(
    username, page: Page, live_server, demo_world, login_as, shot
):
    login_as(username)  # signing in lands on the home page
    expect(page).to_have_url(f"{live_server.url}/")

    expect(page.locator("h1")).to_contain_text("Welcome")
    for text in HOME_PAGES[username]:
        expect(page.locator("main")).to_contain_text(text)
    if username == "supervisor":
        # The firewall: nothing of the mentoring shows on the supervisor's home page.
        expect(page.locator("main")).not_to_contain_text("David Kim")
        expect(page.locator("main")).not_to_contain_text("Rachel Greene")
    check_axe(page)
    shot(page, username)
