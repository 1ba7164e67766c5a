"""Throttling (docs/design.md, "Throttling"): the log-in locks per user name and per address,
the limits on password-reset requests, a reset that costs the same for any address, and the
ways a lock ends that the lockout page promises."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.tasks.signals import task_enqueued
from django.test import TestCase

from core import clock
from outbox.models import Delivery
from tests.cache import clear as clear_cache
from tests.factories import TEST_PASSWORD, UserFactory
from tests.test_settings import run_check

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RESET = "/accounts/password/reset/"
HOME = "/"
SCHOOL = "198.51.100.20"  # one address, shared by everyone at a school
ELSEWHERE = "203.0.113.9"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The reset limiter counts in the cache, which outlives a test (tests/cache.py)."""
    clear_cache()
    yield
    clear_cache()


def log_in(client, username, password, address=SCHOOL):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def ask_for_link(client, email, address=SCHOOL):
    """Ask for a link, and let the task the request enqueues on commit run (and send)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# Log-in: one address, many user names -------------------------------------------------------


def test_one_address_guessing_across_user_names_is_locked_out(client):
    """The review's attack: a few guesses at each of many user names, from one address."""
    teacher = UserFactory()
    limit = settings.AXES_IP_FAILURE_LIMIT
    guesses = [(f"someone{n}", f"guess {guess}") for n in range(30) for guess in range(4)]
    statuses = [log_in(client, *guess).status_code for guess in guesses[: limit + 4]]
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}

    # The address is locked for everyone, even with the right password of an untouched account.
    response = log_in(client, teacher.username, TEST_PASSWORD)
    assert response.status_code == 429
    page = text(response)
    assert "Logging in from your network address is paused" in page
    assert f"{limit} wrong passwords from it within an hour" in page

    # The same person from another address gets in.
    assert log_in(client, teacher.username, TEST_PASSWORD, address=ELSEWHERE).url == HOME


def test_a_successful_log_in_does_not_forgive_the_address(client):
    """An attacker with an account of their own cannot clear the address's count by using it."""
    own = UserFactory()
    limit = settings.AXES_IP_FAILURE_LIMIT
    for n in range(limit - 1):
        assert log_in(client, f"someone{n // 4}", "guess").status_code == 200
    assert log_in(client, own.username, TEST_PASSWORD).url == HOME
    client.logout()
    assert log_in(client, "someone-else", "guess").status_code == 429


def test_a_few_mistakes_by_several_people_at_one_school_lock_nobody(client):
    teachers = UserFactory.create_batch(6)
    for teacher in teachers:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert log_in(client, teacher.username, "a typo").status_code == 200
    for teacher in teachers:
        assert log_in(client, teacher.username, TEST_PASSWORD).url == HOME
        client.logout()


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, settings):
    """With DJANGO_PROXY_COUNT=1, the right-most X-Forwarded-For entry is the client's; what
    the client wrote to the left of it changes nothing."""
    settings.PROXY_COUNT = 1
    teacher = UserFactory()

    def through_proxy(username, password, forwarded_for):
        return client.post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        response = through_proxy(f"someone{n}", "guess", f"192.0.2.{n}, {SCHOOL}")
    assert response.status_code == 429
    assert through_proxy(teacher.username, TEST_PASSWORD, SCHOOL).status_code == 429
    assert through_proxy(teacher.username, TEST_PASSWORD, ELSEWHERE).url == HOME


def test_a_limit_below_one_stops_the_site_with_the_variable_named():
    result = run_check(DJANGO_DEBUG="true", AXES_IP_FAILURE_LIMIT="0")
    assert result.returncode != 0
    assert "AXES_IP_FAILURE_LIMIT must be at least 1" in result.stderr


# Log-in: the lockout page, and the ways a lock ends -----------------------------------------


def lock(client, user, address=SCHOOL):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, user.username, "wrong guess", address=address)
    assert response.status_code == 429
    return response


def test_the_lockout_page_says_who_can_lift_a_lock_and_how(client):
    teacher = UserFactory()
    page = text(lock(client, teacher))
    assert f"Logging in as {teacher.username} from this device is paused after 5" in page
    assert "The pause ends an hour after the last wrong password" in page
    assert "Choose a new password" in page
    assert 'href="/accounts/password/reset/"' in lock(client, teacher).content.decode()
    assert "an administrator of this site: they can lift the pause" in page
    assert "Program coordinators cannot lift a pause or set a password for you" in page
    # What the page used to promise, and nobody could do:
    assert "coordinator can set a new one" not in page
    assert "ask your coordinator" not in page


def test_a_lock_ends_an_hour_after_the_last_wrong_password(client):
    teacher = UserFactory()
    lock(client, teacher)
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=61)):
        assert log_in(client, teacher.username, TEST_PASSWORD).url == HOME


def test_a_try_during_the_lock_makes_the_wait_longer(client):
    teacher = UserFactory()
    lock(client, teacher)
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=50)):
        assert log_in(client, teacher.username, TEST_PASSWORD).status_code == 429
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=61)):
        assert log_in(client, teacher.username, TEST_PASSWORD).status_code == 429


def test_a_new_password_from_the_emailed_link_lifts_the_lock(client):
    teacher = UserFactory()
    lock(client, teacher)

    assert ask_for_link(client, teacher.email).url == "/accounts/password/reset/sent/"
    link = re.search(r"http\S+/accounts/password/reset/\S+/\S+/", mail.outbox[0].body)[0]
    set_password = client.get(link.split("8000", 1)[-1])
    new = "a fresh and long passphrase"
    done = client.post(
        set_password.url, {"new_password1": new, "new_password2": new}, REMOTE_ADDR=SCHOOL
    )
    assert done.url == "/accounts/password/reset/complete/"

    assert log_in(client, teacher.username, new).url == HOME


def test_a_changed_password_lifts_the_lock_on_another_device(client):
    teacher = UserFactory()
    lock(client, teacher, address=ELSEWHERE)

    client.force_login(teacher)
    new = "a fresh and long passphrase"
    changed = client.post(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.url == "/accounts/password/done/"
    client.logout()

    assert log_in(client, teacher.username, new, address=ELSEWHERE).url == HOME


def test_an_administrator_lifts_a_lock_in_django_admin(client, admin_client):
    teacher = UserFactory()
    lock(client, teacher)

    attempts = admin_client.get("/admin/axes/accessattempt/")
    assert teacher.username in attempts.content.decode()
    pks = re.findall(r'name="_selected_action" value="(\d+)"', attempts.content.decode())
    admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )

    assert log_in(client, teacher.username, TEST_PASSWORD).url == HOME


# Password reset: limits ---------------------------------------------------------------------


def test_links_for_one_email_address_are_limited_whatever_the_client_address(client):
    teacher = UserFactory()
    limit = settings.PASSWORD_RESET_EMAIL_LIMIT
    for n in range(limit):
        response = ask_for_link(client, teacher.email, address=f"192.0.2.{n + 1}")
        assert response.url == "/accounts/password/reset/sent/"

    response = ask_for_link(client, teacher.email.upper(), address="192.0.2.99")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    page = text(response)
    assert "Links for this email address were asked for too often in the last hour" in page
    assert "Try again in 60 minutes" in page
    assert len(mail.outbox) == limit

    with time_machine.travel(clock.now() + datetime.timedelta(minutes=45)):
        assert "Try again in 15 minutes" in text(ask_for_link(client, teacher.email))
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=61)):
        assert ask_for_link(client, teacher.email).url == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == limit + 1


def test_the_limit_on_an_email_address_tells_nothing_about_accounts(client):
    """An address no account uses is counted and answered just like a known one."""
    teacher = UserFactory()
    answers = {}
    for email in (teacher.email, "nobody@example.org"):
        for n in range(settings.PASSWORD_RESET_EMAIL_LIMIT):
            assert ask_for_link(client, email, address=f"192.0.2.{n + 1}").status_code == 302
        limited = ask_for_link(client, email, address="192.0.2.99")
        answers[email] = (limited.status_code, text(limited))
    assert answers[teacher.email] == answers["nobody@example.org"]


def test_links_from_one_client_address_are_limited_whatever_the_email(client):
    limit = settings.PASSWORD_RESET_IP_LIMIT
    people = UserFactory.create_batch(limit + 1)
    for person in people[:limit]:
        assert ask_for_link(client, person.email).url == "/accounts/password/reset/sent/"

    response = ask_for_link(client, people[-1].email)
    assert response.status_code == 429
    assert "Links were asked for too often from your network address" in text(response)
    assert len(mail.outbox) == limit

    # Someone else, somewhere else, is not held up.
    assert ask_for_link(client, people[-1].email, address=ELSEWHERE).status_code == 302
    assert len(mail.outbox) == limit + 1


# Password reset: the same work for any address ----------------------------------------------


@pytest.fixture
def enqueued():
    """The tasks enqueued while the test runs: (the task's path, its arguments)."""
    tasks: list[tuple[str, list]] = []

    def record(sender, task_result, **kwargs):
        tasks.append((task_result.task.module_path, list(task_result.args)))

    task_enqueued.connect(record, weak=False)
    yield tasks
    task_enqueued.disconnect(record)


def test_a_reset_does_the_same_work_for_a_known_and_an_unknown_address(
    client, monkeypatch, enqueued, django_capture_on_commit_callbacks
):
    """Timing is not measured: the same steps are (docs/design.md, "Throttling"). The request
    enqueues the same single task, with the address typed, and looks nothing up; only the task,
    run by the worker after the response, finds the account and sends the email."""
    steps: list[str] = []
    make_token = default_token_generator.make_token
    open_connection = EmailBackend.open

    def counted_make_token(user):
        steps.append("token")
        return make_token(user)

    def counted_open(self):
        steps.append("mail connection")
        return open_connection(self)

    monkeypatch.setattr(default_token_generator, "make_token", counted_make_token)
    monkeypatch.setattr(EmailBackend, "open", counted_open)
    teacher = UserFactory()

    work, tasks, worker = {}, {}, {}
    for email in (teacher.email, "nobody@example.org"):
        steps.clear()
        enqueued.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(RESET, {"email": email}, REMOTE_ADDR=SCHOOL)
        rendered = [template.name for template in response.templates]
        work[email] = (response.status_code, response.url, rendered, list(steps), len(callbacks))
        assert enqueued == []  # nothing before the request's write commits

        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()  # the commit: the task is enqueued, and the worker runs it
        tasks[email] = list(enqueued)
        worker[email] = list(steps[len(work[email][3]) :])

    assert work[teacher.email] == work["nobody@example.org"]
    assert work[teacher.email][3:] == ([], 1)  # no token, no mail, one callback
    assert "registration/password_reset_email.txt" not in work[teacher.email][2]
    reset_task = "mentoring_site.password_reset.password_reset_requested"
    # The task carries the address and the page's language (the email's, for an account that
    # chose none), whatever the address.
    assert tasks["nobody@example.org"] == [(reset_task, ["nobody@example.org", "en"])]
    # For the known address the task queues the email, which the outbox's task sends.
    delivery = Delivery.objects.get(recipient=teacher)
    assert tasks[teacher.email] == [
        (reset_task, [teacher.email, "en"]),
        ("outbox.tasks.deliver", [delivery.pk]),
    ]
    assert "token" in worker[teacher.email]
    assert worker["nobody@example.org"] == []
    assert [message.to for message in mail.outbox] == [[teacher.email]]
