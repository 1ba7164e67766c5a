"""The log (mentoring_site/logs.py): one JSON object a line in production, and every line a
request causes carries that request's id, which the response returns in `X-Request-ID`."""

import io
import json
import logging
import re

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mentoring_site import logs
from tests.test_settings import run_check

NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """What the site's own log handler writes, as it is configured (LOGGING in settings)."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, logs.RequestIdFilter) for f in handler.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        handler.setStream(previous)


def test_production_logs_are_json_and_debug_logs_are_text():
    assert settings.LOG_FORMAT == "json"  # the tests run with DEBUG off
    assert logs.log_format("", debug=False) == "json"
    assert logs.log_format("", debug=True) == "text"
    assert logs.log_format("JSON", debug=True) == "json"
    assert logs.log_format("text", debug=False) == "text"
    with pytest.raises(ImproperlyConfigured, match="DJANGO_LOG_FORMAT must be json or text"):
        logs.log_format("yaml", debug=False)


def test_a_bad_log_format_stops_the_site_with_the_variable_named():
    result = run_check(DJANGO_DEBUG="true", DJANGO_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "DJANGO_LOG_FORMAT must be json or text" in result.stderr


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_returned(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="9f1c2e7a-request-42")
    assert response["X-Request-ID"] == "9f1c2e7a-request-42"


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [None, "", "two words", "<script>", "x" * 129, "a\tb"])
def test_a_request_without_a_sane_id_gets_a_new_one(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    first = client.get("/healthz", **headers)["X-Request-ID"]
    second = client.get("/healthz", **headers)["X-Request-ID"]
    assert NEW_ID.fullmatch(first)
    assert NEW_ID.fullmatch(second)
    assert first != second


@pytest.mark.django_db
def test_every_line_a_request_causes_is_one_json_object_with_its_id(client, log_lines):
    response = client.get("/no/such/page/", HTTP_X_REQUEST_ID="abc123")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "abc123"
    logging.getLogger("mentoring_site").warning("after the request")

    during, after = (json.loads(line) for line in log_lines())
    assert during["request_id"] == "abc123"
    assert during["level"] == "WARNING"
    assert during["logger"] == "django.request"
    assert during["message"] == "Not Found: /no/such/page/"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", during["time"])
    assert after["request_id"] is None
    assert after["message"] == "after the request"


def test_an_exception_stays_on_its_line_with_its_traceback(log_lines):
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        logging.getLogger("mentoring_site").exception("Sums went wrong\nbadly")
    (line,) = log_lines()
    entry = json.loads(line)
    assert entry["message"] == "Sums went wrong\nbadly"
    assert "Traceback (most recent call last)" in entry["exception"]
    assert "ZeroDivisionError: division by zero" in entry["exception"]


def test_the_text_format_names_the_request_too():
    record = logging.LogRecord("mentoring_site", logging.INFO, __file__, 1, "hello", None, None)
    token = logs.request_id.set("abc123")
    try:
        logs.RequestIdFilter().filter(record)
    finally:
        logs.request_id.reset(token)
    line = logging.Formatter(logs.TEXT_FORMAT).format(record)
    assert line.endswith("INFO mentoring_site [abc123] hello")


def test_gunicorns_access_line_takes_the_id_from_the_response_header():
    """gunicorn may log a request after its response is closed (gunicorn.conf.py)."""
    atoms = {"s": "200", "{x-request-id}o": "abc123"}
    token = logs.request_id.set("left-over-from-another-request")
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(s)s", (), None)
    record.args = atoms
    try:
        logs.RequestIdFilter().filter(record)
    finally:
        logs.request_id.reset(token)
    entry = json.loads(logs.JsonFormatter().format(record))
    assert entry["request_id"] == "abc123"
    assert entry["message"] == "200"
