"""Two-step verification (mentoring_site/two_step.py): turning it on with a code from an
authenticator app, recovery codes shown once and good once, the second step at log-in, the
people it is required of reaching nothing else first, and wrong codes locked out like wrong
passwords."""

import datetime
import re

import pyotp
import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring_site.models import TwoStep
from tests.factories import TEST_PASSWORD, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PAGE = "/accounts/two-step/"
SETUP = "/accounts/two-step/set-up/"
CODES = "/accounts/two-step/recovery-codes/"
TURN_OFF = "/accounts/two-step/turn-off/"
VERIFY = "/accounts/two-step/verify/"
NOW = datetime.datetime(2027, 3, 1, 14, 0, 5, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def log_in(client, user, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


def force_verified(client, user) -> None:
    """Signed in with the second step done (force_login alone leaves the code owed)."""
    client.force_login(user)
    session = client.session
    session["two_step"] = "verified"
    session.save()


def code_at(secret: str, when: datetime.datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def turn_on(client, user) -> tuple[str, list[str]]:
    """Turn it on through the pages; the secret and the recovery codes shown."""
    client.force_login(user)
    page = client.get(SETUP)
    secret = page.context["secret"].replace(" ", "")
    done = client.post(SETUP, {"code": code_at(secret, NOW)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.text)
    client.logout()
    return secret, codes


def test_turning_it_on_takes_a_code_from_the_app_and_shows_recovery_codes_once(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text  # the QR code
    secret = page.context["secret"].replace(" ", "")
    assert page.context["secret"] in page.text  # the key to type by hand
    # Reloading keeps the same key (the app may already hold it).
    assert client.get(SETUP).context["secret"].replace(" ", "") == secret

    wrong = client.post(SETUP, {"code": "000000"})
    assert "That code does not match" in wrong.text
    assert not TwoStep.objects.filter(user=user).exists()

    done = client.post(SETUP, {"code": code_at(secret, NOW)})
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TwoStep.objects.get(user=user).is_on
    # Stored as digests only, the secret encrypted.
    stored = TwoStep.objects.get(user=user)
    assert not set(codes) & set(stored.recovery_codes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM mentoring_site_twostep")
        assert secret not in cursor.fetchone()[0]
    # The status page never shows them again.
    status = client.get(PAGE).text
    assert "You have 10 unused recovery codes" in status
    assert not any(code in status for code in codes)


def test_log_in_asks_for_the_second_step_before_any_page(client):
    user = UserFactory()
    secret, _ = turn_on(client, user)
    assert log_in(client, user)["Location"] == "/"
    held = client.get("/programs/")
    assert held.status_code == 302
    assert held["Location"] == f"{VERIFY}?next=%2Fprograms%2F"
    page = client.get(held["Location"])
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.text

    with time_machine.travel(NOW + datetime.timedelta(seconds=60), tick=False):
        done = client.post(
            VERIFY,
            {"code": code_at(secret, NOW + datetime.timedelta(seconds=60)), "next": "/programs/"},
        )
        assert done["Location"] == "/programs/"
        assert client.get("/").status_code == 200


def test_a_code_from_the_app_works_once(client):
    user = UserFactory()
    secret, _ = turn_on(client, user)
    later = NOW + datetime.timedelta(seconds=90)
    with time_machine.travel(later, tick=False):
        log_in(client, user)
        assert client.post(VERIFY, {"code": code_at(secret, later)}).status_code == 302
        client.logout()
        log_in(client, user)
        replay = client.post(VERIFY, {"code": code_at(secret, later)})
        assert replay.status_code == 400
        assert "already used" in replay.text


def test_a_recovery_code_works_once_only(client):
    user = UserFactory()
    _, codes = turn_on(client, user)
    log_in(client, user)
    used = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")})
    assert used.status_code == 302
    assert client.get("/").status_code == 200
    assert len(TwoStep.objects.get(user=user).recovery_codes) == 9
    client.logout()

    log_in(client, user)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 400
    assert client.get("/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client):
    user = UserFactory()
    _, old = turn_on(client, user)
    force_verified(client, user)
    renewed = client.post(CODES)
    new = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", renewed.text)
    assert len(new) == 10 and not set(new) & set(old)
    client.logout()
    log_in(client, user)
    assert client.post(VERIFY, {"code": old[1]}).status_code == 400
    assert client.post(VERIFY, {"code": new[1]}).status_code == 302


def test_turning_it_off_takes_the_password_or_a_code(client):
    user = UserFactory()
    _, codes = turn_on(client, user)
    force_verified(client, user)
    wrong = client.post(TURN_OFF, {"secret": "not my password"})
    assert wrong.status_code == 400
    assert "neither your password nor a current code" in wrong.text
    assert TwoStep.objects.filter(user=user).exists()
    assert client.post(TURN_OFF, {"secret": TEST_PASSWORD}).status_code == 302
    assert not TwoStep.objects.filter(user=user).exists()
    client.logout()
    log_in(client, user)
    assert client.get("/").status_code == 200  # no second step any more

    other = UserFactory()
    _, codes = turn_on(client, other)
    force_verified(client, other)
    assert client.post(TURN_OFF, {"secret": codes[0]}).status_code == 302
    assert not TwoStep.objects.filter(user=other).exists()


URLS_TO_TRY = [
    "/",
    "/programs/",
    "/admin/",
    "/admin/auth/user/",
    "/accounts/locks/",
    "/accounts/password/",
    "/relationships/my-settings/",
    "/accounts/two-step/",
    "/help/coaching-mentoring-supervision/",
]


def test_a_coordinator_it_is_required_of_reaches_no_page_before_setting_it_up(client, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = frozenset({"coordinators", "admins"})
    coordinator = UserFactory()
    program = ProgramFactory(coordinators=[coordinator])
    log_in(client, coordinator)
    for url in [*URLS_TO_TRY, f"/programs/{program.code}/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    assert client.post("/programs/new/", {"name": "x"})["Location"] == SETUP
    page = client.get(SETUP)
    assert "required for your role" in page.text
    # Logging out still works.
    assert client.post("/accounts/logout/")["Location"] == LOGIN

    # Once set up, the next log-in owes the code.
    log_in(client, coordinator)
    secret = client.get(SETUP).context["secret"].replace(" ", "")
    client.post(SETUP, {"code": code_at(secret, NOW)})
    assert client.get(f"/programs/{program.code}/").status_code == 200
    client.post("/accounts/logout/")
    log_in(client, coordinator)
    for url in URLS_TO_TRY:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    # Turning it off is refused while it is required.
    later = NOW + datetime.timedelta(seconds=30)
    with time_machine.travel(later, tick=False):
        client.post(VERIFY, {"code": code_at(secret, later)})
    refused = client.post(TURN_OFF, {"secret": TEST_PASSWORD}, follow=True)
    assert "required for your role" in refused.text
    assert TwoStep.objects.get(user=coordinator).is_on


def test_an_administrator_it_is_required_of_cannot_reach_admin_first(client, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = frozenset({"admins"})
    admin = UserFactory(admin=True)
    log_in(client, admin)
    assert client.get("/admin/")["Location"].startswith(SETUP)
    # Not required of a coordinator under this setting.
    coordinator = UserFactory()
    ProgramFactory(coordinators=[coordinator])
    client.post("/accounts/logout/")
    log_in(client, coordinator)
    assert client.get("/").status_code == 200


def test_wrong_codes_lock_the_second_step_like_wrong_passwords(client):
    user = UserFactory(username="ncoach")
    _, codes = turn_on(client, user)
    log_in(client, user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": "123456"}).status_code == 400
    # A right password again does not forgive the wrong codes.
    client.post("/accounts/logout/")
    log_in(client, user)
    locked = client.post(VERIFY, {"code": "123456"})
    assert locked.status_code == 429
    assert "wrong two-step verification codes" in locked.text
    assert "ncoach" in locked.text
    # Signed out, and even a right code cannot get in while it lasts.
    assert client.get("/").status_code == 302
    log_in(client, user)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 429
    assert AccessAttempt.objects.filter(username="ncoach (two-step code)").exists()

    # It shows on the administrators' page of log-in locks.
    admin = UserFactory(admin=True)
    client.force_login(admin)
    assert "ncoach (two-step code)" in client.get("/accounts/locks/").text


def test_a_right_code_forgives_a_few_wrong_ones(client):
    user = UserFactory()
    secret, _ = turn_on(client, user)
    log_in(client, user)
    client.post(VERIFY, {"code": "123456"})
    later = NOW + datetime.timedelta(seconds=30)
    with time_machine.travel(later, tick=False):
        assert client.post(VERIFY, {"code": code_at(secret, later)}).status_code == 302
    assert not AccessAttempt.objects.filter(username__endswith="(two-step code)").exists()


@pytest.mark.parametrize("url", [PAGE, SETUP, VERIFY])
def test_the_pages_cost_the_same_queries_whatever_the_codes(client, url):
    """Nothing on these pages is listed per row; one person with 10 codes or with 50 spends the
    same queries."""
    counts = []
    for number in (1, 50):
        user = UserFactory()
        if url != SETUP:
            turn_on(client, user)
            TwoStep.objects.filter(user=user).update(recovery_codes=["x" * 64] * number)
        if url == VERIFY:
            log_in(client, user)
        else:
            force_verified(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
        client.logout()
    assert counts[0] == counts[1]
