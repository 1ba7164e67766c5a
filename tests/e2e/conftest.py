"""Browser tests: Playwright drives Chromium against pytest-django's `live_server`.

Every test in this directory is marked `e2e` (`make test-fast` leaves them out). They need the
`transactional_db` fixture, directly or through `demo_world`, because the live server runs in
another thread and cannot see data inside a test's transaction.
"""

import os
import re
import sqlite3
from collections.abc import Callable, Generator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, BrowserContext, Page, expect

from core import clock
from seed.demo import DEMO_PASSWORD  # seed_demo gives every demo account this password
from tests.e2e.every_page import Checker, Watcher

# The live server answers one request at a time. On SQLite the tests' database is in memory,
# and every thread of a threaded server shares its one connection: a page's thumbnails, asked
# for side by side, then raced on it ("list index out of range" in a session read). Without
# threads Django closes each connection after its answer, so the browser's next one waits its
# turn.


class OneAtATime(WSGIServer):
    """Django's server without threads; the live server's thread already holds the test
    database's connection (`connections_override`), so it is taken and left unused here."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneAtATime

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parent.parent
OUTPUT_DIR = REPO_ROOT / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"
WATCHER = pytest.StashKey[Watcher]()

# Debian's Chromiums, in order of preference. Without a window, Debian's headless shell (package
# chromium-headless-shell, the "old" headless Chromium that Playwright itself runs headless):
# the browser tests take a quarter less time in it than in the whole browser (3:41
# against 4:47 for the browser tests, two processes on two cores). /usr/lib/chromium/chromium is
# the whole browser's binary, which starts faster than the /usr/bin/chromium wrapper script.
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
SYSTEM_CHROMIUMS = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marker must be on the items before `-m "not e2e"` deselects by it.
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_executable(playwright: Any, pytestconfig: pytest.Config) -> str | None:
    """The Chromium to launch: $CHROMIUM_PATH, Debian's (its headless shell unless the tests
    run `--headed`), or None for Playwright's own download."""
    configured = os.environ.get("CHROMIUM_PATH", "").strip()
    if configured:
        if not os.access(configured, os.X_OK):
            pytest.fail(f"CHROMIUM_PATH={configured} is not an executable file.")
        return configured
    headed = pytestconfig.getoption("headed", False)
    for candidate in (*(() if headed else (HEADLESS_SHELL,)), *SYSTEM_CHROMIUMS):
        if os.access(candidate, os.X_OK):
            return candidate
    if Path(playwright.chromium.executable_path).exists():
        return None  # `playwright install chromium` worked on this machine; use that one.
    message = (
        "No Chromium found for the browser tests: set CHROMIUM_PATH, install Debian's "
        "`chromium-headless-shell` package (`make browser` does it as root), or run "
        "`.venv/bin/playwright install chromium`."
    )
    if _in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict, chromium_executable: str | None
) -> dict:
    """pytest-playwright's launch options, pointed at the Chromium found above."""
    if chromium_executable is None:
        return browser_type_launch_args
    headless = browser_type_launch_args.get("headless", True)
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "args": [*(["--headless"] if headless else []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def page_checker(browser: Browser) -> Generator[Checker]:
    """Checks every page the browser tests load, once per URL path (tests/e2e/every_page.py)."""
    checker = Checker(browser)
    yield checker
    checker.write_report(OUTPUT_DIR)
    checker.close()


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext],
    page_checker: Checker,
    request: pytest.FixtureRequest,
) -> Callable[..., BrowserContext]:
    """pytest-playwright's `new_context` (behind `context` and `page` too), with every page of
    every context it makes watched: make extra contexts with it, not with `browser`."""
    watcher = Watcher(page_checker)
    request.node.stash[WATCHER] = watcher

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        watcher.watch_context(context)
        return context

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After a browser test's body has passed, check the pages it loaded (every_page.py)."""
    watcher = item.stash.get(WATCHER, None)
    try:
        result = yield
    except BaseException:
        if watcher is not None:
            watcher.abandon()
        raise
    if watcher is not None:
        watcher.check()
    return result


# The seeded demo world of this test process on SQLite, by the day it was seeded on: a copy of
# the whole database that each later browser test is given back in milliseconds, instead of
# seeding again (seconds per test). Other databases seed for each test.
_DEMO_COPIES: dict[date, sqlite3.Connection] = {}


@pytest.fixture
def demo_world(transactional_db: None) -> None:
    """The demo data of `make run` (accounts in DEMO_PASSWORD), visible to the live server."""
    if connection.vendor != "sqlite":
        call_command("seed_demo", force=True, verbosity=0)
        return
    connection.ensure_connection()
    day = clock.today()
    copy = _DEMO_COPIES.get(day)
    if copy is None:
        call_command("seed_demo", force=True, verbosity=0)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _DEMO_COPIES[day] = copy
    else:
        copy.backup(connection.connection)


def login(page: Page, live_server: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person would, and wait until it has gone."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def login_as(page: Page, live_server: Any) -> Callable[..., None]:
    """`login_as("mentor")` signs the test's page in as a demo person."""

    def sign_in(username: str, password: str = DEMO_PASSWORD) -> None:
        login(page, live_server, username, password)

    return sign_in


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """`shot(page)` or `shot(page, "after-save")` saves test-output/screenshots/<test>-<n>.png."""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    taken = 0

    def take(page: Page, name: str = "", *, full_page: bool = True) -> Path:
        nonlocal taken
        taken += 1
        suffix = f"-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}" if name else ""
        path = SCREENSHOT_DIR / f"{test_name}-{taken}{suffix}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=path, full_page=full_page)
        return path

    return take
