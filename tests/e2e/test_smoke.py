"""The browser harness itself: Chromium starts, static files load, axe runs."""

from playwright.sync_api import Page, expect

from tests.e2e.axe import check_axe


def test_login_page_loads_styled_and_accessible(page: Page, live_server, transactional_db, shot):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("#id_username")).to_be_visible()
    expect(page.locator("#id_password")).to_be_visible()
    # The stylesheet arrived: Bootstrap's reboot sets the body's margin to 0 (browsers default
    # to 8px), so this fails when static files are not served.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    check_axe(page)
    shot(page, "login")
