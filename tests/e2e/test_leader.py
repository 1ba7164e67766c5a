"""The program leader's roll-up in Chromium, as the demo leader (who leads the district):
filter it, open a chart's numbers, download a table as CSV and as .xlsx and the whole roll-up
as a PDF, and find the cell of three teachers reading "fewer than 5" on the page and in every
file.

axe runs on every page visited; screenshots land in test-output/screenshots/."""

import csv
import io

import pypdf
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from relationships.models import SupportRelationship
from tests.e2e.axe import check_axe

COACHING = "Early Literacy Instructional Coaching"


def coaching_teachers() -> int:
    """The teachers the demo's coaching program supports: Maya alone, and a team of two."""
    people = set()
    for relationship in SupportRelationship.objects.filter(program__name=COACHING):
        if relationship.protege_id:
            people.add(relationship.protege_id)
        else:
            people |= set(relationship.team.members.values_list("pk", flat=True))
    return len(people)


@pytest.fixture
def leader(page: Page, live_server, demo_world, login_as, settings):
    settings.ROLLUP_STORED = True  # as in production: the page reads a kept count
    login_as("leader")
    return page


def test_leader_filters_opens_the_numbers_and_downloads(leader: Page, live_server, shot):
    page = leader
    assert coaching_teachers() == 3
    page.get_by_role("link", name="Roll-up", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Roll-up across your programs")
    expect(page.locator("#rollup-counted")).to_contain_text("Counted ")
    check_axe(page)
    shot(page, "rollup")

    page.get_by_label("Program", exact=True).select_option(label=COACHING)
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_label("Program", exact=True)).to_have_value(
        page.get_by_label("Program", exact=True).input_value()
    )
    check_axe(page)
    programs = page.locator("#table-programs")
    row = programs.locator("tbody tr", has_text=COACHING)
    expect(row.locator("td").first).to_have_text("fewer than 5")

    # A chart's numbers, behind "Show the numbers".
    months = page.locator("#months")
    months.get_by_text("Show the numbers").click()
    expect(months.locator("table")).to_be_visible()
    shot(page, "rollup-numbers")

    section = page.locator("#programs")
    with page.expect_download() as download:
        section.get_by_role("link", name="CSV Programs side by side").click()
    assert "program=" in download.value.url
    with open(download.value.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    coaching_row = next(r for r in rows if r[0] == COACHING)
    assert coaching_row[1] == "fewer than 5"

    with page.expect_download() as download:
        section.get_by_role("link", name="Excel (.xlsx) Programs side by side").click()
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read()), read_only=True).active
        cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    coaching_cells = next(r for r in cells if r and r[0] == COACHING)
    assert coaching_cells[1] == "fewer than 5"

    # The whole roll-up as a PDF, for the same filters: made by the task worker (at once, with
    # the tests' immediate backend), then downloaded from its status page.
    page.get_by_role("button", name="Download PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roll-up across your programs")
    expect(page.get_by_text("Your report is ready")).to_be_visible()
    check_axe(page)
    shot(page, "rollup-pdf-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    with open(download.value.path(), "rb") as file:
        reader = pypdf.PdfReader(io.BytesIO(file.read()))
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert COACHING in " ".join(text.split())
    assert "fewer than 5" in text
    page.get_by_role("link", name="Roll-up", exact=True).first.click()

    # A phone: the tables stack, nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "rollup-phone")
