# =============================================================================================
# Test harness. The environment itself is set in tests/__init__.py, which pytest loads before
# Django's settings are imported; this section adjusts the loaded settings.
# Browser (e2e) fixtures live in tests/e2e/conftest.py.
# =============================================================================================
import os
import tempfile

import pytest
import time_machine

from tests.cache import clear as clear_cache
from tests.cache import own_prefix
from tests.clock import BOUNDARIES, ORDINARY
from tests.idp.fixture import idp  # noqa: F401  (the test identity provider, once a session)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings
    from django.core.signals import setting_changed

    # Production uses the manifest storage, which needs `collectstatic` first; tests serve
    # files straight from static/ and the apps (WHITENOISE_USE_FINDERS).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise looks a static file up when it is asked for, rather than listing every file
    # when the middleware loads: each test's client loads the middleware afresh, and the
    # listing (30 ms) ran some 1,800 times a run.
    settings.WHITENOISE_AUTOREFRESH = True
    # A deliberately slow hash is the point in production and pure cost here: seeding the
    # demo world and every login would spend seconds in PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # N+1 detection (django-zeal) around every request the tests make; an N+1 raises
    # NPlusOneError and fails the test. Test settings only: see tests/nplusone.py.
    settings.ZEAL_RAISE = True
    settings.ZEAL_ALLOWLIST = [
        # The settings page fetches the person's settings, then the service it calls fetches
        # them again: one repeated query on a POST, not a query per row (reported to the lead).
        {"model": "relationships.PersonSettings", "field": "get()"},
    ]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.nplusone.zeal_middleware"]
    # The roll-up counts afresh for every request, as the tests change the data between two
    # without committing (the kept counts follow commits): tests/leaders/test_rollup_kept.py
    # turns keeping on.
    settings.ROLLUP_STORED = False
    # So are the dashboard's rows, for the same reason: tests/reports/test_kept_rows.py turns
    # keeping on.
    settings.DASHBOARD_KEPT_ROWS = False
    # Files the site makes (report PDFs) go to a folder of this test process, not the repo's.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="mentoring-test-media-")
    # So do the files people attach (the `evidence` storage, evidence/files.py).
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": os.path.join(settings.MEDIA_ROOT, "private")},
        },
    }
    # The storages may have been looked up already: look them up again (Django's own receiver,
    # in django.test.signals, and the evidence storage's).
    import django.test.signals  # noqa: F401

    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)
    # With REDIS_URL, the cache is shared with the other test processes: keys of our own.
    settings.CACHES = {**settings.CACHES, "default": own_prefix(settings.CACHES["default"])}


# The whole-site sweeps: every page as every person (private text, the supervision firewall,
# typed markup, page heads, the permission matrix), hostile input in every form, and the
# migrations run back and forth. Marked `sweep`: CI runs them once, on PostgreSQL (.ci/run);
# `make test` runs them like any other test.
SWEEPS = ("tests/sweeps/", "tests/test_fuzz.py", "tests/test_migrations_keep_data.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marker must be on the items before `-m "not sweep"` deselects by it.
    for item in items:
        if item.nodeid.startswith(SWEEPS):
            item.add_marker(pytest.mark.sweep)


def pytest_unconfigure(config: pytest.Config) -> None:
    """A shared cache (Redis) keeps no keys of the run, sessions included, once it is over."""
    clear_cache()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print what tests recorded for the run's summary with `record_property("summary", ...)`
    (the fuzz test's number of requests). Recorded properties travel back from xdist workers."""
    lines = [
        f"{report.nodeid}: {value}"
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == "summary"
    ]
    if lines:
        terminalreporter.section("summaries")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def _zeal_patches() -> None:
    """Patch Django's related-object descriptors for django-zeal, once per test session."""
    from tests.nplusone import patch_django

    patch_django()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Every test but the browser tests runs at the same instant (tests/clock.py), with the
    clock ticking from there: no test depends on the day it runs. The whole protocol is
    pinned, so fixtures of any scope that a test sets up (the demo world of a test class)
    are built at that instant too. Browser tests keep the real clock, because Chromium judges
    cookies by it."""
    if item.get_closest_marker("e2e"):
        return (yield)
    with time_machine.travel(ORDINARY, tick=True):
        return (yield)


@pytest.fixture(params=list(BOUNDARIES), ids=list(BOUNDARIES))
def boundary(request: pytest.FixtureRequest):
    """Run the test once at each boundary instant of tests/clock.py (the clock stands still
    there); the instant is the fixture's value."""
    instant = BOUNDARIES[request.param]
    with time_machine.travel(instant, tick=False):
        yield instant


# =============================================================================================
# People and data fixtures (below this line).
# =============================================================================================


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """The locale middleware activates a reader's language in the thread that serves the
    request, which for the test client is the test's own, and leaves it there: after a page
    read in Spanish, the next test in the process would format and translate in Spanish."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
