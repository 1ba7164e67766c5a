"""The navigation bar in a real browser: each demo person reaches their workspaces from any page,
on a desktop and on a phone (where the bar folds into a menu button), and changes their email
address on their settings page. axe checks every page on the way."""

import re

import pytest
from playwright.sync_api import Page, expect

from seed.demo import DEMO_PASSWORD
from tests.e2e.axe import check_axe

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def nav(page: Page):
    return page.get_by_role("navigation", name="Main")


@pytest.mark.parametrize(
    ("username", "shown", "hidden"),
    [
        ("coordinator", ["Programs"], ["My caseload", "My support"]),
        ("mentor", ["My caseload", "Calendar"], ["Programs", "My support", "My feedback"]),
        ("resident", ["My support", "My feedback"], ["Programs", "My caseload", "Calendar"]),
    ],
)
def test_each_person_reaches_their_workspaces_from_the_bar(
    username, shown, hidden, page: Page, live_server, demo_world, login_as, shot
):
    page.set_viewport_size(DESKTOP)
    login_as(username)
    page.goto(f"{live_server.url}/help/coaching-mentoring-supervision/")

    for name in [*shown, "Settings", "Change password"]:
        expect(nav(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in hidden:
        expect(nav(page).get_by_role("link", name=name, exact=True)).to_have_count(0)

    link = nav(page).get_by_role("link", name=shown[0], exact=True)
    link.click()
    expect(page).not_to_have_url(re.compile(r"/help/"))
    expect(link).to_have_attribute("aria-current", "page")
    check_axe(page)
    shot(page, username, full_page=False)


def test_on_a_phone_the_bar_opens_as_a_menu(page: Page, live_server, demo_world, login_as, shot):
    page.set_viewport_size(PHONE)
    login_as("resident")
    feedback = nav(page).get_by_role("link", name="My feedback", exact=True)
    expect(feedback).to_be_hidden()

    nav(page).get_by_role("button", name="Show or hide the menu").click()
    for name in ("My support", "My feedback", "Settings", "Change password"):
        expect(nav(page).get_by_role("link", name=name, exact=True)).to_be_visible()
    check_axe(page)
    shot(page, "menu-open", full_page=False)
    feedback.click()

    expect(page).to_have_url(f"{live_server.url}/relationships/my-support/feedback/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_axe(page)


def test_a_person_changes_their_email_address_on_the_settings_page(
    page: Page, live_server, demo_world, login_as, shot
):
    page.set_viewport_size(PHONE)
    login_as("resident")
    page.goto(f"{live_server.url}/relationships/my-settings/")
    email = page.get_by_label("Email address")
    expect(email).to_have_value("resident@demo.example.org")
    check_axe(page)

    # The mentor's address is his: refused next to the field, her choices kept.
    email.fill("Mentor@Demo.Example.org")
    page.get_by_label("Your current password").fill(DEMO_PASSWORD)
    page.get_by_label("Email me when a visit log waits for my acknowledgement").uncheck()
    page.get_by_role("button", name="Save my settings").click()
    expect(page.locator("#div_id_email .invalid-feedback")).to_contain_text(
        "Another account already uses this email address"
    )
    expect(page.get_by_label("Email address")).to_have_value("Mentor@Demo.Example.org")
    expect(
        page.get_by_label("Email me when a visit log waits for my acknowledgement")
    ).not_to_be_checked()
    check_axe(page)
    shot(page, "taken")

    # A new address takes the password again: it is never written back into the page.
    page.get_by_label("Email address").fill("maya.thompson@demo.example.org")
    page.get_by_role("button", name="Save my settings").click()
    expect(page.locator("#div_id_current_password .invalid-feedback")).to_contain_text(
        "Enter your current password"
    )
    page.get_by_label("Your current password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Save my settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("maya.thompson@demo.example.org")
    expect(
        page.get_by_label("Email me when a visit log waits for my acknowledgement")
    ).not_to_be_checked()
