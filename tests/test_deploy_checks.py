"""The site's own deployment checks (mentoring_site/checks.py), which `make check` runs with
`check --deploy`: a production site needs its public https:// address for the links it sends,
and a sender address that mail servers accept."""

import pytest
from django.core.checks.registry import registry

from mentoring_site.checks import sender_address_check, site_url_check
from tests.test_settings import run_check


@pytest.mark.parametrize(
    "site_url",
    ["http://127.0.0.1:8000", "http://mentoring.example.org", "mentoring.example.org", "https://"],
)
def test_a_site_url_that_is_not_https_fails(settings, site_url):
    settings.SITE_URL = site_url
    (error,) = site_url_check()
    assert error.id == "mentoring_site.E001"
    assert "DJANGO_SITE_URL" in error.hint


def test_an_https_site_url_passes(settings):
    settings.SITE_URL = "https://mentoring.example.org"
    assert site_url_check() == []


@pytest.mark.parametrize(
    ("setting", "address"),
    [
        ("DEFAULT_FROM_EMAIL", "webmaster@localhost"),
        ("SERVER_EMAIL", "root@localhost"),
        ("DEFAULT_FROM_EMAIL", "mentoring@localhost"),
        ("DEFAULT_FROM_EMAIL", "Mentoring <mentoring@LOCALHOST>"),
    ],
)
def test_a_sender_at_localhost_fails(settings, setting, address):
    settings.DEFAULT_FROM_EMAIL = settings.SERVER_EMAIL = "mentoring@example.org"
    setattr(settings, setting, address)
    (error,) = sender_address_check()
    assert error.id == "mentoring_site.E002"
    assert setting in error.msg


def test_a_sender_of_the_sites_own_domain_passes(settings):
    settings.DEFAULT_FROM_EMAIL = "Mentoring <mentoring@example.org>"
    settings.SERVER_EMAIL = "errors@example.org"
    assert sender_address_check() == []


def test_they_are_deployment_checks():
    ours = {site_url_check, sender_address_check}
    assert not ours & set(registry.get_checks(include_deployment_checks=False))
    assert ours <= set(registry.get_checks(include_deployment_checks=True))


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "check-deploy-test-Zq8rT3vLx9Wm2Kp7Ny4Bc6Hd1Fg5Js0Qa-long-enough",
    "DJANGO_FIELD_ENCRYPTION_KEY": "dGVzdC1vbmx5LWZpZWxkLWtleS1uZXZlci1pbi11c2U=",
    "DJANGO_ALLOWED_HOSTS": "mentoring.example.org",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def test_check_deploy_names_the_missing_site_url_and_sender():
    result = run_check("--deploy", **PRODUCTION)
    assert result.returncode != 0
    assert "mentoring_site.E001" in result.stderr
    assert "mentoring_site.E002" in result.stderr

    result = run_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SITE_URL="https://mentoring.example.org",
        DJANGO_DEFAULT_FROM_EMAIL="mentoring@example.org",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
