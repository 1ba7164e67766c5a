"""Every page of the permission matrix, opened in Chromium by someone who may see it.

The matrix (tests/matrix/) has a row for every URL pattern, so a new page is opened here
without a test of its own, and the accessibility checks that every browser test runs
(tests/e2e/every_page.py: axe with the WCAG 2.2 A and AA rules at 1280 and 320 px, no sideways
scroll at 320 px) reach it. Each page is opened by the first person in WHO_LOOKS who gets it
(200); pages that answer with something other than HTML (a CSV, a calendar feed) are left out.
"""

from collections import defaultdict

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import login
from tests.matrix.world import Demo
from tests.test_permission_matrix import matrix_rows

# The order in which people are asked: nobody signed in first, then the demo people.
WHO_LOOKS = (
    "anonymous",
    "coordinator",
    "mentor",
    "coach",
    "resident",
    "teammate",
    "supervisor",
    "peer",
    "admin",
)


def pages_by_person() -> dict[str, list[tuple[str, str]]]:
    """(URL name, URL) of each GET row, under the first person of WHO_LOOKS who may open it."""
    demo = Demo()
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, make_row in sorted(matrix_rows().items()):
        row = make_row(demo)
        if row.method != "get":
            continue
        person = next((who for who in WHO_LOOKS if row.expected(who) == 200), None)
        if person is not None:
            found[person].append((name, row.url))
    return found


@pytest.mark.parametrize("person", WHO_LOOKS)
def test_every_page_opens_in_the_browser(page: Page, live_server, demo_world, person):
    # One test per person, so that the test processes share the sweep.
    page.context.clear_cookies()
    if person != "anonymous":
        login(page, live_server, person)
    for name, url in pages_by_person().get(person, []):
        # Ask first, so that a download is not opened as a page.
        answer = page.request.get(live_server.url + url, max_redirects=0)
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, (person, name, url)


def test_the_sweep_reaches_every_workspace(demo_world):
    # A broken lookup would leave a workspace's pages out of the sweep.
    opened = {name for pages in pages_by_person().values() for name, _ in pages}
    assert {"home", "help", "programs:list", "relationships:caseload"} <= opened
