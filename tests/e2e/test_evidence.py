"""Classroom evidence in Chromium on a phone: the demo mentor attaches a photo and a short
video to a visit log, a refused file keeps the caption, the page shows both thumbnails (the
worker's task runs when the upload commits), and the resident opens them; the supervisor gets
a 404 for the file."""

import re

import pytest
from playwright.sync_api import Page, expect

from evidence.models import Attachment
from tests.e2e.axe import check_axe
from tests.evidence import samples
from tests.matrix.world import Demo

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": PHONE}


def _attach(page: Page, name: str, content: bytes, mime: str, caption: str) -> None:
    page.get_by_role("link", name="Attach a file").click()
    expect(page.locator("h1")).to_contain_text("Attach a file to the visit log")
    page.get_by_label("File").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.get_by_label("Caption").fill(caption)
    page.get_by_role("button", name="Attach", exact=True).click()


def test_a_mentor_attaches_a_photo_and_a_video_on_a_phone(
    page: Page, live_server, demo_world, login_as, shot
):
    base = live_server.url
    login_as("mentor")
    demo = Demo()
    visit = demo.visit(demo.relationship("mentor", "resident"))
    page.goto(f"{base}/relationships/caseload/")
    page.get_by_role("link", name="Maya Thompson", exact=True).click()
    page.goto(f"{base}{visit.get_absolute_url()}")
    visit_url = page.url
    check_axe(page)

    # A program renamed as a photo is refused; the caption is still there.
    _attach(page, "photo.jpg", samples.WINDOWS_PROGRAM, "image/jpeg", "Carpet time")
    expect(page.get_by_text("This file is not a photo")).to_be_visible()
    expect(page.get_by_label("Caption")).to_have_value("Carpet time")
    check_axe(page)
    shot(page, "refused")
    page.get_by_role("link", name="Back").click()

    _attach(
        page, "carpet.jpg", samples.jpeg_with_gps(width=80, height=60), "image/jpeg", "Carpet time"
    )
    expect(page).to_have_url(re.compile(re.escape(visit_url)))
    expect(page.get_by_text("The file is attached.")).to_be_visible()
    _attach(page, "read-aloud.mp4", samples.video(), "video/mp4", "The read-aloud, first minute")
    files = page.locator("#evidence")
    expect(files.get_by_role("link", name="Carpet time")).to_be_visible()
    expect(
        files.get_by_role("link", name="The read-aloud, first minute", exact=True)
    ).to_be_visible()
    expect(files.locator("img")).to_have_count(3)  # the demo's photo, and these two
    check_axe(page)
    shot(page, "visit-files")

    # The resident reads them; the supervisor gets a 404.
    video = Attachment.objects.get(original_name="read-aloud.mp4")
    page.context.clear_cookies()
    login_as("resident")
    page.goto(visit_url)
    expect(page.locator("#evidence").get_by_role("link", name="Carpet time")).to_be_visible()
    answer = page.request.get(
        f"{base}/evidence/files/{video.code}/", headers={"Range": "bytes=0-9"}
    )
    assert answer.status == 206 and answer.headers["content-type"] == "video/mp4"
    page.context.clear_cookies()
    login_as("supervisor")
    assert page.request.get(f"{base}/evidence/files/{video.code}/").status == 404
