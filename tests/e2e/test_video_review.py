"""Video review in Chromium at phone width: the protégé comments at a moment of a shared video
(taken from where the video stands), and the mentor jumps the video to it from the comment."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import login
from tests.evidence.video import VideoFactory
from tests.matrix.world import Demo

PHONE = {"width": 375, "height": 800}

# Resolves once the video knows its length, so that it can be sought.
METADATA_JS = """video => video.readyState >= 1 ? true : new Promise(done =>
    video.addEventListener("loadedmetadata", () => done(true), {once: true}))"""


def test_the_protege_comments_at_a_moment_and_the_mentor_jumps_to_it(
    page: Page, live_server, demo_world, shot
):
    demo = Demo()
    relationship = demo.relationship("mentor", "resident")
    video = VideoFactory(
        visit=demo.visit(relationship), caption="Read-aloud, Tuesday", original_name="tue.webm"
    )
    page.set_viewport_size(PHONE)

    # The protégé finds the video on the relationship page and comments at 00:02.
    login(page, live_server, "resident")
    page.goto(f"{live_server.url}{relationship.get_absolute_url()}")
    videos = page.get_by_role("region", name="Videos to review")
    videos.get_by_role("link", name="Read-aloud, Tuesday").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Video review")
    player = page.locator("#review-video")
    player.evaluate(METADATA_JS)
    player.evaluate("video => { video.currentTime = 2; }")
    page.get_by_role("button", name="Use the current moment").click()
    moment = page.get_by_label("Moment in the video")
    expect(moment).to_have_value("00:02")
    expect(moment).to_be_focused()
    page.get_by_role("textbox", name=re.compile(r"^Comment")).fill(
        "Here the children answer each other."
    )
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Your comment at 00:02 is saved.")).to_be_visible()
    shot(page, "protege")

    # The mentor reads it and jumps the video to its moment.
    page.context.clear_cookies()
    login(page, live_server, "mentor")
    page.goto(f"{live_server.url}/evidence/videos/{video.code}/")
    expect(page.get_by_text("Here the children answer each other.")).to_be_visible()
    player = page.locator("#review-video")
    player.evaluate(METADATA_JS)
    assert player.evaluate("video => video.currentTime") == 0
    jump = page.get_by_role("link", name="Play the video from 00:02")
    expect(jump).to_have_attribute("href", re.compile(r"\?t=2#player$"))
    jump.click()
    expect(page.locator("#video-status")).to_have_text("The video is at 00:02.")
    expect(player).to_be_focused()
    assert player.evaluate("video => video.currentTime") >= 2
    # The page did not reload: the jump happened in place.
    assert "?t=" not in page.url
    shot(page, "mentor")
