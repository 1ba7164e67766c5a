"""A visit planned for today is logged once, in Chromium on a phone, with axe on every page:
the demo mentor plans a visit for 8:00, cannot plan it twice, then presses *Log a visit* on the
caseload, is offered the planned visit, logs that one, and nothing is left to log or cancel.
A visit planned for a day gone by is refused with a link to log it instead, on that day."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from core import clock
from relationships.models import Visit
from tests.e2e.axe import check_axe

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": PHONE}


def _checked(page: Page) -> None:
    expect(page.locator("h1")).to_have_count(1)
    check_axe(page)


def _schedule_at_eight(page: Page) -> None:
    page.get_by_role("link", name="Schedule a visit").click()
    page.locator("#id_start_time").fill("08:00")
    page.locator("#id_duration_minutes").fill("45")
    page.locator("#id_next_meeting_focus").fill("Turn-and-talk at the rug")
    page.get_by_role("button", name="Schedule the visit").click()


def test_a_visit_planned_for_today_is_logged_once(
    page: Page, live_server, demo_world, login_as, shot
):
    login_as("mentor")
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    relationship_url = page.url

    _schedule_at_eight(page)
    expect(page.get_by_text("Visit scheduled for")).to_be_visible()

    # The same date and time again: refused next to the time, with what was typed kept.
    page.goto(relationship_url)
    _schedule_at_eight(page)
    error = page.locator("#div_id_start_time .invalid-feedback")
    expect(error).to_contain_text("A visit is already scheduled on")
    expect(error).to_contain_text("at 8:00 AM")
    expect(page.locator("#id_next_meeting_focus")).to_have_value("Turn-and-talk at the rug")
    _checked(page)
    shot(page, "schedule-twice")

    # The main button on the caseload offers the planned visit first.
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Log a visit with Maya Thompson").click()
    callout = page.locator("section.planned-visits")
    today = clock.today()
    expect(callout).to_contain_text(
        f"You planned a visit for today, {today:%a} {today:%b} {today.day} at 8:00 AM"
    )
    expect(callout).to_contain_text("log that one instead")
    _checked(page)
    shot(page, "offered")
    callout.get_by_role("link", name=re.compile("^Log this visit")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Log the visit planned for")
    page.get_by_label("Observing").check()
    page.locator("#id_feedback").fill("The partners turned and talked within ten seconds.")
    page.get_by_role("button", name="Save the log").click()
    expect(page.get_by_text("Visit logged.")).to_be_visible()

    # Nothing is left to log or cancel, and the next log starts from the plain form.
    assert not Visit.objects.scheduled().filter(relationship__mentor__username="mentor", date=today)
    assert Visit.objects.logged().filter(relationship__mentor__username="mentor", date=today)
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Log a visit with Maya Thompson").click()
    expect(page.locator("section.planned-visits")).to_have_count(0)
    _checked(page)


def test_a_day_gone_by_is_logged_not_scheduled(page: Page, live_server, demo_world, login_as):
    login_as("mentor")
    page.goto(f"{live_server.url}/relationships/caseload/")
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    page.get_by_role("link", name="Schedule a visit").click()
    yesterday = clock.today() - datetime.timedelta(days=1)
    page.locator("#id_date").fill(yesterday.isoformat())
    page.locator("#id_next_meeting_focus").fill("Turn-and-talk at the rug")
    page.get_by_role("button", name="Schedule the visit").click()

    error = page.locator("#div_id_date .invalid-feedback")
    expect(error).to_contain_text("has passed: a visit that happened is logged, not scheduled.")
    expect(page.locator("#id_next_meeting_focus")).to_have_value("Turn-and-talk at the rug")
    _checked(page)
    error.get_by_role("link", name="Log it instead").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log a visit")
    expect(page.locator("#id_date")).to_have_value(yesterday.isoformat())
    _checked(page)
