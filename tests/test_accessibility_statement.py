"""The accessibility statement: public, linked from the foot of every page, and it says what was
tested and where to write about a problem."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

ROOT = Path(__file__).resolve().parent.parent
STATEMENT = "/accessibility/"


def test_anyone_can_read_what_was_tested_and_where_to_report(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.org"
    response = client.get(STATEMENT)
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    for tested in ("(WCAG) 2.2 at level AA", "axe-core 4.14", "320 pixels", "keyboard alone"):
        assert tested in page
    assert "What we know is not right yet" in page
    assert '<a href="mailto:access@example.org">access@example.org</a>' in page


@pytest.mark.django_db
def test_it_costs_no_query(client, django_assert_num_queries):
    """A page with no rows: nothing to count per row, and nothing to read from the database."""
    with django_assert_num_queries(0):
        assert client.get(STATEMENT).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/help/coaching-mentoring-supervision/", "/"])
def test_every_page_links_to_it_from_its_footer(client, url):
    if url == "/":
        client.force_login(factories.UserFactory())
    page = client.get(url).content.decode()
    footer = page[page.index('<footer class="site-footer') :]
    assert f'<a href="{STATEMENT}">Accessibility</a>' in footer


@pytest.mark.parametrize(
    ("sender", "contact", "expected"),
    [
        ("Mentoring <mentoring@example.org>", "", "mentoring@example.org"),
        ("Mentoring <mentoring@example.org>", "access@example.org", "access@example.org"),
    ],
)
def test_the_address_is_the_senders_unless_one_is_set(sender, contact, expected):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(
        DJANGO_DEBUG="true",
        DJANGO_DEFAULT_FROM_EMAIL=sender,
        DJANGO_ACCESSIBILITY_CONTACT_EMAIL=contact,
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.ACCESSIBILITY_CONTACT_EMAIL)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
