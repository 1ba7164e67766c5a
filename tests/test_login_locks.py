"""The administrator's page of log-in locks: it lists who is locked out, from where, since when
and after how many wrong passwords, and its "Unlock" lifts the lock through axes' reset, so
that the person can log in again. For anyone else the page does not exist."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from tests.factories import TEST_PASSWORD, UserFactory
from tests.test_throttling import SCHOOL, _empty_cache, log_in  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

LOCKS = "/accounts/locks/"


def rows(page: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    if body is None:
        return []
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body[1], re.S)
    ]


def lock_out(client, person) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, person.username, "wrong password")
    assert log_in(client, person.username, TEST_PASSWORD).status_code == 429


def test_an_administrator_sees_the_lock_and_lifts_it(client, caplog):
    teacher = UserFactory(username="jrivera")
    lock_out(client, teacher)
    admin = UserFactory(admin=True)
    client.force_login(admin)

    page = client.get(LOCKS).content.decode()
    [row] = rows(page)
    assert row.startswith(f"jrivera {SCHOOL}")
    failures = AccessAttempt.objects.get(username="jrivera").failures_since_start
    assert failures >= settings.AXES_FAILURE_LIMIT
    assert f" {failures} " in row
    assert 'href="/accounts/locks/"' in page  # in the navigation

    response = client.post(
        LOCKS, {"username": "jrivera", "ip_address": SCHOOL}, REMOTE_ADDR="192.0.2.1", follow=True
    )
    assert f"Logging in is open again for “jrivera” from {SCHOOL}." in response.content.decode()
    assert rows(response.content.decode()) == []
    assert "Log-in lock lifted by" in caplog.text and admin.username in caplog.text

    client.logout()
    assert log_in(client, "jrivera", TEST_PASSWORD).status_code == 302


def test_an_address_lock_is_listed_and_lifted(client):
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        log_in(client, f"someone{n}", "guess")
    teacher = UserFactory()
    assert log_in(client, teacher.username, TEST_PASSWORD).status_code == 429
    client.force_login(UserFactory(admin=True))

    listed = rows(client.get(LOCKS).content.decode())
    assert any(row.startswith(f"any user name {SCHOOL}") for row in listed)
    client.post(LOCKS, {"username": "", "ip_address": SCHOOL}, REMOTE_ADDR="192.0.2.1")

    client.logout()
    assert log_in(client, teacher.username, TEST_PASSWORD).status_code == 302


def test_a_lock_that_ended_is_not_listed_and_says_so(client):
    teacher = UserFactory()
    lock_out(client, teacher)
    AccessAttempt.objects.update(attempt_time=clock.now() - datetime.timedelta(hours=2))
    client.force_login(UserFactory(admin=True))
    assert rows(client.get(LOCKS).content.decode()) == []
    response = client.post(LOCKS, {"username": teacher.username, "ip_address": SCHOOL}, follow=True)
    assert "That lock has ended already." in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_everyone_else_gets_a_404_and_unlocks_nothing(client, method):
    teacher = UserFactory()
    lock_out(client, teacher)
    client.force_login(UserFactory(is_staff=True))
    response = getattr(client, method)(LOCKS, {"username": teacher.username, "ip_address": SCHOOL})
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username=teacher.username).exists()


def test_the_page_costs_the_same_queries_for_1_and_50_locks(client):
    client.force_login(UserFactory(admin=True))
    counts = []
    for n in (1, 50):
        AccessAttempt.objects.all().delete()
        for i in range(n):
            AccessAttempt.objects.create(
                username=f"person{i}",
                ip_address=f"198.51.100.{i + 1}",
                user_agent="test",
                failures_since_start=settings.AXES_FAILURE_LIMIT,
            )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(LOCKS).content.decode()
        assert len(rows(page)) == n
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
