"""The health endpoint (mentoring_site/health.py): what a load balancer asks before it sends a
machine requests. It must say 503 when the machine cannot reach the database or the cache, and
answer without a log-in, a session or an HTTPS redirect."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connections

from audit.models import AccessLogEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEALTHZ = "/healthz"
# Nothing listens on port 1: connections to it are refused at once.
CLOSED_REDIS = "redis://127.0.0.1:1/0"


def test_a_healthy_machine_answers_200_with_one_trivial_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1; no session is read or written
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_it_needs_no_log_in_and_records_no_read(client):
    assert client.get(HEALTHZ).status_code == 200
    client.force_login(UserFactory())
    assert client.get(HEALTHZ).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_with_the_database_down_it_answers_503(client, caplog):
    refused = OperationalError("connection to server at 127.0.0.1, port 5432 failed")
    with mock.patch.object(type(connections["default"]), "cursor", side_effect=refused):
        response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "ok",
    }
    assert "the database does not answer" in caplog.text


def test_with_the_cache_down_it_answers_503(client, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
        }
    }
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable",
    }
    assert "the cache does not answer" in caplog.text


def test_it_answers_over_plain_http_when_the_site_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "ok"


def test_it_only_reads(client):
    assert client.post(HEALTHZ).status_code == 405
