"""Observation tools in Chromium: the demo mentor fills in the rubric at a visit on a phone
(radio buttons for the scale, a note per domain), a wrong day is refused with the scores kept,
and the resident reads the scores on their view of the relationship. axe runs on every page
(tests/e2e/every_page.py)."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from core import clock

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": PHONE}


def test_a_mentor_fills_in_the_rubric_at_a_visit_on_a_phone(
    page: Page, live_server, demo_world, login_as, shot
):
    login_as("mentor")
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    expect(page.get_by_role("heading", name="Classroom observations")).to_be_visible()
    # A logged visit of the timeline, and the observation from its page.
    page.locator(".timeline-visit a.fw-semibold").first.click()
    page.get_by_role("link", name="Fill in an observation at this visit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Classroom interactions")

    warm = page.get_by_role("group", name="Warm, responsive climate")
    warm.get_by_text("6", exact=True).click()
    talk = page.get_by_role("group", name="Deepening thinking through talk")
    talk.get_by_text("5", exact=True).click()
    talk.get_by_label("Note on Deepening thinking through talk").fill("Why-questions at snack.")
    # A day still to come is refused next to the field; the scores stay chosen.
    tomorrow = clock.today() + datetime.timedelta(days=1)
    page.get_by_label("Observed on").fill(tomorrow.isoformat())
    shot(page, "observation-form")
    page.get_by_role("button", name="Save the observation").click()
    expect(
        page.get_by_text("An observation is recorded on or after the day it was made.").first
    ).to_be_visible()
    expect(warm.get_by_label("6", exact=True)).to_be_checked()
    expect(talk.get_by_label("Note on Deepening thinking through talk")).to_have_value(
        "Why-questions at snack."
    )
    page.get_by_label("Observed on").fill(clock.today().isoformat())
    page.get_by_role("button", name="Save the observation").click()
    expect(page.get_by_text("The observation is saved.")).to_be_visible()
    expect(page.get_by_text("6 of 7")).to_be_visible()
    expect(page.get_by_text("Why-questions at snack.")).to_be_visible()
    shot(page, "observation")

    # The resident reads it on their view of the relationship, charted and in the table.
    page.context.clear_cookies()
    login_as("resident")
    page.goto(f"{live_server.url}/relationships/my-support/")
    page.get_by_role("link", name="What David Kim observed, domain by domain, over time").click()
    expect(page.get_by_role("heading", name="Classroom interactions")).to_be_visible()
    expect(page.locator("canvas[data-chart-ready]")).to_have_count(1)
    expect(page.locator("table.observation-scores tbody tr").first).to_contain_text("6")


def test_a_coordinator_builds_a_checklist_and_copies_the_rubric_on_a_phone(
    page: Page, live_server, demo_world, login_as
):
    login_as("coordinator")
    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name="Student Teaching Placement").first.click()
    page.get_by_role("link", name="Observation tools").first.click()
    expect(page.get_by_text("No observation tools yet.")).to_be_visible()

    page.get_by_role("link", name="New tool").click()
    page.get_by_label("Name").fill("Read-aloud look-fors")
    page.get_by_label("Checklist of look-fors").check()
    first = page.get_by_role("group", name="Domain 1")
    first.get_by_label("Domain", exact=True).fill("During reading")
    first.get_by_label("Look-fors or indicators, one a line").fill(
        "Asks open questions\nWaits three seconds"
    )
    page.get_by_role("button", name="More rows").click()
    expect(page.get_by_role("group", name="Domain 6")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Read-aloud look-fors")
    page.get_by_role("button", name="Save the tool").click()
    expect(page.get_by_text("The tool “Read-aloud look-fors” is saved.")).to_be_visible()

    page.get_by_role("link", name="Copy from another program").click()
    page.get_by_label("Classroom interactions (Early Literacy Instructional Coaching)").check()
    page.get_by_role("button", name="Copy it").click()
    expect(page.get_by_text("is copied into Student Teaching Placement")).to_be_visible()
    expect(
        page.get_by_role("group", name="Domain 4").get_by_label("Domain", exact=True)
    ).to_have_value("Feedback that extends learning")
    page.get_by_role("link", name="Observation tools").first.click()
    page.get_by_role("link", name="Stop offering Read-aloud look-fors").click()
    page.get_by_role("button", name="Stop offering it").click()
    expect(page.get_by_text("Not offered")).to_be_visible()


def test_a_mentor_measures_a_goal_by_a_domain(page: Page, live_server, demo_world, login_as):
    login_as("mentor")
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    page.get_by_role("link", name="Raise participation with turn-and-talk").first.click()
    page.get_by_role("link", name="Measure this goal by an observation domain").click()
    page.get_by_label("Classroom interactions: Deepening thinking through talk").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Observed progress")).to_be_visible()
    expect(page.locator("#domain-measure table tbody tr")).to_have_count(3)
