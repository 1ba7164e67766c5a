"""Every page a browser test loads is checked with axe-core (WCAG 2.2 A and AA) at 1280 and at
320 CSS px wide, and must not scroll sideways at 320 px. Nobody has to call anything: the
`new_context` fixture (tests/e2e/conftest.py) watches every page of every browser context.

How it works, and why this way:

- When a page of a test receives an HTML document (a navigation's response, a form's answer
  included), the watcher keeps a copy of it: its URL, status, headers and body. Only the first
  document of each page (its URL path with objects' codes taken out, the query string left out:
  `page_key`) in the test session is kept; a page already checked costs nothing more.
- After the test's body has passed, each kept document is opened in the checker's own page
  (one page of its own browser context, reused from copy to copy) at 1280 px, then the window
  is narrowed to 320 px. It is opened from the
  copy (the request is answered with the body the test got): the same HTML, styles and
  scripts, without asking the server again (a GET may change a session or use up a one-time
  link) and without touching the test's page (resizing it under a running test would race with
  its clicks). axe runs there with WCAG2_2_TAGS, and at 320 px the page must be no wider than
  the window.
- Whatever is found fails the test that first loaded the page, with one paragraph per page.

Each checked page and what was found is written to test-output/accessibility-<worker>.json for
measuring (docs/development.md, "Accessibility").
"""

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, Route
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.axe import AXE_JS, WCAG2_2_TAGS, format_violations, run_axe

# (name, width, height): a desktop window, and the 320 CSS px of WCAG 1.4.10 (reflow).
WIDTHS = (("desktop", 1280, 800), ("phone", 320, 640))
PHONE_WIDTH = 320
WIDTH_PX = {name: x for name, x, _ in WIDTHS}

# Headers the copy is served with: the type, and the content security policy the page ran under.
KEPT_HEADERS = ("content-type", "content-security-policy")

# How long the checks wait for a document still being read when the test ended (ms).
CAPTURE_WAIT_MS = 5_000

# Two animation frames after a resize: layout is done and ResizeObserver callbacks (Chart.js)
# have run.
SETTLED_JS = """() => new Promise(done =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"""

# How wide the page is, and the elements where the overflow starts: wider than the window
# while their parent is not (content of a box that scrolls or clips on its own is left out).
OVERFLOW_JS = """() => {
    const root = document.scrollingElement;
    const width = root.clientWidth;
    const sticksOut = el => el.getBoundingClientRect().right > width + 0.5;
    const clipped = el => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (getComputedStyle(p).overflowX !== "visible") return true;
        }
        return false;
    };
    const widest = [];
    for (const el of document.body.querySelectorAll("*")) {
        if (!sticksOut(el) || (el.parentElement && sticksOut(el.parentElement))) continue;
        if (getComputedStyle(el).position === "fixed" || clipped(el)) continue;
        const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
            + (el.classList.length ? "." + [...el.classList].join(".") : "");
        widest.push(`${name} (to ${Math.round(el.getBoundingClientRect().right)} px)`);
    }
    return {scrollWidth: root.scrollWidth, clientWidth: width, widest: widest.slice(0, 5)};
}"""


@dataclass
class Snapshot:
    """A document as a test's page received it."""

    url: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Finding:
    """What one page gave at one width."""

    path: str
    width: str
    url: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    overflow: dict[str, Any] | None = None

    def failed(self) -> bool:
        return bool(self.violations) or self.overflow is not None

    def message(self) -> str:
        lines = [f"{self.path} at {WIDTH_PX[self.width]} px:"]
        if self.violations:
            lines.append(format_violations(self.violations, self.url))
        if self.overflow:
            lines.append(
                f"scrolls sideways: {self.overflow['scrollWidth']} px of content in a"
                f" {self.overflow['clientWidth']} px window; wider than the window:"
                f" {', '.join(self.overflow['widest']) or 'nothing measurable'}"
            )
        return "\n".join(lines)

    def summary(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "width": self.width,
            "violations": {v["id"]: len(v["nodes"]) for v in self.violations},
            "scrolls_sideways": self.overflow is not None,
        }


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def page_key(path: str) -> str:
    """The page a path shows, whichever object: each test seeds a world of its own, so the
    same page comes back under new codes; it is checked once (the first time it loads)."""
    return UUID.sub("<code>", path)


class Checker:
    """One per test session: the paths already claimed, and a browser context to check in."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.claimed: set[str] = set()
        self.findings: list[Finding] = []
        self._context: BrowserContext | None = None
        self._page: Page | None = None

    def claim(self, path: str) -> bool:
        """Whether `path` is still to check (then it is this caller's). Listeners run in
        greenlets of the test's thread, which switch only in Playwright calls: none here."""
        if path in self.claimed:
            return False
        self.claimed.add(path)
        return True

    def release(self, path: str) -> None:
        self.claimed.discard(path)

    def page(self) -> Page:
        """The one page the copies are opened in, one after another: a new page for each copy
        costs more than the checks on it."""
        if self._page is None or self._page.is_closed():
            if self._context is None:
                self._context = self.browser.new_context(service_workers="block")
                # Once for the context rather than page.evaluate() per page: less to send.
                self._context.add_init_script(path=AXE_JS)
            self._page = self._context.new_page()
        return self._page

    def check(self, snapshot: Snapshot) -> list[Finding]:
        page = self.page()
        # A pattern rather than a Python predicate: the browser's driver matches it, so the
        # page's other requests (styles, scripts, images) do not each wait for Python.
        pattern = re.compile("^" + re.escape(snapshot.url) + "$")
        page.route(pattern, lambda route: _serve(route, snapshot))
        try:
            found = _check(page, snapshot)
        except BaseException:
            page.close()  # a page left half-way is not reused
            raise
        finally:
            if not page.is_closed():
                page.unroute(pattern)
        self.findings.extend(found)
        return found

    def write_report(self, directory: Path) -> None:
        if not self.findings:
            return
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        directory.mkdir(parents=True, exist_ok=True)
        pages = [finding.summary() for finding in self.findings]
        (directory / f"accessibility-{worker}.json").write_text(
            json.dumps({"pages": pages}, indent=1), encoding="utf-8"
        )

    def close(self) -> None:
        self._page = None
        if self._context is not None:
            self._context.close()
            self._context = None


def _serve(route: Route, snapshot: Snapshot) -> None:
    route.fulfill(status=snapshot.status, headers=snapshot.headers, body=snapshot.body)


def _check(page: Page, snapshot: Snapshot) -> list[Finding]:
    """Load the copy at the first width, then narrow the window for each next one."""
    found = []
    for number, (width, x, y) in enumerate(WIDTHS):
        page.set_viewport_size({"width": x, "height": y})
        if number == 0:
            page.goto(snapshot.url, wait_until="load")
        else:
            page.evaluate(SETTLED_JS)  # media queries and resize observers have answered
        finding = Finding(snapshot.path, width, snapshot.url)
        finding.violations = run_axe(page, tags=WCAG2_2_TAGS)
        if x == PHONE_WIDTH:
            measured = page.evaluate(OVERFLOW_JS)
            if measured["scrollWidth"] > measured["clientWidth"]:
                finding.overflow = measured
        found.append(finding)
    return found


class Watcher:
    """One per test: keeps the documents its pages load that the session has not checked yet."""

    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.snapshots: list[Snapshot] = []
        self.reading = 0
        self.pages: list[Page] = []

    def watch_context(self, context: BrowserContext) -> None:
        context.on("page", self.watch_page)

    def watch_page(self, page: Page) -> None:
        self.pages.append(page)
        page.on("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        # Runs in a greenlet of its own while the test goes on: only read the response here.
        request = response.request
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            return
        if 300 <= response.status < 400:
            return
        path = urlsplit(response.url).path
        if not self.checker.claim(page_key(path)):
            return
        self.reading += 1
        try:
            body = response.body()
        except PlaywrightError:
            self.checker.release(page_key(path))  # the page went on first; a later visit checks it
            return
        finally:
            self.reading -= 1
        headers = {name: value for name, value in response.headers.items() if name in KEPT_HEADERS}
        self.snapshots.append(Snapshot(response.url, path, response.status, headers, body))

    def wait_for_reading(self) -> None:
        """Let a body still being read when the test ended arrive (the test's pages are open)."""
        waited = 0
        while self.reading and waited < CAPTURE_WAIT_MS:
            live = [page for page in self.pages if not page.is_closed()]
            if not live:
                return
            live[0].wait_for_timeout(50)  # a sync call: the event loop, and the reading, go on
            waited += 50

    def abandon(self) -> None:
        """The test failed: leave its pages to a later test rather than report on them."""
        for snapshot in self.snapshots:
            self.checker.release(page_key(snapshot.path))
        self.snapshots.clear()

    def check(self) -> None:
        """Check what the test loaded; fail it with every finding."""
        self.wait_for_reading()
        failures = []
        for snapshot in self.snapshots:
            failures += [f.message() for f in self.checker.check(snapshot) if f.failed()]
        self.snapshots.clear()
        if failures:
            pytest.fail(
                "Accessibility checks of the pages this test loaded (WCAG 2.2 AA):\n\n"
                + "\n\n".join(failures),
                pytrace=False,
            )
