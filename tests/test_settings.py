"""The settings refuse to run unsafely, and the security headers and rules are in place."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def run_check(*options: str, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_secret_key_and_debug_off_it_refuses_to_start():
    result = run_check(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_bad_boolean_is_refused_with_the_variable_named():
    result = run_check(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("days", ["a year", "-1"])
def test_a_bad_former_supervisor_period_is_refused_with_the_variable_named(days):
    result = run_check(DJANGO_DEBUG="true", FIREWALL_FORMER_SUPERVISOR_DAYS=days)
    assert result.returncode != 0
    assert "FIREWALL_FORMER_SUPERVISOR_DAYS must be" in result.stderr


def test_with_a_secret_key_it_starts():
    result = run_check(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_FIELD_ENCRYPTION_KEY=os.environ["DJANGO_FIELD_ENCRYPTION_KEY"],
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_on_postgresql_a_page_run_often_reuses_its_prepared_statements(client):
    """The workspace's queries are prepared on their connection after a few runs (settings:
    server-side binding), so a busy page skips PostgreSQL's parsing and planning."""
    if connection.vendor != "postgresql":
        pytest.skip("Prepared statements are PostgreSQL's.")
    client.force_login(UserFactory())
    for _ in range(6):
        assert client.get(reverse("help")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            # The signed-in person, read on every request (the session may be in Redis).
            ['%FROM "auth_user" WHERE "auth_user"."id" = $1%'],
        )
        (prepared,) = cursor.fetchone()
    assert prepared == 1


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(DJANGO_DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1/x")
    on = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    environment["DATABASE_PREPARED_STATEMENTS"] = "false"
    off = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert on.stdout.strip() == "['prepare_threshold', 'server_side_binding']", on.stderr
    assert off.stdout.strip() == "[]", off.stderr


@pytest.mark.django_db
def test_every_response_carries_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_passwords_need_at_least_twelve_characters():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Tr0ub4dor&3")
    validate_password("a long enough passphrase")


@pytest.mark.django_db
def test_repeated_failed_logins_are_throttled(client, django_user_model):
    django_user_model.objects.create_user("teacher", password="the right passphrase 1")
    statuses = [
        client.post("/accounts/login/", {"username": "teacher", "password": "wrong guess"})
        for _ in range(5)
    ]
    assert [response.status_code for response in statuses] == [200, 200, 200, 200, 429]
    # Locked out now, even with the right password.
    response = client.post(
        "/accounts/login/", {"username": "teacher", "password": "the right passphrase 1"}
    )
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
