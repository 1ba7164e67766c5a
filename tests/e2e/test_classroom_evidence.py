"""The classroom-evidence story end to end, at phone width: the demo mentor attaches a photo and
a short video to a visit log and fills in an observation at that visit; the resident comments
on the video at a moment; the mentor sees the comment from the log's files and jumps the video
to it."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import check_axe
from tests.evidence import samples
from tests.matrix.world import Demo

PHONE = {"width": 375, "height": 812}
CLIP = Path(__file__).resolve().parent.parent / "evidence" / "clip.webm"
# Resolves once the video knows its length, so that it can be sought.
METADATA_JS = """video => video.readyState >= 1 ? true : new Promise(done =>
    video.addEventListener("loadedmetadata", () => done(true), {once: true}))"""


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": PHONE}


def _attach(page: Page, name: str, content: bytes, mime: str, caption: str) -> None:
    page.get_by_role("link", name="Attach a file").click()
    page.get_by_label("File").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.get_by_label("Caption").fill(caption)
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_text("The file is attached.")).to_be_visible()


def test_a_log_with_a_photo_a_video_and_an_observation_and_a_comment_at_a_moment(
    page: Page, live_server, demo_world, login_as, shot
):
    demo = Demo()
    relationship = demo.relationship("mentor", "resident")
    visit_url = f"{live_server.url}{demo.visit(relationship).get_absolute_url()}"

    # The mentor attaches a photo and a short video to the log.
    login_as("mentor")
    page.goto(visit_url)
    _attach(page, "carpet.jpg", samples.jpeg_with_gps(width=80, height=60), "image/jpeg", "Carpet")
    _attach(page, "tuesday.webm", CLIP.read_bytes(), "video/webm", "Read-aloud, Tuesday")
    files = page.locator("#evidence")
    expect(files.get_by_role("link", name="Carpet", exact=True)).to_be_visible()
    expect(files.get_by_role("link", name="Read-aloud, Tuesday", exact=True)).to_be_visible()

    # ...and fills in the observation tool at the same visit.
    page.get_by_role("link", name="Fill in an observation at this visit").click()
    page.get_by_role("group", name="Warm, responsive climate").get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save the observation").click()
    expect(page.get_by_text("The observation is saved.")).to_be_visible()
    check_axe(page)
    shot(page, "observation")

    # The resident comments on the video at 00:02.
    page.context.clear_cookies()
    login_as("resident")
    page.goto(f"{live_server.url}{relationship.get_absolute_url()}")
    videos = page.get_by_role("region", name="Videos to review")
    videos.get_by_role("link", name="Read-aloud, Tuesday").click()
    player = page.locator("#review-video")
    player.evaluate(METADATA_JS)
    player.evaluate("video => { video.currentTime = 2; }")
    page.get_by_role("button", name="Use the current moment").click()
    expect(page.get_by_label("Moment in the video")).to_have_value("00:02")
    page.get_by_role("textbox", name="Comment").first.fill("The open question here worked.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Your comment at 00:02 is saved.")).to_be_visible()
    check_axe(page)
    shot(page, "comment")

    # The mentor finds it from the log's files and jumps the video to its moment.
    page.context.clear_cookies()
    login_as("mentor")
    page.goto(visit_url)
    page.locator("#evidence").get_by_role("link", name="Review the video").click()
    expect(page.get_by_text("The open question here worked.")).to_be_visible()
    player = page.locator("#review-video")
    player.evaluate(METADATA_JS)
    page.get_by_role("link", name="Play the video from 00:02").click()
    expect(page.locator("#video-status")).to_have_text("The video is at 00:02.")
    assert player.evaluate("video => video.currentTime") >= 2
    shot(page, "jumped")
