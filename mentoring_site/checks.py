"""Deployment checks of the site's own, run by `manage.py check --deploy` (and `make check`).

Links in emails and calendar feeds are built from `SITE_URL`, and mail goes out from
`DEFAULT_FROM_EMAIL` and `SERVER_EMAIL`: a production site left with the development values
would send links to a laptop's address, and mail that mail servers refuse.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Django's own defaults, and any address at localhost (ours is mentoring@localhost).
UNDELIVERABLE_DOMAINS = ("localhost", "localhost.localdomain")


@register(Tags.security, deploy=True)
def site_url_check(app_configs=None, **kwargs) -> list[CheckMessage]:
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme == "https" and parts.hostname:
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails and calendar feeds would "
            "point there.",
            hint="Set DJANGO_SITE_URL to the site's public https:// address, "
            "e.g. https://mentoring.example.org.",
            id="mentoring_site.E001",
        )
    ]


def _undeliverable(address: str) -> bool:
    domain = address.rpartition("@")[2].strip().strip(">").lower()
    return not domain or domain in UNDELIVERABLE_DOMAINS or domain.endswith(".localhost")


@register(Tags.mail, deploy=True)
def sender_address_check(app_configs=None, **kwargs) -> list[CheckMessage]:
    return [
        Error(
            f"{name} is {getattr(settings, name)!r}, an address at localhost that mail servers "
            "refuse or mark as spam.",
            hint="Set DJANGO_DEFAULT_FROM_EMAIL to an address of the site's own domain, "
            "e.g. mentoring@example.org (it is also SERVER_EMAIL).",
            id="mentoring_site.E002",
        )
        for name in ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL")
        if _undeliverable(getattr(settings, name))
    ]
