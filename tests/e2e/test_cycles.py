"""Coaching cycles in Chromium at phone width: the coordinator gives a program the common four
stages and reorders them; the coach moves the resident's cycle on, ends it and starts the next;
the resident reads it; the dashboard flags the team's overdue stage. Every page is checked with
axe (tests/e2e/every_page.py)."""

import re

from playwright.sync_api import Page, expect

from relationships.models import SupportRelationship
from tests.e2e.axe import check_axe

INDUCTION = "Resident Educator Induction"
COACHING = "Early Literacy Instructional Coaching"
PHONE = {"width": 375, "height": 800}


def test_the_coordinator_sets_up_stages_and_sees_the_overdue_flag(
    page: Page, live_server, demo_world, login_as, shot
):
    page.set_viewport_size(PHONE)
    login_as("coordinator")
    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name=INDUCTION, exact=True).click()
    page.get_by_role("link", name="Coaching cycles").click()
    expect(page.get_by_text("does not organise coaching in cycles")).to_be_visible()
    page.get_by_role("button", name="Use the common four stages").click()
    expect(page.get_by_text("has the common four stages")).to_be_visible()
    rows = page.locator("tbody tr th .fw-semibold")
    expect(rows).to_have_text(
        ["Focus", "Observe", "Reflect and give feedback", "Plan"], use_inner_text=True
    )
    page.get_by_role("button", name=re.compile(r"^Up\W+Plan$")).click()
    expect(rows.nth(2)).to_contain_text("Plan")
    check_axe(page)
    shot(page, "stages")

    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name=COACHING, exact=True).click()
    expect(
        page.get_by_text("1 active relationship has a coaching cycle stage past its days.")
    ).to_be_visible()
    page.get_by_role("link", name="Show them").click()
    expect(page.get_by_role("link", name="Sunflower Room team", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Maya Thompson", exact=True)).to_have_count(0)
    check_axe(page)


def test_the_coach_moves_the_cycle_on_ends_it_and_starts_the_next(
    page: Page, live_server, demo_world, login_as, shot
):
    page.set_viewport_size(PHONE)
    login_as("coach")
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Maya Thompson", exact=True).first.click()
    cycle = page.locator("section", has=page.get_by_role("heading", name="Coaching cycle"))
    expect(cycle).to_contain_text("Cycle 2")
    expect(cycle).to_contain_text("Now: Observe")
    check_axe(page)
    shot(page, "coach-cycle")

    cycle.get_by_role("button", name="Move on to Reflect and give feedback").click()
    expect(page.get_by_text("The cycle is now in “Reflect and give feedback”")).to_be_visible()
    cycle.get_by_role("link", name="End this cycle").click()
    page.get_by_role("button", name="End the cycle").click()
    expect(page.get_by_text("Cycle 2 has ended.")).to_be_visible()

    cycle.get_by_role("link", name="Start a cycle").click()
    page.get_by_label("Goal this cycle works on").select_option(
        label="Phonological awareness in small groups"
    )
    page.get_by_label("Focus").fill("Rhymes at transitions")
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.get_by_text("Cycle 3 has started.")).to_be_visible()
    expect(cycle).to_contain_text("Now: Focus")
    check_axe(page)

    page.context.clear_cookies()
    login_as("resident")
    coaching = SupportRelationship.objects.get(program__name=COACHING, protege__username="resident")
    page.goto(live_server.url + coaching.get_absolute_url())
    expect(cycle).to_contain_text("Cycle 3")
    expect(cycle).to_contain_text("Focus: Rhymes at transitions")
    expect(cycle.get_by_role("button")).to_have_count(0)
    check_axe(page)
