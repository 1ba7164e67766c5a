"""Signing in through an organization's account and with two-step verification, in a browser:
the test identity provider (tests/idp/) runs in a process of its own, and Chromium goes from
the app's log-in page to it and back, as a teacher would."""

import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login
from tests.factories import TEST_PASSWORD, UserFactory
from tests.idp.identities import IDENTITIES, PASSWORD


@pytest.fixture
def oidc(settings, idp):
    idp.configure(settings)
    return idp


def sign_in_at_provider(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with District account").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()


def test_an_invited_person_signs_in_with_their_organization_and_a_stranger_is_refused(
    page: Page, live_server, transactional_db, oidc, shot
):
    UserFactory(email=IDENTITIES["invited"].email, first_name="Ines", last_name="Invited")
    sign_in_at_provider(page, live_server, "invited")
    expect(page.locator(".navbar-text")).to_contain_text("Ines Invited")
    shot(page, "signed-in")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    # Someone else at the same computer: the provider's own session is over too.
    page.context.clear_cookies(name="idp_session")
    sign_in_at_provider(page, live_server, "stranger")
    expect(page.get_by_role("heading", name="You could not be signed in")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("There is no account here for that address")
    expect(page.locator(".navbar-text")).to_have_count(0)
    shot(page, "refused")


def test_a_person_turns_on_two_step_verification_and_logs_in_with_a_code(
    page: Page, live_server, transactional_db, shot
):
    person = UserFactory(username="tsetup")
    login(page, live_server, person.username, TEST_PASSWORD)
    page.get_by_role("link", name="Two-step verification").click()
    page.get_by_role("link", name="Turn on two-step verification").click()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    shot(page, "set-up")
    secret = page.locator(".two-step-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from your app").fill(totp.now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    shot(page, "recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, person.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    # The next step's code: the one just used cannot be used again.
    page.get_by_label("Code").fill(totp.at(time.time() + totp.interval))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".navbar-text")).to_be_visible()
