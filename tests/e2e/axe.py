"""Accessibility checks with axe-core, run inside the page under test.

from tests.e2e.axe import check_axe

page.goto(...)
check_axe(page)  # fails the test with a readable list of violations
"""

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA. Asking for the tags also runs the rules axe leaves
# off by default, such as target-size (2.5.8, 24 by 24 CSS px), which is tagged wcag22aa.
WCAG2_2_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# check_axe(page): WCAG 2.2 AA and axe's best practices (landmarks, one h1...).
# tags=() runs axe's own default set instead.
DEFAULT_TAGS: tuple[str, ...] = (*WCAG2_2_TAGS, "best-practice")


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing; see static/vendor/VERSIONS.md.", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


# What Chromium says when a navigation replaces the document while axe is being injected or runs
# (a click that navigates returns before the new page has loaded).
NAVIGATION_ERRORS = ("Execution context was destroyed", "reading 'documentElement'")


def run_axe(
    page: Page, *, tags: tuple[str, ...] = DEFAULT_TAGS, disable: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Wait for the page to finish loading, then return axe-core's list of violations.

    A navigation that was still under way (the document was replaced mid-run) is waited for and
    the check run again on the new page, so it never checks a page that is being torn down.
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            return _run_axe_once(page, tags=tags, disable=disable)
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in error.message for sign in NAVIGATION_ERRORS):
                raise
    raise AssertionError("unreachable")


def _run_axe_once(
    page: Page, *, tags: tuple[str, ...], disable: tuple[str, ...]
) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Not page.add_script_tag(path=...): that inserts an inline <script>, which the site's
        # content security policy rightly blocks. Evaluating through the DevTools protocol is
        # not subject to the page's CSP.
        page.evaluate(f"() => {{ {_axe_source()}\n }}")
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": list(tags)}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    # page.evaluate awaits the promise that axe.run() returns.
    return page.evaluate("options => axe.run(document, options)", options)["violations"]


def format_violations(violations: list[dict[str, Any]], url: str = "") -> str:
    lines = [f"{len(violations)} accessibility violation(s){f' on {url}' if url else ''}:"]
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f"\n    {violation['helpUrl']}"
            f"\n    at: {', '.join(targets)}{f' and {more} more' if more > 0 else ''}"
        )
    return "\n".join(lines)


def check_axe(
    page: Page, *, tags: tuple[str, ...] = DEFAULT_TAGS, disable: tuple[str, ...] = ()
) -> None:
    """Fail the test if axe-core finds any violation on the page as it is now.

    `disable` switches off named rules; say why next to the call when you use it.
    """
    violations = run_axe(page, tags=tags, disable=disable)
    if violations:
        pytest.fail(format_violations(violations, page.url), pytrace=False)
