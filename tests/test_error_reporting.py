"""Error reports (mentoring_site/error_reporting.py): Sentry only when SENTRY_DSN is set, and a
report never carries what people wrote, their cookies or their email addresses.

Starting sentry-sdk patches Django for the rest of the process, so the settings are loaded in
a process of their own; nothing is sent anywhere (no error happens there)."""

import json
import os
import subprocess
import sys

from mentoring_site.error_reporting import before_send
from tests.test_settings import ROOT

CLIENT_OPTIONS = """
import json, sys
import django
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
options = client.options
print(json.dumps({
    "active": client.is_active(),
    "dsn": options["dsn"],
    "environment": options["environment"],
    "release": options["release"],
    "send_default_pii": options["send_default_pii"],
    "max_request_body_size": options["max_request_body_size"],
    "include_local_variables": options["include_local_variables"],
    "before_send": f"{options['before_send'].__module__}.{options['before_send'].__name__}",
    "integrations": sorted(client.integrations),
}))
"""

NOT_IMPORTED = """
import sys
import django
django.setup()
print("sentry_sdk" in sys.modules)
"""

DSN = "https://public@o0.ingest.example.invalid/1"


def run_with_settings(code: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY")}
    environment.update(DJANGO_SETTINGS_MODULE="mentoring_site.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_without_a_dsn_sentry_is_not_even_imported():
    assert run_with_settings(NOT_IMPORTED).strip() == "False"


def test_with_a_dsn_sentry_reports_with_the_django_integration_and_no_personal_data():
    options = json.loads(
        run_with_settings(
            CLIENT_OPTIONS, SENTRY_DSN=DSN, SENTRY_ENVIRONMENT="staging", SENTRY_RELEASE="1.4.2"
        )
    )
    assert options["active"] is True
    assert options["dsn"] == DSN
    assert options["environment"] == "staging"
    assert options["release"] == "1.4.2"
    assert "django" in options["integrations"]
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert options["before_send"] == "mentoring_site.error_reporting.before_send"


def test_a_report_leaves_without_bodies_cookies_or_email_addresses():
    event = {
        "request": {
            "url": "https://mentoring.example.org/relationships/visits/new/",
            "method": "POST",
            "data": {"notes": "She cried after the observation."},
            "cookies": {"sessionid": "secret-session"},
            "headers": {"Cookie": "sessionid=secret-session", "User-Agent": "Firefox"},
        },
        "user": {"id": 42, "email": "resident@school.example.org", "username": "resident"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": "Key (email)=(resident@school.example.org) already exists.",
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "mail to mentor.name@example.org refused"}]},
    }
    sent = before_send(event, {})
    assert sent["request"] == {
        "url": "https://mentoring.example.org/relationships/visits/new/",
        "method": "POST",
        "headers": {"User-Agent": "Firefox"},
    }
    assert sent["user"] == {"id": 42}
    assert sent["exception"]["values"][0]["value"] == "Key (email)=([email]) already exists."
    assert sent["breadcrumbs"]["values"][0]["message"] == "mail to [email] refused"
    assert "@" not in json.dumps(sent)
