"""The administrator in Chromium: the organizations tree (a school added to the demo's
district), the log-in locks page unlocking someone, and a program's coordinators page inviting
a new coordinator by email.

axe runs on every page visited; screenshots land in test-output/screenshots/."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from playwright.sync_api import Page, expect

from programs.models import Organization
from tests.e2e.axe import check_axe

DISTRICT = "Riverbend Unified School District"


@pytest.fixture
def admin(page: Page, live_server, demo_world, login_as):
    login_as("admin")
    return page


def test_an_administrator_adds_a_school_to_the_district(admin: Page, live_server, shot):
    page = admin
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Organizations"
        ).click()
    expect(page.locator("h1")).to_have_text("Organizations")
    check_axe(page)
    shot(page, "organizations")

    page.get_by_role("link", name="Add an organization").click()
    page.get_by_label("Name").fill("Cedar Grove Elementary")
    page.get_by_label("Part of").select_option(label=DISTRICT)
    check_axe(page)
    page.get_by_role("button", name="Add the organization").click()
    expect(page.get_by_text("Cedar Grove Elementary is added.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Cedar Grove Elementary")
    expect(row).to_contain_text(f"part of {DISTRICT}")
    assert Organization.objects.get(name="Cedar Grove Elementary").parent.name == DISTRICT

    row.get_by_role("link", name="Archive").click()
    check_axe(page)
    page.get_by_role("button", name="Archive the organization").click()
    expect(page.get_by_text("Cedar Grove Elementary is archived")).to_be_visible()
    check_axe(page)


def test_an_administrator_unlocks_a_locked_out_teacher(admin: Page, live_server, shot):
    page = admin
    AccessAttempt.objects.create(
        username="resident",
        ip_address="198.51.100.20",
        user_agent="a browser",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    page.goto(f"{live_server.url}/accounts/locks/")
    expect(page.locator("h1")).to_have_text("Log-in locks")
    check_axe(page)
    shot(page, "login-locks")
    page.get_by_role("button", name="Unlock resident from 198.51.100.20").click()
    expect(page.get_by_text("Logging in is open again for “resident”")).to_be_visible()
    expect(page.get_by_text("Nobody is locked out now.")).to_be_visible()
    check_axe(page)


def test_an_administrator_invites_a_coordinator(admin: Page, live_server, mailoutbox):
    page = admin
    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name="Resident Educator Induction", exact=True).click()
    page.get_by_role("navigation", name="Program sections").get_by_role(
        "link", name="Coordinators"
    ).click()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Invite as coordinator"))
    form.get_by_label("First name").fill("Dana")
    form.get_by_label("Last name").fill("Okafor")
    form.get_by_label("Email address").fill("dana.okafor@example.org")
    check_axe(page)
    form.get_by_role("button", name="Invite as coordinator").click()
    expect(page.get_by_text("Dana Okafor is now a coordinator of this program.")).to_be_visible()
    expect(page.get_by_text("Invited; has not chosen a password yet.")).to_be_visible()
    check_axe(page)
    assert [message.to for message in mailoutbox] == [["dana.okafor@example.org"]]
