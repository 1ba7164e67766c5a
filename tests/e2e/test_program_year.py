"""The end of a program year in Chromium, as the demo coordinator: the year in figures, the
close, then the next year with its residents advanced and their matches kept.

axe runs on every page visited; screenshots land in test-output/screenshots/."""

import pytest
from playwright.sync_api import Page, expect

from programs.models import Enrollment, Program, ProtegeProfile
from relationships.models import SupportRelationship
from tests.e2e.axe import check_axe

INDUCTION = "Resident Educator Induction"


@pytest.fixture
def coordinator(page: Page, live_server, demo_world, login_as):
    login_as("coordinator")
    return page


def test_close_the_year_and_start_the_next(coordinator: Page, live_server, shot):
    page = coordinator
    program = Program.objects.get(name=INDUCTION)
    page.goto(f"{live_server.url}/programs/{program.code}/")
    expect(page.get_by_role("link", name=f"← Previous year: {program.previous}")).to_be_visible()
    page.get_by_role("link", name="Close the year…").click()
    expect(page.locator("h1")).to_have_text(f"Close the year of {INDUCTION}")
    check_axe(page)
    shot(page, "summary")
    page.get_by_role("button", name="Close the year").click()

    expect(page.locator("h1")).to_have_text(f"Start the next year of {INDUCTION}")
    row = page.locator("#continuing tr", has_text="Maya Thompson")
    expect(row).to_contain_text("Resident teacher, year 2 → Resident teacher, year 3")
    check_axe(page)
    shot(page, "next-year")
    page.get_by_label("Name of the next year").fill("Resident Educator Induction, next year")
    page.get_by_role("button", name="Start the next year").click()

    expect(page.locator("h1")).to_have_text("Resident Educator Induction, next year")
    expect(page.get_by_role("link", name=f"← Previous year: {INDUCTION}")).to_be_visible()
    check_axe(page)
    new = Program.objects.get(previous=program)
    resident = Enrollment.objects.get(program=new, person__username="resident")
    assert ProtegeProfile.objects.get(user=resident.person).career_stage == "resident_3"
    assert SupportRelationship.objects.filter(
        program=new, protege__username="resident", mentor__username="mentor"
    ).exists()
