"""The coordinator's people in Chromium: inviting a new person (who sets a password through the
emailed link and logs in), "Forgot your password?", co-coordinators, and editing a participant's
profile after enrollment (a supervisor who mentors the protégé is refused next to the field).

axe runs on every page visited; screenshots land in test-output/screenshots/."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from programs.models import MentorProfile, Program, ProtegeProfile
from tests.e2e.axe import check_axe

INDUCTION = "Resident Educator Induction"
NEW_PASSWORD = "tea kettle on a windy porch"


@pytest.fixture
def coordinator(page: Page, live_server, demo_world, login_as):
    login_as("coordinator")
    return page


def open_tab(page: Page, live_server, tab: str) -> None:
    page.goto(f"{live_server.url}/programs/")
    with page.expect_navigation():
        page.get_by_role("link", name=INDUCTION, exact=True).click()
    with page.expect_navigation():
        sections = page.get_by_role("navigation", name="Program sections")
        sections.get_by_role("link", name=tab).click()
    check_axe(page)


def test_invited_person_sets_a_password_and_logs_in(
    coordinator: Page, live_server, shot, mailoutbox, new_context
):
    page = coordinator
    open_tab(page, live_server, "Participants")
    page.get_by_role("link", name="Enroll someone").first.click()
    page.get_by_label("A new person").check()
    page.get_by_label("First name", exact=True).fill("Rosa")
    page.get_by_label("Last name", exact=True).fill("Diaz")
    page.get_by_label("Email address", exact=True).fill("rosa.diaz@example.org")
    page.get_by_label("Protégé", exact=True).check()
    page.get_by_role("button", name="Enroll", exact=True).click()
    expect(page.get_by_text("Rosa Diaz is enrolled as protégé.")).to_be_visible()
    expect(
        page.get_by_text("An invitation to set their password was sent to rosa.diaz@example.org.")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Rosa Diaz")
    expect(row.get_by_text("Has never logged in")).to_be_visible()
    check_axe(page)
    shot(page, "invitation-sent")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    # Sent again from the participants page (a POST button).
    row.get_by_role("button", name="Send the invitation again").click()
    expect(page.get_by_text("The invitation was sent again to Rosa Diaz")).to_be_visible()
    assert len(mailoutbox) == 2

    # Rosa, in a browser of her own, follows the first link.
    rosa = new_context(viewport={"width": 390, "height": 844}).new_page()
    rosa.goto(f"{live_server.url}{path}")
    expect(rosa.locator("h1")).to_have_text("Choose your password")
    check_axe(rosa)
    rosa.locator("#id_new_password1").fill("short")
    rosa.locator("#id_new_password2").fill("short")
    rosa.get_by_role("button", name="Set my password").click()
    expect(rosa.get_by_text("at least 12 characters").first).to_be_visible()
    check_axe(rosa)
    shot(rosa, "password-too-short-phone")
    rosa.locator("#id_new_password1").fill(NEW_PASSWORD)
    rosa.locator("#id_new_password2").fill(NEW_PASSWORD)
    rosa.get_by_role("button", name="Set my password").click()
    expect(rosa.locator("h1")).to_have_text("Your password is set")
    check_axe(rosa)
    rosa.get_by_role("link", name="Log in").click()
    username = User.objects.get(email="rosa.diaz@example.org").username
    rosa.locator("#id_username").fill(username)
    rosa.locator("#id_password").fill(NEW_PASSWORD)
    rosa.get_by_role("button", name="Log in", exact=True).click()
    expect(rosa).not_to_have_url(re.compile(r"/accounts/login/"))
    check_axe(rosa)

    # The used link no longer works.
    rosa.goto(f"{live_server.url}{path}")
    expect(rosa.locator("h1")).to_have_text("This link no longer works")
    check_axe(rosa)
    shot(rosa, "link-used")
    rosa.context.close()

    # She has logged in: the coordinator no longer gets the button.
    page.reload()
    expect(
        page.get_by_role("row")
        .filter(has_text="Rosa Diaz")
        .get_by_role("button", name="Send the invitation again")
    ).to_have_count(0)


def test_forgot_password_says_the_same_for_any_address(page: Page, live_server, demo_world, shot):
    page.goto(f"{live_server.url}/accounts/login/")
    check_axe(page)
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.locator("h1")).to_have_text("Forgot your password?")
    check_axe(page)
    shot(page, "forgot-password")
    page.get_by_label("Email").fill("nobody-here@example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator("h1")).to_have_text("Check your email")
    check_axe(page)
    shot(page, "reset-sent")


def test_add_and_remove_a_co_coordinator(coordinator: Page, live_server, shot):
    page = coordinator
    page.on("dialog", lambda dialog: dialog.accept())
    open_tab(page, live_server, "Coordinators")
    expect(page.locator("h1")).to_have_text(f"Coordinators of {INDUCTION}")
    page.get_by_label("Username or email address").fill("nobody-at-all")
    page.get_by_role("button", name="Add as coordinator").click()
    expect(page.locator("#error_1_id_person")).to_contain_text(
        "Nobody has the username or email address"
    )
    expect(page.get_by_label("Username or email address")).to_have_value("nobody-at-all")
    check_axe(page)
    page.get_by_label("Username or email address").fill("mentor2")
    page.get_by_role("button", name="Add as coordinator").click()
    expect(page.get_by_text("is now a coordinator of this program")).to_be_visible()
    check_axe(page)
    shot(page, "co-coordinator-added")
    program = Program.objects.get(name=INDUCTION)
    assert program.coordinators.filter(username="mentor2").exists()
    mentor2 = User.objects.get(username="mentor2")
    name = mentor2.get_full_name() or "mentor2"
    page.get_by_role("button", name=f"Remove {name}").click()
    expect(page.get_by_text(f"{name} is no longer a coordinator.")).to_be_visible()
    expect(page.get_by_text(f"removed {name}")).to_be_visible()
    check_axe(page)
    shot(page, "co-coordinator-removed")
    assert not program.coordinators.filter(username="mentor2").exists()


def test_edit_profiles_after_enrollment(coordinator: Page, live_server, shot):
    page = coordinator
    open_tab(page, live_server, "Participants")
    resident = User.objects.get(username="resident")
    mentor = User.objects.get(username="mentor")
    resident_name = resident.get_full_name()
    page.get_by_role("link", name=f"Edit profile of {resident_name}").click()
    expect(page.locator("h1")).to_contain_text("protégé profile")
    check_axe(page)
    page.get_by_label("Position").fill("Lead teacher, Room 4")
    page.get_by_label("Supervisor (username or email address)").fill("mentor")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator("#error_1_id_supervisor")).to_contain_text(
        "This person mentors or coaches the protégé; a supervisor cannot."
    )
    expect(page.get_by_label("Position")).to_have_value("Lead teacher, Room 4")
    check_axe(page)
    shot(page, "supervisor-refused")
    page.get_by_label("Supervisor (username or email address)").fill("supervisor")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text(f"Saved {resident_name}’s profile.")).to_be_visible()
    profile = ProtegeProfile.objects.get(user=resident)
    assert profile.position == "Lead teacher, Room 4"
    assert profile.supervisor.username == "supervisor"

    page.get_by_role("link", name=f"Edit profile of {mentor.get_full_name()}").click()
    expect(page.locator("h1")).to_contain_text("mentor or coach profile")
    check_axe(page)
    page.get_by_label("Caseload limit").fill("3")
    page.get_by_label("Culture").check()
    shot(page, "mentor-profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text(f"Saved {mentor.get_full_name()}’s profile.")).to_be_visible()
    check_axe(page)
    profile = MentorProfile.objects.get(user=mentor)
    assert profile.caseload_limit == 3 and profile.prep_culture
