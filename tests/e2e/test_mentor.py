"""The mentor and coach workspace in Chromium, on a phone-sized screen, with axe on every page.

1. The demo mentor schedules a visit, logs it, edits the log, and sets a collaborative goal;
   the demo protégé (resident) agrees to it; the mentor records three progress points and sees
   them on the chart, then corrects one and withdraws another.
2. The demo coach assigns a prescribed goal to the classroom team; a team member sees it.
"""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from core import clock
from tests.e2e.axe import check_axe

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": PHONE}


def _switch_user(page: Page, login_as, username: str) -> None:
    page.context.clear_cookies()
    login_as(username)


def _checked(page: Page, url: str = "") -> None:
    """Every page visited passes axe and shows exactly one h1."""
    if url:
        page.goto(url)
    expect(page.locator("h1")).to_have_count(1)
    check_axe(page)


def test_mentor_visit_and_goal_journey(page: Page, live_server, demo_world, login_as, shot):
    base = live_server.url
    login_as("mentor")

    # The caseload, on a phone.
    _checked(page, f"{base}/relationships/caseload/")
    expect(page.get_by_role("heading", name="Resident Educator Induction")).to_be_visible()
    shot(page, "caseload")
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    _checked(page)
    expect(page.get_by_text("Resident teacher, year 2")).to_be_visible()
    relationship_url = page.url

    # Schedule a visit for later today (the form starts on today's date).
    visit_day = clock.today()
    page.get_by_role("link", name="Schedule a visit").click()
    _checked(page)
    expect(page.locator("#id_location")).to_have_value(re.compile("Room 112"))
    expect(page.locator("#id_date")).to_have_value(visit_day.isoformat())
    page.locator("#id_start_time").fill("07:15")
    page.locator("#id_duration_minutes").fill("45")
    page.locator("#id_next_meeting_focus").fill("Family newsletter draft")
    shot(page, "schedule")
    page.get_by_role("button", name="Schedule the visit").click()
    expect(page.get_by_text("Visit scheduled for")).to_be_visible()
    _checked(page)

    # After the visit, turn it into a log: the first scheduled visit is the one just made.
    page.get_by_role("link", name=re.compile(r"^Log it")).first.click()
    _checked(page)
    expect(page.locator("#id_date")).to_have_value(visit_day.isoformat())
    page.get_by_label("Observing").check()
    page.get_by_label("Feedback", exact=True).check()
    page.get_by_label("Communicating with families").check()
    page.get_by_label("Build two-way communication with families").check()
    page.locator("#id_whats_working").fill("The newsletter draft is warm and short.")
    page.locator("#id_focus_challenges").fill("Reaching families who do not read English.")
    page.locator("#id_feedback").fill("Your photo of the block tower says more than a page.")
    page.locator("#id_protege_next_steps").fill("Send the newsletter on Friday.")
    page.locator("#id_mentor_next_steps").fill("Find a translation helper.")
    page.locator("#id_private_notes").fill("Ask gently about the parent complaint.")
    page.locator("#id_schedule_next").uncheck()
    shot(page, "log-form")
    page.get_by_role("button", name="Save the log").click()
    expect(page.get_by_text("Visit logged.")).to_be_visible()
    _checked(page)
    expect(page.locator(".private-note")).to_contain_text("Ask gently about the parent complaint.")
    expect(page.locator(".private-note")).to_contain_text("only you can read this")
    shot(page, "logged")

    # Edit the log (not yet acknowledged).
    page.get_by_role("link", name="Edit the log").click()
    _checked(page)
    page.locator("#id_feedback").fill(
        "Your photo of the block tower says more than a page of text."
    )
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    expect(page.get_by_text("says more than a page of text.")).to_be_visible()
    _checked(page)

    # A collaborative goal, written with the PEERS questions in view.
    page.goto(relationship_url)
    page.get_by_role("link", name="New goal").click()
    _checked(page)
    expect(page.get_by_text("Is it a PEERS goal?")).to_be_visible()
    page.locator("#id_title").fill("Read more picture books aloud")
    page.locator("#id_statement").fill(
        "Children hear at least three picture books a day, with time to talk about each."
    )
    page.locator("#id_student_focused").check()
    page.locator("#id_measure_description").fill("Books read aloud per day (average of a week)")
    page.locator("#id_baseline").fill("1")
    page.locator("#id_target").fill("3")
    page.locator("#id_unit").fill("books")
    shot(page, "goal-form")
    page.get_by_role("button", name="Propose the goal").click()
    expect(page.get_by_text("Goal proposed.")).to_be_visible()
    _checked(page)
    goal_url = page.url

    # The protégé agrees.
    _switch_user(page, login_as, "resident")
    _checked(page, goal_url)
    page.get_by_role("button", name="I agree to this goal").click()
    expect(page.get_by_text("agreed by both of you")).to_be_visible()
    expect(page.locator(".badge", has_text="Agreed")).to_be_visible()
    _checked(page)

    # The mentor records three progress points and sees them on the chart.
    _switch_user(page, login_as, "mentor")
    page.goto(goal_url)
    today = clock.today()
    for days_ago, value in ((14, "1.5"), (7, "2"), (0, "2.5")):
        if not page.locator("details:has(#id_progress-value)").get_attribute("open") == "":
            page.get_by_text("Record a data point").click()
        page.locator("#id_progress-date").fill(
            (today - datetime.timedelta(days=days_ago)).isoformat()
        )
        page.locator("#id_progress-value").fill(value)
        page.get_by_role("button", name="Record", exact=True).click()
        expect(page.get_by_text("Progress recorded")).to_be_visible()
    _checked(page)
    expect(page.locator(".progress-table tbody tr")).to_have_count(3)
    chart = page.locator("canvas[data-chart='line']")
    expect(chart).to_have_attribute("data-chart-ready", "")
    points = page.evaluate(
        "() => document.querySelector(\"canvas[data-chart='line']\").chart.data.datasets"
        ".map(d => ({label: d.label, data: d.data}))"
    )
    assert points[0]["data"] == [1.5, 2, 2.5]
    assert any(dataset["label"] == "Target" for dataset in points)
    page.locator("#progress").scroll_into_view_if_needed()
    shot(page, "chart")

    # Today's 2.5 was a typo for 3, and last week's point was counted twice: the mentor
    # corrects the one and withdraws the other.
    rows = page.locator(".progress-table tbody tr")
    rows.nth(2).get_by_role("link", name=re.compile("^Correct or withdraw")).click()
    _checked(page)
    page.locator("#id_progress-value").fill("3")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("The point is corrected")).to_be_visible()
    rows.nth(1).get_by_role("link", name=re.compile("^Correct or withdraw")).click()
    page.get_by_role("button", name="Withdraw this point").click()
    expect(page.get_by_text("The point is withdrawn")).to_be_visible()
    expect(rows).to_have_count(2)
    page.get_by_text("Withdrawn point (1)").click()
    expect(page.locator(".withdrawn-points")).to_contain_text("withdrawn by you")
    _checked(page)
    expect(chart).to_have_attribute("data-chart-ready", "")
    points = page.evaluate(
        "() => document.querySelector(\"canvas[data-chart='line']\").chart.data.datasets[0].data"
    )
    assert points == [1.5, 3]


def test_coach_assigns_a_prescribed_goal_to_the_team(
    page: Page, live_server, demo_world, login_as, shot
):
    base = live_server.url
    login_as("coach")
    _checked(page, f"{base}/relationships/caseload/")
    page.get_by_role("link", name="Sunflower Room team", exact=True).click()
    _checked(page)
    expect(page.get_by_text("The log and the goals belong to the team")).to_be_visible()

    page.get_by_role("link", name="Assign a prescribed goal").click()
    _checked(page)
    expect(page.get_by_text("Already open here")).to_be_visible()
    page.get_by_label(re.compile("Vocabulary-rich conversations")).check()
    page.locator("#id_baseline").fill("1")
    page.locator("#id_target").fill("4")
    page.locator("#id_unit").fill("conversations")
    shot(page, "assign")
    page.get_by_role("button", name="Assign the goal").click()
    expect(page.get_by_text("Goal assigned: Vocabulary-rich conversations.")).to_be_visible()
    _checked(page)
    expect(page.locator(".badge", has_text="Agreed")).to_be_visible()
    goal_url = page.url
    shot(page, "assigned")

    # The goal belongs to the team: each member sees it.
    _switch_user(page, login_as, "teammate")
    _checked(page, goal_url)
    expect(page.get_by_role("heading", name="Vocabulary-rich conversations")).to_be_visible()
    shot(page, "teammate")


def test_every_other_workspace_page_passes_axe(page: Page, live_server, demo_world, login_as, shot):
    """The pages the two journeys above do not pass through, each checked with axe."""
    from goals.models import Goal
    from relationships.models import SupportRelationship, Visit

    relationship = SupportRelationship.objects.open().get(
        mentor__username="mentor", protege__username="resident"
    )
    scheduled = relationship.visits.filter(status=Visit.Status.SCHEDULED).first()
    cancelled = relationship.visits.filter(status=Visit.Status.CANCELLED).first()
    talk = relationship.goals.get(title__icontains="turn-and-talk")
    met = relationship.goals.get(status=Goal.Status.MET)
    proposed = relationship.goals.get(status=Goal.Status.PROPOSED)
    pages = {
        "mentor": [
            "/relationships/calendar/",
            "/relationships/calendar/new-link/",
            f"/relationships/visits/{scheduled.code}/",
            f"/relationships/visits/{scheduled.code}/edit/",
            f"/relationships/visits/{scheduled.code}/cancel/",
            f"/relationships/visits/{cancelled.code}/",
            f"/relationships/{relationship.code}/visits/log/",
            "/relationships/caseload/?show=ended",
            f"/goals/{talk.code}/",
            f"/goals/{talk.code}/edit/",
            f"/goals/{talk.code}/close/",
            f"/goals/{talk.code}/progress/",
            f"/goals/{talk.code}/steps/add/",
            f"/goals/{talk.code}/steps/done/",
            f"/goals/{met.code}/reopen/",
            f"/goals/{proposed.code}/agree/",
        ],
        "resident": [
            relationship.get_absolute_url(),
            f"/goals/for/{relationship.code}/new/",
            f"/goals/{proposed.code}/",
        ],
    }
    for username, urls in pages.items():
        page.context.clear_cookies()
        login_as(username)
        for url in urls:
            _checked(page, live_server.url + url)
    shot(page, "resident-goal")
