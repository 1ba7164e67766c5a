"""The protégé's workspace in a real browser, as the demo resident (Maya Thompson).

She follows the email about a new log, reads it and acknowledges it with a reflection (and a
private one), reads and agrees to the goal her mentor proposed, and marks one of her action
steps done. Then her mentor (David Kim) sees all three. axe checks every page on the way.
"""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from core import clock
from relationships import services
from relationships.models import SupportRelationship
from tests.e2e.axe import check_axe

REFLECTION = "The partner chart helped: the quiet children talked first today."
PRIVATE = "I still freeze when the principal walks in during circle time."


@pytest.fixture
def world(transactional_db):
    call_command("seed_demo", verbosity=0, force=True)


def visit(page: Page, url: str) -> None:
    page.goto(url)
    check_axe(page)


def test_the_resident_acknowledges_agrees_and_marks_a_step_done_and_the_mentor_sees_it(
    world, live_server, page: Page, login_as, shot, settings
):
    settings.SITE_URL = live_server.url
    relationship = SupportRelationship.objects.get(
        mentor__username="mentor", protege__username="resident", status="active"
    )
    mail.outbox.clear()
    new_log = services.visit_log(
        relationship=relationship,
        by=relationship.mentor,
        date=clock.today() - datetime.timedelta(days=1),
        duration_minutes=50,
        activities=["observing", "feedback"],
        feedback="Your talk partners kept the whole group in the discussion.",
        protege_next_steps="Add a sentence starter to the partner chart.",
        mentor_next_steps="Bring two picture books with good talk prompts.",
        private_notes="Ask about the principal's walk-through.",
    )
    # The email about the new log, exactly one, pointing at the log.
    assert [email.to for email in mail.outbox] == [["resident@demo.example.org"]]
    link = re.search(r"http\S+/acknowledge/", mail.outbox[0].body).group(0)
    assert str(new_log.code) in link

    # Maya signs in and opens her support page: both supports, each with its role explained.
    page.goto(f"{live_server.url}/accounts/login/")
    check_axe(page)
    login_as("resident")
    check_axe(page)  # her home page
    visit(page, f"{live_server.url}/relationships/my-support/")
    expect(page.get_by_role("heading", name="Your mentor: David Kim")).to_be_visible()
    expect(page.get_by_role("heading", name="Your coach: Rachel Greene")).to_be_visible()
    expect(
        page.get_by_text("Neither David Kim nor Rachel Greene is your supervisor.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="What mentoring means in this program")).to_be_visible()
    expect(page.get_by_role("heading", name="What coaching means in this program")).to_be_visible()
    expect(page.get_by_text("lets its coordinators read the shared logs")).to_be_visible()
    expect(page.get_by_text("2 visit logs wait for you")).to_be_visible()
    shot(page, "my-support")

    # Her feedback: the new log is first; she opens it, as the email's link does.
    page.locator("main").get_by_role("link", name="My feedback").first.click()
    check_axe(page)
    first = page.locator(".feedback-list > li").first
    expect(first).to_contain_text("Your talk partners kept the whole group in the discussion.")
    expect(first).to_contain_text("Waiting for you")
    shot(page, "feedback")
    first.get_by_role("link", name=re.compile("Read and acknowledge")).click()
    expect(page).to_have_url(link)  # the same page the email links to
    check_axe(page)
    expect(page.get_by_text("Add a sentence starter to the partner chart.")).to_be_visible()
    expect(page.get_by_text("Ask about the principal")).to_have_count(0)

    # One button acknowledges the log and co-signs her next steps, with her reflections.
    page.get_by_label("Reflection for David Kim (optional)").fill(REFLECTION)
    page.get_by_label("Private reflection (optional)").fill(PRIVATE)
    expect(
        page.get_by_text("David Kim sees your acknowledgement and reads your reflection")
    ).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(0)
    shot(page, "acknowledge")
    page.get_by_role("button", name="I have read this log and co-sign my next steps").click()
    check_axe(page)
    expect(
        page.get_by_text(re.compile("David Kim can see that you acknowledged .* co-signed"))
    ).to_be_visible()
    expect(page.locator(".feedback-list > li").first).not_to_contain_text(
        "Your talk partners kept the whole group"
    )

    # Her own acknowledgement, with her private reflection marked private.
    visit(page, f"{live_server.url}/relationships/visits/{new_log.code}/acknowledge/")
    expect(page.get_by_text("You acknowledged this log")).to_be_visible()
    expect(page.locator(".private-note", has_text=PRIVATE)).to_be_visible()
    shot(page, "acknowledged")

    # The goal David proposed: she reads it, then agrees.
    visit(page, f"{live_server.url}/relationships/my-support/")
    waiting = page.locator(".waiting-goal", has_text="Build two-way communication with families")
    waiting.get_by_role("link", name=re.compile("Read the goal")).click()
    check_axe(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Build two-way communication")
    page.get_by_role("button", name="I agree to this goal").click()
    check_axe(page)
    expect(page.get_by_text("the goal is now agreed by both of you")).to_be_visible()
    shot(page, "goal-agreed")

    # One of her action steps, marked done from her support page.
    visit(page, f"{live_server.url}/relationships/my-support/")
    expect(page.get_by_text("Goals waiting for your agreement")).to_have_count(0)
    # (The button's name is "Mark done" plus the step, read out to screen readers.)
    page.get_by_role("button", name=re.compile(r"Mark done\W+Assign talk partners")).click()
    check_axe(page)
    expect(page.get_by_text("Step marked done.")).to_be_visible()

    # David, her mentor, sees all three.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    login_as("mentor")
    check_axe(page)
    visit(page, f"{live_server.url}{new_log.get_absolute_url()}")
    expect(page.get_by_text(REFLECTION).first).to_be_visible()
    expect(page.get_by_text(PRIVATE)).to_have_count(0)
    shot(page, "mentor-sees-acknowledgement")
    families = relationship.goals.get(title__startswith="Build two-way communication")
    visit(page, f"{live_server.url}{families.get_absolute_url()}")
    expect(page.locator(".badge").get_by_text("Agreed", exact=True)).to_be_visible()
    talk = relationship.goals.get(title__startswith="Raise participation")
    visit(page, f"{live_server.url}{talk.get_absolute_url()}")
    step = page.locator("li", has_text="Assign talk partners and post the partner chart").last
    expect(step.get_by_role("button", name=re.compile("Undo"))).to_be_visible()
    shot(page, "mentor-sees-step")


def test_a_team_member_acknowledges_for_themselves(world, live_server, page: Page, login_as):
    team = SupportRelationship.objects.get(mentor__username="coach", team__isnull=False)
    log = services.visit_log(
        relationship=team,
        by=team.mentor,
        date=clock.today(),
        duration_minutes=40,
        feedback="The whole team used the same three questions.",
    )
    login_as("teammate")
    check_axe(page)
    visit(page, f"{live_server.url}/relationships/visits/{log.code}/acknowledge/")
    expect(page.get_by_text("Each team member acknowledges for themselves.")).to_be_visible()
    page.get_by_role("button", name="I have read this log and co-sign my next steps").click()
    check_axe(page)
    visit(page, f"{live_server.url}/relationships/visits/{log.code}/acknowledge/")
    expect(page.get_by_text("You acknowledged this log")).to_be_visible()
    expect(page.get_by_text(re.compile("Not yet acknowledged by: Luis Ortega"))).to_be_visible()


def test_the_resident_sees_that_the_coordinator_read_her_coaching_log(
    world, live_server, page: Page, login_as, shot
):
    coaching = SupportRelationship.objects.get(
        mentor__username="coach", protege__username="resident"
    )
    log = coaching.visits.filter(status="logged").order_by("-date").first()
    login_as("coordinator")
    visit(page, f"{live_server.url}{log.get_absolute_url()}")
    expect(page.get_by_role("heading", name="The log")).to_be_visible()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    login_as("resident")
    visit(page, f"{live_server.url}/relationships/my-support/")
    page.get_by_role("link", name="Who has read my logs").click()
    check_axe(page)
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Coordinator of Early Literacy Instructional Coaching")
    expect(row).to_contain_text(f"{log.date.day}, {log.date.year}")
    shot(page, "who-read-my-logs")
